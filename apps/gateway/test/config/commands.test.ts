import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runInit, runValidate, starterConfig } from '../../src/config/index.js';
import { captureIo, tempDir, writeText } from './helpers.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/configs');

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

describe('corral validate', () => {
  test('a valid config: one summary line, exit 0', async () => {
    const io = captureIo(fixtures, { PROM_HOST: 'prom.example.com' });
    expect(await runValidate('fleet.yaml', io, {})).toBe(0);
    expect(io.out()).toBe('fleet.yaml: valid — 2 MCP servers, 1 service (1 disabled)\n');
  });

  test('warnings are printed with the summary, and do not fail it', async () => {
    const io = captureIo(fixtures);
    expect(await runValidate('claude_desktop_config.json', io, {})).toBe(0);
    expect(io.out()).toBe(
      'warning: claude_desktop_config.json:2:21 globalShortcut: ignored: not a corral setting (corral reads aggregator, mcpServers, servers, services and plugins)\n' +
        'claude_desktop_config.json: valid — 2 MCP servers\n',
    );
  });

  test('every problem, one per line in file order, then what would still run; exit 2', async () => {
    await writeText(
      dir,
      'corral.yaml',
      [
        'mcpServers:',
        '  memory: { command: npx, args: [-y, "@modelcontextprotocol/server-memory"] }',
        '  broken: { command: npx, args: -y }',
        '  remote: { url: "http://127.0.0.1:9000/mcp", headers: { Authorization: "Bearer ${TOKEN}" } }',
        '',
      ].join('\n'),
    );
    const io = captureIo(dir);
    expect(await runValidate('corral.yaml', io, {})).toBe(2);
    expect(io.out().split('\n')).toEqual([
      'corral.yaml:3:33 mcpServers.broken.args: must be a list of strings, e.g. ["-y", "@modelcontextprotocol/server-memory"]',
      'corral.yaml:4:73 mcpServers.remote.headers.Authorization: ${TOKEN} is not set: export TOKEN=… before starting corral, or give a default: ${TOKEN:-value}',
      'corral.yaml: invalid — 2 problems; the rest would run: 1 MCP server',
      '',
    ]);
  });

  test('a file that cannot be used: its problem, exit 2', async () => {
    const io = captureIo(dir);
    expect(await runValidate('missing.yaml', io, {})).toBe(2);
    expect(io.out()).toBe(
      'missing.yaml: does not exist: check the path, or create a starter config with `corral init missing.yaml`\n' +
        'missing.yaml: invalid — 1 problem: fix it and run corral validate again\n',
    );
  });

  test('--json: valid, problems, warnings, services', async () => {
    await writeText(
      dir,
      'corral.yaml',
      'mcpServers:\n  a: { url: "http://127.0.0.1:9000/mcp", type: sse }\n  b: { command: npx, restart: sometimes }\nservices:\n  t: { type: process, command: ssh }\n',
    );
    const io = captureIo(dir);
    expect(await runValidate('corral.yaml', io, { json: true })).toBe(2);
    expect(JSON.parse(io.out())).toEqual({
      valid: false,
      problems: [
        {
          file: 'corral.yaml',
          path: 'mcpServers.b.restart',
          message: 'must be on-failure (the default), always or never, not "sometimes"',
          line: 3,
          column: 31,
        },
      ],
      warnings: [],
      services: [
        { name: 'a', type: 'MCPServer', path: 'mcpServers.a', transport: 'sse' },
        { name: 't', type: 'process', path: 'services.t' },
      ],
      disabled: [],
    });
  });
});

describe('corral init', () => {
  test('writes a starter that validates clean and shows every setting', async () => {
    const io = captureIo(dir);
    expect(await runInit(undefined, io, {})).toBe(0);
    expect(io.out()).toBe(
      'wrote corral.yaml: check it with `corral validate corral.yaml`, run it with `corral serve --config corral.yaml`\n',
    );
    const text = await readFile(join(dir, 'corral.yaml'), 'utf8');
    expect(text).toBe(starterConfig());
    for (const field of [
      'aggregator:',
      'host:',
      'port:',
      'yolo:',
      'prefix:',
      'token:',
      'denylist:',
      'mcpServers:',
      'command:',
      'args:',
      'env:',
      'cwd:',
      'url:',
      'headers:',
      'type: streamable-http',
      'autoStart:',
      'dependsOn:',
      'toolPrefix:',
      'timeout:',
      'disabled:',
      'restart:',
      'ping:',
      'stopGraceMs:',
      'services:',
      'type: process',
      'ready:',
      'plugins:',
      '${',
    ]) {
      expect(text, field).toContain(field);
    }

    const validate = captureIo(dir);
    expect(await runValidate('corral.yaml', validate, {})).toBe(0);
    expect(validate.out()).toBe('corral.yaml: valid — 2 MCP servers\n');
  });

  test('the active servers run offline: node on servers installed with corral', async () => {
    const io = captureIo(dir);
    await runInit('conf/gateway.yaml', io, {});
    const text = await readFile(join(dir, 'conf/gateway.yaml'), 'utf8');
    const active = text.split('\n').filter((line) => /^\s+(command|args):/.test(line));
    expect(active).toHaveLength(4);
    expect(active.join('\n')).not.toContain('npx');
    expect(active.join('\n')).toContain('server-memory');
  });

  test('never overwrites without --force', async () => {
    await writeText(dir, 'corral.yaml', 'mine: true\n');
    const io = captureIo(dir);
    expect(await runInit('corral.yaml', io, {})).toBe(2);
    expect(io.err()).toBe(
      'corral.yaml already exists: pass --force to overwrite it, or give another name (corral init other.yaml)\n',
    );
    expect(await readFile(join(dir, 'corral.yaml'), 'utf8')).toBe('mine: true\n');

    expect(await runInit('corral.yaml', captureIo(dir), { force: true })).toBe(0);
    expect(await readFile(join(dir, 'corral.yaml'), 'utf8')).toBe(starterConfig());
  });

  test('writes YAML only', async () => {
    const io = captureIo(dir);
    expect(await runInit('mcp.json', io, {})).toBe(2);
    expect(io.err()).toBe(
      'corral init writes YAML: name the file .yaml or .yml (e.g. corral init corral.yaml), not mcp.json\n',
    );
  });
});

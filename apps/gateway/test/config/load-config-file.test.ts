import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  ConfigFileError,
  formatProblem,
  loadConfigFile,
  resolveConfig,
} from '../../src/config/index.js';
import { tempDir, writeText } from './helpers.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/configs');

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

/** Loads `text` as `name` in the temp dir, as a user in that directory would. */
async function load(name: string, text: string, env: Record<string, string> = {}) {
  await writeText(dir, name, text);
  return loadConfigFile(name, { cwd: dir, env });
}

/** The formatted problems of a config file that cannot be used. */
async function fatal(name: string, text: string, env: Record<string, string> = {}) {
  const error = await load(name, text, env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigFileError);
  const fileError = error as ConfigFileError;
  expect(fileError.code).toBe('CONFIG_FILE');
  return fileError.problems.map(formatProblem);
}

describe('client config files work as they are', () => {
  test("Claude Desktop's claude_desktop_config.json: servers mapped, its own settings a warning", async () => {
    const config = await loadConfigFile('claude_desktop_config.json', { cwd: fixtures, env: {} });
    expect(config.file).toBe(join(fixtures, 'claude_desktop_config.json'));
    expect(config.problems).toEqual([]);
    expect(config.services).toEqual({
      memory: {
        type: 'MCPServer',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-memory'],
        env: { MEMORY_FILE_PATH: '/tmp/claude-memory.jsonl' },
      },
      filesystem: {
        type: 'MCPServer',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me/Desktop'],
      },
    });
    expect(config.origins['memory']).toEqual({ section: 'mcpServers', path: 'mcpServers.memory' });
    expect(config.warnings).toEqual([
      'claude_desktop_config.json:2:21 globalShortcut: ignored: not a corral setting (corral reads aggregator, mcpServers, servers, services and plugins)',
    ]);
  });

  test("VS Code's .vscode/mcp.json: comments, trailing commas, servers, type http, ${workspaceFolder}, ${env:…}", async () => {
    const workspace = join(fixtures, 'vscode-workspace');
    const config = await loadConfigFile('.vscode/mcp.json', {
      cwd: workspace,
      env: { REMOTE_TOKEN: 'secret-token' },
    });
    expect(config.problems).toEqual([]);
    expect(config.services).toEqual({
      memory: {
        type: 'MCPServer',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-memory'],
        env: { MEMORY_FILE_PATH: `${workspace}/memory.jsonl` },
      },
      remote: {
        type: 'MCPServer',
        transport: 'streamable-http',
        url: 'http://127.0.0.1:9000/mcp',
        headers: { Authorization: 'Bearer secret-token' },
      },
    });
    expect(config.origins['remote']).toEqual({ section: 'servers', path: 'servers.remote' });
    expect(config.warnings).toEqual([
      '.vscode/mcp.json:3:13 inputs: ignored: corral cannot prompt for VS Code inputs (entries that use ${input:…} are reported)',
    ]);
  });

  test('a YAML fleet: dependsOn, a process service, ${VAR:-default}, paths against the file, disabled', async () => {
    const config = await loadConfigFile('fleet.yaml', {
      cwd: fixtures,
      env: { PROM_HOST: 'prom.example.com' },
    });
    expect(config.problems).toEqual([]);
    expect(config.warnings).toEqual([]);
    expect(config.aggregator).toEqual({ host: '127.0.0.1', port: 0, yolo: false });
    expect(config.disabled).toEqual(['old']);
    expect(config.services).toEqual({
      everything: {
        type: 'MCPServer',
        command: 'node',
        args: ['./servers/everything.js', 'stdio'],
        cwd: join(fixtures, 'work'),
      },
      metrics: {
        type: 'MCPServer',
        command: join(fixtures, 'bin/prom-mcp'),
        dependsOn: ['tunnel'],
        toolPrefix: 'prom',
        timeout: 20,
        restart: 'always',
        env: { PROM_URL: 'http://127.0.0.1:9090' },
      },
      tunnel: {
        type: 'process',
        command: 'ssh',
        args: ['-N', '-L', '9090:localhost:9090', 'prom.example.com'],
        ready: { tcp: 9090 },
      },
    });
    expect(config.origins['tunnel']).toEqual({ section: 'services', path: 'services.tunnel' });
  });
});

describe('a file that cannot be used throws, naming the file, the place and the fix', () => {
  test('a missing file suggests corral init', async () => {
    await expect(loadConfigFile('nope.yaml', { cwd: dir, env: {} })).rejects.toThrow(
      'nope.yaml: does not exist: check the path, or create a starter config with `corral init nope.yaml`',
    );
  });

  test('a directory', async () => {
    await writeText(dir, 'conf/x.yaml', 'mcpServers: {}\n');
    await expect(loadConfigFile('conf', { cwd: dir, env: {} })).rejects.toThrow(
      'conf: is a directory: give the config file in it, e.g. corral.yaml',
    );
  });

  test('a YAML syntax error, with its line and column', async () => {
    expect(
      await fatal('corral.yaml', 'mcpServers:\n  memory:\n    command: npx\n   args: [1\n'),
    ).toEqual([
      'corral.yaml:4:1: is not valid YAML: All mapping items must start at the same column — fix the syntax there',
    ]);
  });

  test('a JSON syntax error, with its line and column', async () => {
    expect(
      await fatal(
        'mcp.json',
        '{\n  "mcpServers": {\n    "a": { "command": "npx" }\n    "b": {}\n  }\n}\n',
      ),
    ).toEqual([
      "mcp.json:4:5: is not valid JSON: Expected ',' or '}' after property value — fix the syntax there (comments and trailing commas are fine)",
    ]);
  });

  test('a duplicate key', async () => {
    expect(
      await fatal('corral.yaml', 'mcpServers:\n  a: { command: npx }\n  a: { command: node }\n'),
    ).toEqual([
      'corral.yaml:3:3: is not valid YAML: Map keys must be unique — fix the syntax there',
    ]);
  });

  test('an empty file (never "stop every server")', async () => {
    expect(await fatal('corral.yaml', '\n# nothing yet\n')).toEqual([
      'corral.yaml: is empty: add servers under mcpServers (run `corral init` for a commented example)',
    ]);
  });

  test('a top level that is a list', async () => {
    expect(await fatal('corral.yaml', '- memory\n- filesystem\n')).toEqual([
      'corral.yaml: the top level must be a mapping (e.g. mcpServers: …), not a list: see `corral init` for an example',
    ]);
  });

  test('mcpServers that is a list', async () => {
    expect(await fatal('corral.yaml', 'mcpServers:\n  - command: npx\n')).toEqual([
      'corral.yaml:1:1 mcpServers: must be a mapping of names to entries, not a list, e.g. { memory: { command: npx, args: [-y, "@modelcontextprotocol/server-memory"] } }',
    ]);
  });

  test('a bad aggregator port: no endpoint, so nothing runs', async () => {
    expect(
      await fatal(
        'corral.yaml',
        'aggregator:\n  port: 99999\nmcpServers:\n  a: { command: npx }\n',
      ),
    ).toEqual(['corral.yaml:2:9 aggregator.port: must be between 0 (any free port) and 65535']);
  });

  test('an unknown aggregator field and an unset variable in it', async () => {
    expect(await fatal('corral.yaml', 'aggregator: { prot: 8090 }\n')).toEqual([
      'corral.yaml:1:1 aggregator: unknown field prot: the Aggregator accepts host, port, path, http, stdio, token, allowedHosts, allowedOrigins, yolo, denylist, prefix, debounceMs, sessionIdleTimeoutMs, listDeadlineMs and metaTools',
    ]);
    expect(await fatal('corral.yaml', 'aggregator: { token: "${CORRAL_TOKEN}" }\n')).toEqual([
      'corral.yaml:1:22 aggregator.token: ${CORRAL_TOKEN} is not set: export CORRAL_TOKEN=… before starting corral, or give a default: ${CORRAL_TOKEN:-value}',
    ]);
  });

  test('plugins that is not a list of strings', async () => {
    expect(await fatal('corral.yaml', 'plugins: ./my-plugin.js\n')).toEqual([
      'corral.yaml:1:10 plugins: must be a list of module specifiers, e.g. ["@acme/corral-k8s", "./my-plugin.js"]',
    ]);
    expect(await fatal('corral.yaml', 'plugins: [./a.js, 3]\n')).toEqual([
      'corral.yaml:1:19 plugins[1]: must be a module specifier (a string), e.g. "./my-plugin.js"',
    ]);
  });
});

describe('a bad entry is listed in problems and left out; the rest runs', () => {
  test('one bad entry among good ones', async () => {
    const config = await load(
      'corral.yaml',
      [
        'mcpServers:',
        '  memory: { command: npx, args: [-y, "@modelcontextprotocol/server-memory"] }',
        '  broken: { command: npx, restart: sometimes }',
        'services:',
        '  tunnel: { type: process, command: ssh }',
        '',
      ].join('\n'),
    );
    expect(Object.keys(config.services)).toEqual(['memory', 'tunnel']);
    expect(config.problems.map(formatProblem)).toEqual([
      'corral.yaml:3:36 mcpServers.broken.restart: must be on-failure (the default), always or never, not "sometimes"',
    ]);
  });

  test('an unset variable names the variable and the fix; ${VAR-default} and $${…}', async () => {
    const config = await load(
      'corral.yaml',
      [
        'mcpServers:',
        '  remote:',
        '    url: http://127.0.0.1:9000/mcp',
        '    headers: { Authorization: "Bearer ${TOKEN}" }',
        '  local:',
        '    command: npx',
        '    args: ["${EMPTY:-fallback}", "${EMPTY-kept}", "$${LITERAL}", "${SET}"]',
        '',
      ].join('\n'),
      { EMPTY: '', SET: 'value' },
    );
    expect(config.problems.map(formatProblem)).toEqual([
      'corral.yaml:4:31 mcpServers.remote.headers.Authorization: ${TOKEN} is not set: export TOKEN=… before starting corral, or give a default: ${TOKEN:-value}',
    ]);
    expect(config.services['local']?.['args']).toEqual(['fallback', '', '${LITERAL}', 'value']);
  });

  test("VS Code's ${input:…} is not supported, clearly", async () => {
    const config = await load(
      'mcp.json',
      '{ "servers": { "gh": { "type": "http", "url": "https://api.example.com/mcp",\n  "headers": { "Authorization": "Bearer ${input:token}" } } } }\n',
    );
    expect(config.services).toEqual({});
    expect(config.problems.map(formatProblem)).toEqual([
      'mcp.json:2:33 servers.gh.headers.Authorization: uses ${input:token}, a VS Code input prompt, which corral cannot show: put the value in the environment and write ${NAME} instead (export NAME=… before starting corral)',
    ]);
  });

  test('the reserved name, and one name in two sections', async () => {
    const config = await load(
      'corral.yaml',
      [
        'mcpServers:',
        '  gateway: { command: npx }',
        '  tunnel: { command: npx }',
        'services:',
        '  tunnel: { type: process, command: ssh }',
        '',
      ].join('\n'),
    );
    expect(config.problems.map(formatProblem)).toEqual([
      `corral.yaml:2:3 mcpServers.gateway: the name "gateway" is reserved for the gateway's own endpoint: rename this entry`,
      'corral.yaml:5:3 services.tunnel: the name "tunnel" is already used by mcpServers.tunnel: names must be unique across mcpServers, servers and services — rename one of them',
    ]);
    expect(Object.keys(config.services)).toEqual(['tunnel']);
    expect(config.services['tunnel']?.type).toBe('MCPServer');
  });

  test('structural problems: an entry that is not a mapping, a bad transport, a services entry without type', async () => {
    const config = await load(
      'corral.yaml',
      [
        'mcpServers:',
        '  a: npx server-a',
        '  b: { url: "http://127.0.0.1:9000/mcp", type: websocket }',
        '  c: { command: npx, dependsOn: tunnel, autoStart: "yes" }',
        'services:',
        '  d: { command: ssh }',
        '  e: { type: Aggregator }',
        '',
      ].join('\n'),
    );
    expect(config.services).toEqual({});
    expect(config.problems.map(formatProblem)).toEqual([
      'corral.yaml:2:6 mcpServers.a: must be a mapping of the server\'s settings, e.g. { command: npx, args: [-y, "@modelcontextprotocol/server-memory"] }',
      'corral.yaml:3:48 mcpServers.b.type: must be stdio, sse, streamable-http or http (VS Code\'s name for streamable-http), not "websocket": it names the transport; leave it out to let command or url decide',
      'corral.yaml:4:33 mcpServers.c.dependsOn: must be a list of service names, e.g. [tunnel]',
      'corral.yaml:4:52 mcpServers.c.autoStart: must be true (the default: start with the gateway) or false',
      'corral.yaml:6:3 services.d.type: is required: the service type that runs this entry, e.g. process',
      'corral.yaml:7:14 services.e.type: the gateway runs its own aggregator: configure it under aggregator: instead',
    ]);
  });
});

describe('resolveConfig: the same from an in-memory object', () => {
  test('the built-in default fleet: no file, no positions, messages name the fleet', () => {
    const config = resolveConfig(
      {
        mcpServers: {
          memory: { command: 'node', args: ['/x/memory.js'], env: { HOME: '${HOME}' } },
          bad: { command: 'node', restart: 'sometimes' },
        },
      },
      { file: undefined, displayName: '(built-in default fleet)', baseDir: '/base' },
      { HOME: '/home/me' },
    );
    expect(config.file).toBeUndefined();
    expect(config.services).toEqual({
      memory: {
        type: 'MCPServer',
        command: 'node',
        args: ['/x/memory.js'],
        env: { HOME: '/home/me' },
      },
    });
    expect(config.problems.map(formatProblem)).toEqual([
      '(built-in default fleet) mcpServers.bad.restart: must be on-failure (the default), always or never, not "sometimes"',
    ]);
  });

  test('a config with no servers at all is valid, with a warning', () => {
    const config = resolveConfig(
      { aggregator: { port: 0 } },
      { file: '/x/corral.yaml', displayName: 'corral.yaml', baseDir: '/x' },
      {},
    );
    expect(config.problems).toEqual([]);
    expect(config.warnings).toEqual([
      'corral.yaml: no servers are configured, so the gateway will serve no tools: add entries under mcpServers (see `corral init`)',
    ]);
  });
});

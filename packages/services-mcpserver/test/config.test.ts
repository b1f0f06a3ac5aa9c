import { ConfigValidationError, createCorral, silentLogger } from '@corral/core';
import { afterEach, describe, expect, it } from 'vitest';
import { mcpServerPlugin, resolveSettings } from '../src/index.js';
import { everythingStdio, harness, stopAll } from './helpers.js';

afterEach(stopAll);

/** The validation error a single bad entry named `bad` produces. */
async function problemsOf(entry: Record<string, unknown>): Promise<string[]> {
  const error: unknown = await createCorral({
    plugins: [mcpServerPlugin],
    config: { services: { bad: entry } },
    logger: silentLogger,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigValidationError);
  if (!(error instanceof ConfigValidationError)) return [];
  return error.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('config validation', () => {
  it('names the server and the field when neither command nor url is given', async () => {
    const [problem] = await problemsOf({ type: 'MCPServer', args: ['x'] });
    expect(problem).toMatch(/^services\.bad\.command: is required \(or url\)/);
    expect(problem).toContain('e.g. command: "npx"');
    expect(problem).toContain('url: "http://127.0.0.1:9000/mcp"');
  });

  it('refuses both command and url', async () => {
    const problems = await problemsOf({
      type: 'MCPServer',
      command: 'node',
      url: 'http://127.0.0.1:1/mcp',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^services\.bad: has both command and url: .*not both$/),
    ]);
  });

  it('refuses a URL that is not absolute http(s), without echoing it', async () => {
    for (const url of ['not a url s3cret', 'ftp://user:s3cret@example.com/x', '/x?token=s3cret']) {
      const [problem] = await problemsOf({ type: 'MCPServer', url });
      expect(problem).toMatch(/^services\.bad\.url: is not a valid absolute http\(s\) URL/);
      expect(problem).not.toContain('s3cret');
    }
  });

  it('refuses an unknown service type, listing the known ones', async () => {
    const [problem] = await problemsOf({ type: 'MCPServr', command: 'node' });
    expect(problem).toMatch(/^services\.bad\.type: unknown service type 'MCPServr'/);
    expect(problem).toContain('MCPServer');
  });

  it('refuses an unknown transport', async () => {
    const [problem] = await problemsOf({
      type: 'MCPServer',
      url: 'http://127.0.0.1:1/mcp',
      transport: 'websocket',
    });
    expect(problem).toBe('services.bad.transport: must be one of stdio, streamable-http, sse');
  });

  it('refuses a negative or zero timeout', async () => {
    for (const timeout of [-1, 0]) {
      const [problem] = await problemsOf({ type: 'MCPServer', command: 'node', timeout });
      expect(problem).toBe(
        'services.bad.timeout: must be a positive number of seconds, e.g. 30 (the default)',
      );
    }
  });

  it('refuses fields of the other transport, misspelt fields and bad ping settings', async () => {
    expect(await problemsOf({ type: 'MCPServer', command: 'node', headers: { A: 'b' } })).toEqual([
      expect.stringMatching(/^services\.bad\.headers: applies to remote servers/),
    ]);
    expect(
      await problemsOf({ type: 'MCPServer', url: 'http://127.0.0.1:1/mcp', env: { A: 'b' } }),
    ).toEqual([expect.stringMatching(/^services\.bad\.env: applies to local servers/)]);
    expect(await problemsOf({ type: 'MCPServer', command: 'node', arg: ['x'] })).toEqual([
      expect.stringMatching(
        /^services\.bad: unknown field "arg": an MCPServer takes command, args/,
      ),
    ]);
    expect(
      await problemsOf({ type: 'MCPServer', command: 'node', ping: { intervalMs: 0 } }),
    ).toEqual([
      'services.bad.ping.intervalMs: must be a positive number of milliseconds, e.g. 15000',
    ]);
    expect(await problemsOf({ type: 'MCPServer', command: 'node', transport: 'sse' })).toEqual([
      expect.stringMatching(/^services\.bad\.transport: is "sse", which needs url/),
    ]);
  });

  it('applies the defaults', () => {
    const settings = resolveSettings({ url: 'http://127.0.0.1:1/mcp' });
    expect(settings).toEqual({
      transport: { kind: 'streamable-http', url: 'http://127.0.0.1:1/mcp', headers: {} },
      timeoutMs: 30_000,
      toolPrefix: undefined,
      ping: { intervalMs: 15_000, timeoutMs: 5_000, failures: 3 },
      stopGraceMs: 2_000,
    });
  });

  it('starts the other servers when invalid entries are skipped', async () => {
    const h = await harness(
      {
        good: everythingStdio(),
        noCommand: { type: 'MCPServer' },
        both: { type: 'MCPServer', command: 'node', url: 'http://127.0.0.1:1/mcp' },
        badUrl: { type: 'MCPServer', url: 'nope' },
        badType: { type: 'Nope', command: 'node' },
        negative: { type: 'MCPServer', command: 'node', timeout: -5 },
      },
      { invalidServices: 'skip' },
    );
    expect(h.corral.problems.map((p) => p.path).sort()).toEqual([
      'services.badType.type',
      'services.badUrl.url',
      'services.both',
      'services.negative.timeout',
      'services.noCommand.command',
    ]);
    await h.corral.start();
    expect(h.corral.orchestrator.getAllServices().map((s) => [s.name, s.state])).toEqual([
      ['good', 'running'],
    ]);
  });
});

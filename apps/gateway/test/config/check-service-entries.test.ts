import type { ServiceTypeRegistry } from '@corral/core';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  checkServiceEntries,
  ConfigFileError,
  formatProblem,
  loadConfigFile,
  resolveConfig,
} from '../../src/config/index.js';
import { builtinServiceTypes, tempDir, writeText } from './helpers.js';

let serviceTypes: ServiceTypeRegistry;
beforeAll(async () => {
  serviceTypes = await builtinServiceTypes();
});

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

/** Loads and checks `lines` as corral.yaml; returns the checked config and its messages. */
async function check(lines: string[]) {
  await writeText(dir, 'corral.yaml', `${lines.join('\n')}\n`);
  const config = await checkServiceEntries(
    await loadConfigFile('corral.yaml', { cwd: dir, env: {} }),
    serviceTypes,
  );
  return { config, messages: config.problems.map(formatProblem) };
}

describe("each entry meets its type's real schema, reported in the file's terms", () => {
  test('args that is not a list', async () => {
    const { config, messages } = await check([
      'mcpServers:',
      '  memory:',
      '    command: npx',
      '    args: -y @modelcontextprotocol/server-memory',
    ]);
    expect(messages).toEqual([
      'corral.yaml:4:11 mcpServers.memory.args: must be a list of strings, e.g. ["-y", "@modelcontextprotocol/server-memory"]',
    ]);
    expect(config.services).toEqual({});
    expect(config.origins).toEqual({});
  });

  test('command and url both, and neither', async () => {
    const { messages } = await check([
      'mcpServers:',
      '  both:',
      '    command: npx',
      '    url: http://127.0.0.1:9000/mcp',
      '  neither:',
      '    autoStart: false',
    ]);
    expect(messages).toEqual([
      'corral.yaml:2:3 mcpServers.both: has both command and url: give command to run a local server over stdio, or url to connect to a remote one — not both',
      'corral.yaml:5:3 mcpServers.neither.command: is required (or url): give command (and args) to run a local server over stdio, e.g. command: "npx", args: ["-y", "@modelcontextprotocol/server-memory"] — or url for a remote one, e.g. url: "http://127.0.0.1:9000/mcp"',
    ]);
  });

  test('an unknown field', async () => {
    const { messages } = await check(['mcpServers:', '  x:', '    command: npx', '    argz: [a]']);
    expect(messages).toEqual([
      'corral.yaml:2:3 mcpServers.x: unknown field "argz": an MCPServer takes command, args, env, cwd, url, headers, transport, timeout, toolPrefix, ping, stopGraceMs (besides type, dependsOn, autoStart, restart, disabled). Check the spelling.',
    ]);
  });

  test("a transport that does not fit is reported at the entry's type", async () => {
    const { messages } = await check([
      'mcpServers:',
      '  x: { type: stdio, url: "http://127.0.0.1:9000/mcp" }',
    ]);
    expect(messages).toEqual([
      'corral.yaml:2:14 mcpServers.x.type: is "stdio", which needs command: a url speaks streamable-http (default) or sse',
    ]);
  });

  test('an unknown service type under services', async () => {
    const { messages } = await check(['services:', '  tunnel: { type: procss, command: ssh }']);
    expect(messages).toEqual([
      "corral.yaml:2:19 services.tunnel.type: unknown service type 'procss'. Known types: MCPServer, Aggregator, process. Check the spelling or add the plugin that provides it.",
    ]);
  });

  test("a process service's own fields", async () => {
    const { messages } = await check([
      'services:',
      '  tunnel: { type: process, command: ssh, ready: { tcp: 99999 } }',
    ]);
    expect(messages).toEqual([
      'corral.yaml:2:56 services.tunnel.ready.tcp: must be a TCP port from 1 to 65535',
    ]);
  });
});

describe('dependencies', () => {
  test('on an unknown name: the dependent is left out, and so is what depends on it', async () => {
    const { config, messages } = await check([
      'mcpServers:',
      '  metrics: { command: ./prom-mcp, dependsOn: [tunel] }',
      '  dashboard: { command: ./dash, dependsOn: [metrics] }',
      '  memory: { command: npx }',
    ]);
    expect(messages).toEqual([
      'corral.yaml:2:47 mcpServers.metrics.dependsOn[0]: depends on "tunel", which is not configured: check the spelling (configured: metrics, dashboard, memory) or add it',
      'corral.yaml:3:45 mcpServers.dashboard.dependsOn[0]: depends on "metrics", which cannot run (it depends on tunel): fix mcpServers.metrics first',
    ]);
    expect(Object.keys(config.services)).toEqual(['memory']);
  });

  test('on an invalid entry, and on a disabled one', async () => {
    const { messages } = await check([
      'mcpServers:',
      '  a: { command: npx, dependsOn: [bad] }',
      '  b: { command: npx, dependsOn: [off] }',
      '  bad: { command: 7 }',
      '  off: { command: npx, disabled: true }',
    ]);
    expect(messages).toEqual([
      'corral.yaml:4:19 mcpServers.bad.command: must be a string: the program to run, e.g. "npx" (put its arguments in args)',
      'corral.yaml:2:34 mcpServers.a.dependsOn[0]: depends on "bad", which is invalid (see its problems): fix mcpServers.bad first',
      'corral.yaml:3:34 mcpServers.b.dependsOn[0]: depends on "off", which is disabled: enable off (remove disabled: true) or drop it from dependsOn',
    ]);
  });

  test('a cycle: every member is left out and named; the rest runs', async () => {
    const { config, messages } = await check([
      'mcpServers:',
      '  a: { command: npx, dependsOn: [b] }',
      '  b: { command: npx, dependsOn: [c] }',
      'services:',
      '  c: { type: process, command: ssh, dependsOn: [a] }',
      '  d: { type: process, command: ssh }',
    ]);
    expect(messages).toEqual([
      'corral.yaml:2:33 mcpServers.a.dependsOn: is part of a dependency cycle (a → b → c → a): remove one of these dependencies',
      'corral.yaml:3:33 mcpServers.b.dependsOn: is part of a dependency cycle (a → b → c → a): remove one of these dependencies',
      'corral.yaml:5:48 services.c.dependsOn: is part of a dependency cycle (a → b → c → a): remove one of these dependencies',
    ]);
    expect(Object.keys(config.services)).toEqual(['d']);
  });

  test('a dependency across sections, and on the gateway itself, is fine', async () => {
    const { config, messages } = await check([
      'mcpServers:',
      '  metrics: { command: ./prom-mcp, dependsOn: [tunnel, gateway] }',
      'services:',
      '  tunnel: { type: process, command: ssh, ready: { tcp: 9090 } }',
    ]);
    expect(messages).toEqual([]);
    expect(Object.keys(config.services)).toEqual(['metrics', 'tunnel']);
  });
});

test('a bad aggregator section is thrown, also for a config built in memory', async () => {
  const config = resolveConfig(
    { mcpServers: { a: { command: 'npx' } } },
    { file: undefined, displayName: '(built-in default fleet)', baseDir: '/' },
    {},
  );
  const broken = { ...config, aggregator: { port: 'eighty' } };
  const error: unknown = await checkServiceEntries(broken, serviceTypes).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigFileError);
  expect((error as ConfigFileError).message).toBe(
    '(built-in default fleet) aggregator.port: must be a TCP port number, e.g. 8090',
  );
});

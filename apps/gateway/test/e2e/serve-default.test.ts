import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { allGone, connect, corral, serve, type ServeProcess, services } from './harness.js';

/** `corral serve` with no config: the built-in default fleet, as a new user first runs it. */
describe('corral serve (default fleet)', { timeout: 90_000 }, () => {
  let gateway: ServeProcess;
  let client: Client;

  beforeAll(async () => {
    gateway = await serve([]);
    client = await connect(gateway.url);
  }, 90_000);

  afterAll(async () => {
    await client.close();
    if (gateway.child.exitCode === null) await gateway.stop('SIGKILL');
  });

  it('prints the endpoint and a client config snippet to paste', () => {
    const out = gateway.stdout();
    expect(out).toContain('Corral is serving 3 of 3 services');
    expect(out).toContain(
      `{ "servers": { "corral": { "type": "http", "url": "${gateway.url}" } } }`,
    );
    expect(out).toContain(
      `{ "mcpServers": { "corral": { "type": "http", "url": "${gateway.url}" } } }`,
    );
    expect(out).toMatch(/"args": \[".*cli\.js","serve","--stdio"\]/);
  });

  it("lists every server's tools under its prefix, and the management tools", async () => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'x_everything_echo',
        'x_memory_read_graph',
        'x_memory_create_entities',
        'x_filesystem_read_text_file',
        'x_filesystem_list_allowed_directories',
        'core_service_list',
      ]),
    );
    for (const prefix of ['x_everything_', 'x_memory_', 'x_filesystem_']) {
      expect(names.filter((name) => name.startsWith(prefix)).length).toBeGreaterThan(3);
    }
  });

  it('calls a tool of each server', async () => {
    const echo = await client.callTool({ name: 'x_everything_echo', arguments: { message: 'hi' } });
    expect(echo.content).toEqual([{ type: 'text', text: 'Echo: hi' }]);

    const created = await client.callTool({
      name: 'x_memory_create_entities',
      arguments: {
        entities: [{ name: 'corral', entityType: 'project', observations: ['runs MCP fleets'] }],
      },
    });
    expect(created.isError).toBeFalsy();
    const graph = await client.callTool({ name: 'x_memory_read_graph', arguments: {} });
    expect(JSON.stringify(graph.content)).toContain('runs MCP fleets');

    const dirs = await client.callTool({
      name: 'x_filesystem_list_allowed_directories',
      arguments: {},
    });
    const text = JSON.stringify(dirs.content);
    const dir = /(\/[^"\\]*corral-default-fleet-[^"\\]*\/files)/.exec(text)?.[1];
    expect(dir).toBeDefined();
    const hello = await client.callTool({
      name: 'x_filesystem_read_text_file',
      arguments: { path: `${dir ?? ''}/hello.txt` },
    });
    expect(JSON.stringify(hello.content)).toContain("Hello from Corral's default fleet");
  });

  it('`corral status` shows every server running', async () => {
    const status = await corral(['status', ...gateway.urlArgs]);
    expect(status.code).toBe(0);
    for (const name of ['everything', 'memory', 'filesystem', 'gateway']) {
      expect(status.stdout).toMatch(new RegExp(`^${name}\\s+\\S+\\s+running`, 'm'));
    }
  });

  it('logs one JSON line per state change without a TTY', () => {
    const running = gateway
      .logs()
      .filter((line) => line['event'] === 'state' && line['to'] === 'running')
      .map((line) => line['service']);
    expect(running).toEqual(
      expect.arrayContaining(['everything', 'memory', 'filesystem', 'gateway']),
    );
  });

  it('SIGTERM stops the fleet in order and leaves no child process alive', async () => {
    const known = (await services(gateway.url)).get('memory')?.data?.pid;
    const children = await gateway.descendants();
    expect(children.length).toBeGreaterThanOrEqual(3);
    expect(children).toContain(known);
    expect(await gateway.stop('SIGTERM')).toBe(0);
    await allGone(children);
    expect(gateway.stderr()).toContain('stopped: no process of the fleet is left');
  });
});

import { isToolProvider, type JsonObject, type ToolCallResult } from '@corral/core';
import { mcpServerPlugin } from '@corral/services-mcpserver';
import { fixtureServer, fixtureToolNames, waitFor } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  becomes,
  closeAll,
  dataOf,
  harness,
  jsonOf,
  MemoryService,
  openEventStream,
  routesOf,
  serve,
  WAIT,
} from './helpers.js';

afterEach(closeAll);

const SECRET = 'env-s3cret-value-7731';

/** The fixture MCP server over stdio, with a secret in its environment. */
function fixtureEntry(name: string): Record<string, unknown> {
  const { command, args } = fixtureServer({ name, tools: 3 });
  return { type: 'MCPServer', command, args, env: { API_TOKEN: SECRET, PLAIN: 'x' } };
}

function structuredOf(result: ToolCallResult): JsonObject {
  const content = result.structuredContent;
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw new Error(`no structured content: ${JSON.stringify(result)}`);
  }
  return content;
}

async function fixtureHarness(): Promise<Awaited<ReturnType<typeof harness>>> {
  return harness({
    plugins: [mcpServerPlugin],
    config: {
      fx: fixtureEntry('fx'),
      // Prints its secret to stderr and exits: its failure quotes stderr, scrubbed by the plugin.
      leaky: {
        type: 'MCPServer',
        command: process.execPath,
        args: ['-e', 'console.error("token is " + process.env.API_TOKEN); process.exit(4)'],
        env: { API_TOKEN: SECRET },
        restart: 'never',
      },
    },
    services: [new MemoryService('gateway', { type: 'Aggregator' })],
  });
}

describe('with a real MCP server', () => {
  it('lists it, and stops, starts and restarts it through tools and routes', async () => {
    const h = await fixtureHarness();
    const http = await serve(routesOf(h.corral));
    await h.waitForEvent('leaky to fail', becomes('leaky', 'failed'));

    const list = structuredOf(await h.tool('service_list'));
    expect(list['services']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'fx',
          type: 'MCPServer',
          state: 'running',
          data: expect.objectContaining({
            transport: 'stdio',
            tools: fixtureToolNames(3).length,
            connected: true,
          }) as unknown,
        }),
        expect.objectContaining({ name: 'leaky', state: 'failed' }),
      ]),
    );
    expect((await http.get('/healthz')).status).toBe(200);

    const stream = await openEventStream(`${http.url}/api/events`);
    await waitFor(() => stream.comments.length > 0, { ...WAIT, description: 'the stream open' });

    const stop = await http.post('/api/services/fx/stop');
    expect(stop.status).toBe(200);
    expect(await jsonOf(stop)).toEqual(
      expect.objectContaining({
        outcome: 'stopped',
        status: expect.objectContaining({
          state: 'stopped',
          data: expect.objectContaining({ connected: false, pid: null }) as unknown,
        }) as unknown,
      }),
    );
    expect(structuredOf(await h.tool('service_stop', { name: 'fx' }))['outcome']).toBe(
      'already_stopped',
    );

    const start = structuredOf(await h.tool('service_start', { name: 'fx' }));
    expect(start['outcome']).toBe('started');
    const fx = h.corral.registry.get('fx');
    if (!isToolProvider(fx)) throw new Error('fx offers no tools');
    const echoed = await fx.callTool('echo', { text: 'back again' });
    expect(echoed.structuredContent).toEqual({ text: 'back again' });

    const pidBefore = h.corral.orchestrator.getServiceInfo('fx').data?.['pid'];
    const restart = await http.post('/api/services/fx/restart');
    expect(restart.status).toBe(200);
    const pidAfter = h.corral.orchestrator.getServiceInfo('fx').data?.['pid'];
    expect(typeof pidAfter).toBe('number');
    expect(pidAfter).not.toBe(pidBefore);

    // stop (2), start (2), restart (4), in order.
    const messages = await stream.waitForMessages(8, 'the fx events');
    expect(messages.map(dataOf).map((d) => [d['name'], d['oldState'], d['newState']])).toEqual([
      ['fx', 'running', 'stopping'],
      ['fx', 'stopping', 'stopped'],
      ['fx', 'stopped', 'starting'],
      ['fx', 'starting', 'running'],
      ['fx', 'running', 'stopping'],
      ['fx', 'stopping', 'stopped'],
      ['fx', 'stopped', 'starting'],
      ['fx', 'starting', 'running'],
    ]);
  });

  it('shows the tool count of a running ToolProvider, and since when it is in its state', async () => {
    const h = await fixtureHarness();
    const http = await serve(routesOf(h.corral));
    await h.waitForEvent('leaky to fail', becomes('leaky', 'failed'));
    const running = h.events.findLast(becomes('fx', 'running'));

    const fx = await jsonOf(await http.get('/api/services/fx'));
    expect(fx).toMatchObject({ state: 'running', tools: fixtureToolNames(3).length });
    expect(fx['since']).toBe(running?.timestamp);
    const byName = new Map(
      (structuredOf(await h.tool('service_list'))['services'] as JsonObject[]).map((s) => [
        s['name'],
        s,
      ]),
    );
    expect(byName.get('fx')?.['tools']).toBe(fixtureToolNames(3).length);
    // Not a ToolProvider, or not running: no count at all (rather than a misleading 0).
    expect(byName.get('gateway')).not.toHaveProperty('tools');
    expect(byName.get('leaky')).not.toHaveProperty('tools');

    const stopped = await jsonOf(await http.post('/api/services/fx/stop'));
    expect(stopped['status']).not.toHaveProperty('tools');
    expect((await jsonOf(await http.post('/api/services/fx/start')))['status']).toMatchObject({
      state: 'running',
      tools: fixtureToolNames(3).length,
    });
  });

  it('a failed start of a real server is a tool error with its reason', async () => {
    const h = await fixtureHarness();
    await h.waitForEvent('leaky to fail', becomes('leaky', 'failed'));
    const result = await h.tool('service_start', { name: 'leaky' });
    expect(result.isError).toBe(true);
    const text = JSON.stringify(result.content);
    expect(text).toContain("service 'leaky' failed to start");
    expect(text).toContain('exited');
  });

  it('never shows a secret from its env in any route or tool output', async () => {
    const h = await fixtureHarness();
    const http = await serve(routesOf(h.corral));
    await h.waitForEvent('leaky to fail', becomes('leaky', 'failed'));
    const stream = await openEventStream(`${http.url}/api/events?since=0`);
    const outputs: [string, string][] = [];
    const record = (what: string, value: unknown): void => {
      outputs.push([what, typeof value === 'string' ? value : JSON.stringify(value)]);
    };

    // The redacted env is there (so status was looked at), its value is not.
    const status = structuredOf(await h.tool('service_status', { name: 'fx' }));
    expect(status['data']).toEqual(
      expect.objectContaining({ env: { API_TOKEN: '***', PLAIN: '***' } }),
    );

    for (const [tool, args] of [
      ['service_list', {}],
      ['service_status', { name: 'fx' }],
      ['service_status', { name: 'leaky' }],
      ['service_stop', { name: 'fx' }],
      ['service_start', { name: 'fx' }],
      ['service_restart', { name: 'fx' }],
      ['service_start', { name: 'leaky' }],
      ['events', { since: 0, limit: 1000 }],
    ] as const) {
      record(`tool ${tool}`, await h.tool(tool, args));
    }
    for (const path of ['/api/services', '/api/services/fx', '/api/services/leaky']) {
      record(`GET ${path}`, await (await http.get(path)).text());
    }
    for (const action of ['stop', 'start', 'restart']) {
      record(`POST ${action}`, await (await http.post(`/api/services/fx/${action}`)).text());
    }
    record('POST leaky start', await (await http.post('/api/services/leaky/start')).text());
    record('/healthz', await (await http.get('/healthz')).text());
    record('/metrics', await (await http.get('/metrics')).text());
    h.adapter.metrics.onToolCall({ service: 'fx', tool: 'echo', durationMs: 3, outcome: 'ok' });
    record('/metrics after a call', await (await http.get('/metrics')).text());

    await h.corral.stop();
    await stream.ended;
    record('/api/events', stream.raw());
    expect(stream.messages.length).toBeGreaterThan(20);

    // The failure was reported (so the scrubbed stderr went through), without the value.
    expect(outputs.find(([what]) => what === 'GET /api/services/leaky')?.[1]).toContain('token is');
    for (const [what, text] of outputs) {
      expect(text.includes(SECRET), `${what} shows the secret`).toBe(false);
    }
  });
});

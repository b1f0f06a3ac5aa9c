import { createHash } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fixtureToolNames,
  freePort,
  isProcessAlive,
  startFixtureServer,
  waitFor,
  type FixtureOptions,
  type RunningServer,
} from '../src/index.js';
import { connectHttp, newClient, onCleanup, runCleanups, textOf } from './support.js';

afterEach(runCleanups);

const TRANSPORTS = ['streamable-http', 'sse'] as const;

describe.each(TRANSPORTS)('fixture over %s', (transport) => {
  async function start(options: FixtureOptions = {}): Promise<RunningServer> {
    const server = await startFixtureServer({ ...options, transport });
    onCleanup(() => server.close());
    return server;
  }

  async function connect(server: RunningServer, client: Client = newClient()): Promise<Client> {
    return connectHttp(transport, server.url, client);
  }

  it('listens on 127.0.0.1, lists its tools and answers echo', async () => {
    const server = await start({ name: 'web', tools: 4 });
    expect(server.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:\\d+/${transport === 'sse' ? 'sse' : 'mcp'}$`),
    );
    const client = await connect(server);
    expect(client.getServerVersion()?.name).toBe('web');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(fixtureToolNames(4).sort());
    const echo = await client.callTool({ name: 'echo', arguments: { text: 'over http' } });
    expect(echo.structuredContent).toEqual({ text: 'over http' });
  });

  it('serves two clients at once, with one call count for the process', async () => {
    const server = await start();
    const [a, b] = await Promise.all([connect(server), connect(server)]);
    await a.callTool({ name: 'echo', arguments: { text: 'a' } });
    await b.callTool({ name: 'echo', arguments: { text: 'b' } });
    const stats = await a.callTool({ name: 'stats', arguments: {} });
    expect(stats.structuredContent).toEqual({ calls: 2, cancelled: 0 });
  });

  it('round-trips sampling to the client and reports progress', async () => {
    const client = newClient();
    client.setRequestHandler('sampling/createMessage', () => ({
      model: 'test-model',
      role: 'assistant',
      content: { type: 'text', text: 'sampled' },
    }));
    const server = await start();
    await connect(server, client);
    expect(textOf(await client.callTool({ name: 'sample', arguments: { prompt: 'x' } }))).toBe(
      'sampled',
    );
    const steps: number[] = [];
    const done = await client.callTool(
      { name: 'progress', arguments: { steps: 3, intervalMs: 50 } },
      {
        onprogress: (p) => {
          steps.push(p.progress);
        },
      },
    );
    expect(textOf(done)).toBe('done 3');
    // The client runs notification handlers a microtask late, so a progress notification read
    // together with the result is dropped: the sequence can lose its tail, never its order.
    expect(steps.length).toBeGreaterThanOrEqual(1);
    expect(steps).toEqual([1, 2, 3].slice(0, steps.length));
  });

  it('sees the client cancel a call', async () => {
    const server = await start();
    const client = await connect(server);
    const controller = new AbortController();
    const call = client.callTool(
      { name: 'progress', arguments: { steps: 10_000, intervalMs: 20 } },
      {
        signal: controller.signal,
        onprogress: () => {
          controller.abort();
        },
      },
    );
    await expect(call).rejects.toThrow();
    await waitFor(
      async () => {
        const stats = await client.callTool({ name: 'stats', arguments: {} });
        return (stats.structuredContent as { cancelled: number }).cancelled === 1;
      },
      { description: 'stats to show the cancelled call' },
    );
    await waitFor(() => server.stderr().includes('fixture: cancelled progress'));
  });

  it('sends tools/list_changed while churning', async () => {
    const client = newClient();
    let changes = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => {
      changes += 1;
    });
    await connect(await start({ churnMs: 50 }), client);
    await waitFor(() => changes >= 3, { description: 'three tools/list_changed' });
  });

  it('exits with code 3 after crashAfter calls', async () => {
    const server = await start({ crashAfter: 1 });
    const client = await connect(server);
    await client.callTool({ name: 'echo', arguments: { text: 'last words' } });
    expect(await server.exited).toEqual({ code: 3, signal: null });
    expect(server.stderr()).toContain('fixture: crashing after 1 calls');
  });

  it('goes silent but stays alive after hangAfter calls', async () => {
    const server = await start({ hangAfter: 1 });
    const client = await connect(server);
    await client.callTool({ name: 'echo', arguments: { text: 'answered' } });
    await expect(client.ping({ timeout: 300 })).rejects.toThrow(/timed out/i);
    expect(isProcessAlive(server.pid)).toBe(true);
  });

  it('returns 10 MiB from huge', async () => {
    const client = await connect(await start());
    const result = await client.callTool({ name: 'huge', arguments: {} });
    const text = textOf(result);
    expect(text.length).toBe(10_485_760);
    expect(result.structuredContent).toEqual({
      bytes: 10_485_760,
      sha256: createHash('sha256').update(text).digest('hex'),
    });
  }, 120_000);
});

describe('startFixtureServer', () => {
  it('rejects with the stderr of a fixture that exits before listening', async () => {
    await expect(
      startFixtureServer({ transport: 'sse', failFirst: { count: 1, stateFile: '/dev/null' } }),
    ).rejects.toThrow(/exited \(code 1\).*planned start failure 1 of 1/s);
  });

  it('waits out a slow start, and close() leaves nothing of the group', async () => {
    const server = await startFixtureServer({ transport: 'streamable-http', slowStartMs: 300 });
    onCleanup(() => server.close());
    expect(isProcessAlive(server.pid)).toBe(true);
    await server.close();
    expect(isProcessAlive(server.pid)).toBe(false);
    expect((await server.exited).signal).toBe('SIGKILL');
  });

  it('listens on the port it is given, and again there once the first is gone', async () => {
    const port = await freePort();
    for (let round = 0; round < 2; round++) {
      const server = await startFixtureServer({ transport: 'streamable-http', port });
      onCleanup(() => server.close());
      expect(server.url).toBe(`http://127.0.0.1:${port}/mcp`);
      const client = await connectHttp('streamable-http', server.url, newClient());
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      await client.close();
      await server.close();
    }
  });
});

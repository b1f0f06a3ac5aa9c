import { apiAdapterPlugin } from '@corral/api-adapter';
import { waitFor } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, connect, fixture, gateway, textOf, WAIT } from './helpers.js';

afterEach(closeAll);

interface StateEvent {
  readonly name: string;
  readonly oldState: string;
  readonly newState: string;
  readonly seq: number;
}

/** Reads `/api/events` (Server-Sent Events) into `events` until aborted. */
async function readEvents(url: string, events: StateEvent[], signal: AbortSignal): Promise<void> {
  const response = await fetch(url, { signal, headers: { accept: 'text/event-stream' } });
  if (!response.body) throw new Error('no event stream');
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (data !== '' && frame.includes('event: state'))
          events.push(JSON.parse(data) as StateEvent);
        end = buffer.indexOf('\n\n');
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

describe('with the api-adapter', () => {
  it('serves the core_service_* tools and the management routes through the aggregator', async () => {
    const g = await gateway(
      { fx: fixture(), other: fixture({ tools: 2 }) },
      {},
      { plugins: [apiAdapterPlugin] },
    );
    const client = await connect(g.url);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'core_service_list',
        'core_service_status',
        'core_service_start',
        'core_service_stop',
        'core_service_restart',
        'core_events',
      ]),
    );
    const api = (path: string) => new URL(path, g.url).toString();

    // The event stream, open before anything happens.
    const events: StateEvent[] = [];
    const reading = new AbortController();
    const stream = readEvents(api('/api/events'), events, reading.signal);

    const listed = await client.callTool({ name: 'core_service_list', arguments: {} });
    expect(textOf(listed)).toContain('"fx"');
    const status = await client.callTool({
      name: 'core_service_status',
      arguments: { name: 'fx' },
    });
    expect(status.structuredContent).toMatchObject({ name: 'fx', state: 'running' });

    // Stopping through a tool: fx's tools vanish from the listing.
    const stopped = await client.callTool({
      name: 'core_service_stop',
      arguments: { name: 'other' },
    });
    expect(stopped.isError).not.toBe(true);
    await waitFor(
      async () => !(await client.listTools()).tools.some((t) => t.name === 'x_other_echo'),
      WAIT,
    );
    // Starting through a tool: once it answers, other's tools are callable.
    const started = await client.callTool({
      name: 'core_service_start',
      arguments: { name: 'other' },
    });
    expect(started.isError).not.toBe(true);
    expect(
      textOf(await client.callTool({ name: 'x_other_echo', arguments: { text: 'back' } })),
    ).toBe('back');
    const unknown = await client.callTool({
      name: 'core_service_status',
      arguments: { name: 'nope' },
    });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toContain("service 'nope' not found");

    // The SSE stream saw the stop and the start of `other`, in order.
    await waitFor(() => events.filter((e) => e.name === 'other').length >= 4, {
      ...WAIT,
      description: 'the stop and start events of other',
    });
    const transitions = events
      .filter((e) => e.name === 'other')
      .map((e) => `${e.oldState}->${e.newState}`);
    expect(transitions.slice(0, 4)).toEqual([
      'running->stopping',
      'stopping->stopped',
      'stopped->starting',
      'starting->running',
    ]);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    reading.abort();
    await stream;

    // HTTP routes on the aggregator's port.
    const services = (await (await fetch(api('/api/services'))).json()) as {
      services: { name: string }[];
    };
    expect(services.services.map((s) => s.name).sort()).toEqual(['fx', 'gateway', 'other']);
    const one = await fetch(api('/api/services/fx'));
    expect(((await one.json()) as { state: string }).state).toBe('running');
    for (const action of ['stop', 'start', 'restart']) {
      const response = await fetch(api(`/api/services/fx/${action}`), { method: 'POST' });
      expect(response.status, action).toBe(200);
    }
    expect(
      textOf(await client.callTool({ name: 'x_fx_echo', arguments: { text: 'restarted' } })),
    ).toBe('restarted');
    const health = await fetch(api('/healthz'));
    expect(health.status).toBe(200);
    // Calls made through the aggregator are counted by the adapter's metrics.
    const metrics = await (await fetch(api('/metrics'))).text();
    expect(metrics).toMatch(/corral_tool_calls_total\{service="other",tool="echo"\} 1/);
    expect(metrics).toMatch(/corral_tool_calls_total\{service="core",tool="service_stop"\} 1/);
  }, 60_000);
});

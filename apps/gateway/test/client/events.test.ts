import { waitFor } from '@corral/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientOptions, runEvents } from '../../src/client/index.js';
import type { ExitCode } from '../../src/io.js';
import {
  captureIo,
  type CapturedIo,
  linesOf,
  startGateway,
  streamsOpen,
  type TestGateway,
  WAIT,
} from './helpers.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway({ servers: ['fx', 'fy'] });
});
afterAll(async () => {
  await gateway.close();
});

interface Following {
  readonly io: CapturedIo;
  readonly exited: Promise<ExitCode>;
  stop(): Promise<ExitCode>;
}

/** Runs `corral events` until stopped (Ctrl-C is an aborted signal), once its stream is open. */
async function follow(
  flags: Parameters<typeof runEvents>[2] = {},
  options: ClientOptions = gateway.client(),
): Promise<Following> {
  const io = captureIo();
  const ctrlC = new AbortController();
  const before = gateway.corral.events.subscriberCount;
  const exited = runEvents(options, io, { ...flags, signal: ctrlC.signal });
  await Promise.race([streamsOpen(gateway.corral, before), exited]);
  return {
    io,
    exited,
    stop: async () => {
      ctrlC.abort();
      const code = await exited;
      // The gateway lets go of the stream once it notices: the next test counts from there.
      await waitFor(() => gateway.corral.events.subscriberCount <= before, {
        ...WAIT,
        description: 'the event stream to be released',
      });
      return code;
    },
  };
}

/** Stops and starts `name` through the orchestrator, as another client would. */
async function bounce(name: string): Promise<void> {
  await gateway.corral.orchestrator.stopService(name);
  await gateway.corral.orchestrator.startService(name);
}

const EVENT_LINE = /^\d\d:\d\d:\d\d\.\d{3} {2}(\S+) +(.*)$/;

function changesOf(text: string): [string, string][] {
  return linesOf(text).map((line) => {
    const match = EVENT_LINE.exec(line);
    if (!match) throw new Error(`not an event line: ${line}`);
    return [match[1] ?? '', match[2] ?? ''];
  });
}

async function untilLines(io: CapturedIo, count: number, description: string): Promise<void> {
  await waitFor(() => linesOf(io.out()).length >= count, { ...WAIT, description });
}

describe('corral events', () => {
  it('prints a stop and a start in order, one line each, and exits 0 on Ctrl-C', async () => {
    const events = await follow();
    await bounce('fx');
    await untilLines(events.io, 4, 'the stop and start of fx');
    expect(await events.stop()).toBe(0);
    expect(changesOf(events.io.out())).toEqual([
      ['fx', 'running → stopping  (manual)'],
      ['fx', 'stopping → stopped  (manual)'],
      ['fx', 'stopped → starting  (start)'],
      ['fx', 'starting → running  (start)'],
    ]);
    expect(events.io.err()).toBe('');
  });

  it('--service prints only that service; --json one API event object per line', async () => {
    const events = await follow({ service: 'fy', json: true });
    await bounce('fx');
    await bounce('fy');
    await untilLines(events.io, 4, 'the stop and start of fy');
    expect(await events.stop()).toBe(0);
    const printed = linesOf(events.io.out()).map((line) => JSON.parse(line) as unknown);
    expect(printed).toEqual([
      expect.objectContaining({
        kind: 'state',
        name: 'fy',
        oldState: 'running',
        newState: 'stopping',
        reason: 'manual',
      }),
      expect.objectContaining({ name: 'fy', newState: 'stopped' }),
      expect.objectContaining({ name: 'fy', newState: 'starting' }),
      expect.objectContaining({
        name: 'fy',
        newState: 'running',
        seq: expect.any(Number),
        timestamp: expect.any(Number),
      }),
    ]);
  });

  it('--service with an unknown name is bad usage (2)', async () => {
    const io = captureIo();
    expect(await runEvents(gateway.client(), io, { service: 'ghost' })).toBe(2);
    expect(io.err()).toContain("service 'ghost' not found. Registered services: fx, fy, gateway");
  });

  it('--since replays the events after that seq, then follows', async () => {
    const first = gateway.corral.events.lastSeq;
    await bounce('fx');
    const events = await follow({ since: first, service: 'fx' });
    await untilLines(events.io, 4, 'the replayed stop and start of fx');
    expect(await events.stop()).toBe(0);
    expect(changesOf(events.io.out()).map(([, change]) => change)).toEqual([
      'running → stopping  (manual)',
      'stopping → stopped  (manual)',
      'stopped → starting  (start)',
      'starting → running  (start)',
    ]);
  });

  it('a dropped stream is resumed with Last-Event-ID: nothing missed, nothing twice', async () => {
    const asked: (string | null)[] = [];
    let cut = false;
    // Breaks the first event stream off right after its first event, as a flaky proxy would.
    const flaky: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : input.toString();
      if (!url.endsWith('/api/events')) return response;
      asked.push(new Headers(init?.headers).get('last-event-id'));
      const body = response.body;
      if (cut || !body) return response;
      cut = true;
      const reader: ReadableStreamDefaultReader<Uint8Array> = body.getReader();
      const broken = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const chunk = await reader.read();
          if (chunk.done) {
            controller.close();
            return;
          }
          controller.enqueue(chunk.value);
          if (new TextDecoder().decode(chunk.value).includes('event: state')) {
            await reader.cancel();
            controller.error(new Error('proxy hung up'));
          }
        },
      });
      return new Response(broken, { status: response.status, headers: response.headers });
    };
    const events = await follow(
      { service: 'fx', reconnect: { attempts: 3, initialDelayMs: 10 } },
      { ...gateway.client(), fetch: flaky },
    );
    await bounce('fx');
    await untilLines(events.io, 4, 'the stop and start of fx across the reconnect');
    expect(await events.stop()).toBe(0);
    expect(changesOf(events.io.out()).map(([, change]) => change)).toEqual([
      'running → stopping  (manual)',
      'stopping → stopped  (manual)',
      'stopped → starting  (start)',
      'starting → running  (start)',
    ]);
    expect(asked).toHaveLength(2);
    expect(asked[0]).toBeNull();
    expect(Number(asked[1])).toBeGreaterThan(0);
    expect(events.io.err()).toContain('corral: event stream lost (the connection to');
    expect(events.io.err()).toContain('reconnecting in 10 ms (attempt 1 of 3)');
    expect(events.io.err()).toContain('corral: reconnected to the event stream');
  });
});

describe('corral events when the gateway goes away', () => {
  it('tries to reconnect, says so, and exits 1', async () => {
    const doomed = await startGateway({ servers: [] });
    const io = captureIo();
    const before = doomed.corral.events.subscriberCount;
    const exited = runEvents(doomed.client(), io, {
      reconnect: { attempts: 2, initialDelayMs: 10 },
    });
    await streamsOpen(doomed.corral, before);
    await doomed.close();
    expect(await exited).toBe(1);
    const err = io.err();
    // Whichever comes first: the server ending the stream, or its sockets closing.
    expect(err).toMatch(
      /^corral: event stream lost \((the gateway ended the stream|the connection to \S+ broke off \(.+\))\); reconnecting in 10 ms \(attempt 1 of 2\)$/m,
    );
    expect(err).toContain('(attempt 2 of 2)');
    expect(err).toContain(
      'gave up on the event stream after 2 attempts to reconnect: no Corral gateway answering at',
    );
  });
});

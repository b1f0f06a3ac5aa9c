import type { CorralEvent } from '@corral/core';
import { waitFor } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  becomes,
  closeAll,
  dataOf,
  harness,
  MemoryService,
  openEventStream,
  routesOf,
  serve,
  WAIT,
} from './helpers.js';

afterEach(closeAll);

/** The transitions a stop and then a start of `name` make, in order. */
const stopThenStart = (name: string): [string, string, string][] => [
  [name, 'running', 'stopping'],
  [name, 'stopping', 'stopped'],
  [name, 'stopped', 'starting'],
  [name, 'starting', 'running'],
];

describe('GET /api/events', () => {
  it('streams the events of a stop and a start in order, as Server-Sent Events', async () => {
    const h = await harness({ services: [new MemoryService('alpha')] });
    const http = await serve(routesOf(h.corral));
    const stream = await openEventStream(`${http.url}/api/events`);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
    // Live only: nothing from before the stream opened.
    await waitFor(() => stream.comments.length > 0, {
      ...WAIT,
      description: 'the opening comment',
    });
    expect(stream.messages).toEqual([]);

    await h.adapter.stopService('alpha');
    await h.adapter.startService('alpha');
    const messages = await stream.waitForMessages(4, 'stop and start events');
    expect(messages.map((m) => m.event)).toEqual(['state', 'state', 'state', 'state']);
    const data = messages.map(dataOf);
    expect(data.map((d) => [d['name'], d['oldState'], d['newState']])).toEqual(
      stopThenStart('alpha'),
    );
    const seqs = data.map((d) => d['seq'] as number);
    expect(seqs).toEqual([seqs[0], (seqs[0] ?? 0) + 1, (seqs[0] ?? 0) + 2, (seqs[0] ?? 0) + 3]);
    expect(messages.map((m) => m.id)).toEqual(seqs.map(String));
    expect(data[1]).toEqual(
      expect.objectContaining({ kind: 'state', serviceType: 'Memory', reason: 'manual' }),
    );
    // Exactly what the bus published.
    expect(seqs).toEqual(h.events.slice(-4).map((e) => e.seq));
  });

  it('replays from Last-Event-ID, then goes live', async () => {
    const h = await harness({ services: [new MemoryService('alpha')] });
    const http = await serve(routesOf(h.corral));
    await h.adapter.stopService('alpha');
    await h.adapter.startService('alpha');
    const stopSeq = h.events.find(becomes('alpha', 'stopping'))?.seq ?? 0;
    expect(stopSeq).toBeGreaterThan(0);

    // A client that saw the event before the stop reconnects.
    const stream = await openEventStream(`${http.url}/api/events`, {
      'Last-Event-ID': String(stopSeq - 1),
    });
    const replayed = await stream.waitForMessages(4, 'the replayed events');
    expect(replayed.map((m) => Number(m.id))).toEqual([
      stopSeq,
      stopSeq + 1,
      stopSeq + 2,
      stopSeq + 3,
    ]);
    expect(replayed.map(dataOf).map((d) => [d['name'], d['oldState'], d['newState']])).toEqual(
      stopThenStart('alpha'),
    );

    await h.adapter.stopService('alpha');
    const live = await stream.waitForMessages(6, 'the live events after the replay');
    expect(live.slice(4).map((m) => Number(m.id))).toEqual([stopSeq + 4, stopSeq + 5]);
  });

  it('replays with ?since= too, and the header wins over the query', async () => {
    const h = await harness({ services: [new MemoryService('alpha'), new MemoryService('beta')] });
    const http = await serve(routesOf(h.corral));
    const last = h.events.length;
    const viaQuery = await openEventStream(`${http.url}/api/events?since=${last - 1}`);
    const [one] = await viaQuery.waitForMessages(1, 'the last event');
    expect(one?.id).toBe(String(last));

    const both = await openEventStream(`${http.url}/api/events?since=0`, {
      'Last-Event-ID': String(last - 2),
    });
    const two = await both.waitForMessages(2, 'the last two events');
    expect(two.map((m) => m.id)).toEqual([String(last - 1), String(last)]);
    expect(both.messages).toHaveLength(2);
  });

  it('starts with an overflow event when history no longer holds what was asked for', async () => {
    const h = await harness({
      services: [new MemoryService('alpha')],
      adapter: { historySize: 3 },
    });
    const http = await serve(routesOf(h.corral));
    await h.adapter.stopService('alpha');
    await h.adapter.startService('alpha');
    const total = h.events.length;
    const stream = await openEventStream(`${http.url}/api/events?since=0`);
    const messages = await stream.waitForMessages(4, 'an overflow and three events');
    const [overflow, ...rest] = messages;
    expect(overflow?.event).toBe('overflow');
    expect(overflow?.id).toBeUndefined();
    expect(overflow && dataOf(overflow)).toEqual(
      expect.objectContaining({ kind: 'overflow', dropped: total - 3 }),
    );
    expect(rest.map((m) => Number(m.id))).toEqual([total - 2, total - 1, total]);
  });

  it('an id from an earlier run (beyond the last seq) replays this run from the start', async () => {
    const h = await harness({ services: [new MemoryService('alpha')] });
    const http = await serve(routesOf(h.corral));
    const stream = await openEventStream(`${http.url}/api/events`, { 'Last-Event-ID': '9999' });
    const messages = await stream.waitForMessages(h.events.length, 'every event of this run');
    expect(messages.map((m) => Number(m.id))).toEqual(h.events.map((e) => e.seq));
  });

  it('ends when the corral stops, after the shutdown events', async () => {
    const h = await harness({ services: [new MemoryService('alpha')] });
    const http = await serve(routesOf(h.corral));
    const stream = await openEventStream(`${http.url}/api/events`);
    await waitFor(() => stream.comments.length > 0, { ...WAIT, description: 'the stream open' });
    await h.corral.stop();
    await stream.ended;
    expect(stream.messages.map(dataOf).map((d) => [d['oldState'], d['newState']])).toEqual([
      ['running', 'stopping'],
      ['stopping', 'stopped'],
    ]);
    // A stream opened after the stop replays what was asked for and ends at once.
    const late = await openEventStream(`${http.url}/api/events?since=0`);
    await late.ended;
    expect(late.messages.map((m) => Number(m.id))).toEqual(h.events.map((e) => e.seq));
  });

  it('sends heartbeat comments while idle', async () => {
    const h = await harness({ adapter: { heartbeatIntervalMs: 20 } });
    const http = await serve(routesOf(h.corral));
    const stream = await openEventStream(`${http.url}/api/events`);
    await waitFor(() => stream.comments.filter((c) => c.trim() === 'heartbeat').length >= 2, {
      ...WAIT,
      description: 'two heartbeats',
    });
    expect(stream.messages).toEqual([]);
  });

  it('lets go of its subscription when the client goes away', async () => {
    const h = await harness({ services: [new MemoryService('alpha')] });
    const http = await serve(routesOf(h.corral));
    const before = h.corral.events.subscriberCount;
    const stream = await openEventStream(`${http.url}/api/events`);
    await waitFor(() => h.corral.events.subscriberCount === before + 1, {
      ...WAIT,
      description: 'the subscription',
    });
    stream.close();
    await waitFor(() => h.corral.events.subscriberCount === before, {
      ...WAIT,
      description: 'the subscription to end',
    });
  });
});

describe('subscribeToStateChanges', () => {
  it('gives a slow reader an overflow marker in place of what it could not hold', async () => {
    const h = await harness({ services: [new MemoryService('alpha')] });
    const stream = h.adapter.subscribeToStateChanges({ queueSize: 2 });
    await h.adapter.stopService('alpha');
    await h.adapter.startService('alpha');
    const read: CorralEvent[] = [];
    for (let i = 0; i < 3; i++) {
      const next = await stream.next();
      if (next.done === true) break;
      read.push(next.value);
    }
    stream.unsubscribe();
    expect(read.map((e) => e.kind)).toEqual(['state', 'state', 'overflow']);
    expect(read[2]).toEqual(expect.objectContaining({ kind: 'overflow', dropped: 2 }));
    expect((await stream.next()).done).toBe(true);
  });

  it('replays, then goes live without a gap or a duplicate', async () => {
    const h = await harness({ services: [new MemoryService('alpha')] });
    const stream = h.adapter.subscribeToStateChanges({ since: 0 });
    const replayedCount = h.events.length;
    await h.adapter.stopService('alpha');
    const seqs: number[] = [];
    for await (const event of stream) {
      if (event.kind === 'state') seqs.push(event.seq);
      if (seqs.length === replayedCount + 2) break;
    }
    expect(seqs).toEqual(h.events.map((e) => e.seq));
  });

  it('ends a pending read at once on unsubscribe', async () => {
    const h = await harness();
    const stream = h.adapter.subscribeToStateChanges();
    const pending = stream.next();
    stream.unsubscribe();
    expect((await pending).done).toBe(true);
  });
});

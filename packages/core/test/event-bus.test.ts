import { describe, expect, it } from 'vitest';
import { type CorralEvent, EventBus, type ServiceTransition, systemClock } from '../src/index.js';
import { drain } from './support/harness.js';

const transition = (i: number): ServiceTransition => ({
  name: `svc-${i}`,
  serviceType: 'test',
  oldState: 'stopped',
  newState: 'starting',
  oldHealth: 'unknown',
  health: 'unknown',
});

describe('EventBus', () => {
  it('numbers events with a seq that increases by one, and stamps them with the clock', () => {
    const bus = new EventBus({ ...systemClock, now: () => 1234 });
    const a = bus.publish(transition(1));
    const b = bus.publish(transition(2));
    expect([a.seq, b.seq]).toEqual([1, 2]);
    expect(a.timestamp).toBe(1234);
    expect(a.kind).toBe('state');
    expect(bus.lastSeq).toBe(2);
  });

  it('delivers every event, in order, to each of 10 subscribers', async () => {
    const bus = new EventBus(systemClock);
    const subs = Array.from({ length: 10 }, () => bus.subscribe());
    const reading = subs.map(drain);
    for (let i = 0; i < 500; i++) bus.publish(transition(i));
    bus.close();
    const received = await Promise.all(reading);
    for (const events of received) {
      expect(events).toHaveLength(500);
      expect(events.map((e) => (e.kind === 'state' ? e.seq : -1))).toEqual(
        Array.from({ length: 500 }, (_, i) => i + 1),
      );
    }
  });

  it('gives a stalled subscriber one overflow marker with the count dropped, and never delays the others', async () => {
    const bus = new EventBus(systemClock);
    const stalled = bus.subscribe({ queueSize: 8 });
    const live = bus.subscribe({ queueSize: 8 });
    const liveSeen: number[] = [];
    const liveReader = (async () => {
      for await (const event of live) if (event.kind === 'state') liveSeen.push(event.seq);
    })();
    for (let i = 0; i < 100; i++) {
      bus.publish(transition(i));
      // The live reader keeps up: give it a turn after each event.
      await Promise.resolve();
      await Promise.resolve();
    }
    expect(liveSeen).toHaveLength(100);
    expect(stalled.pending).toBe(9); // 8 events + the marker
    bus.close();
    const got = await drain(stalled);
    expect(got.slice(0, 8).map((e) => (e.kind === 'state' ? e.seq : 0))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    expect(got[8]).toMatchObject({ kind: 'overflow', dropped: 92 });
    expect(got).toHaveLength(9);
    await liveReader;
  });

  it('after the overflow marker, a subscriber that caught up receives new events again', async () => {
    const bus = new EventBus(systemClock);
    const sub = bus.subscribe({ queueSize: 2 });
    for (let i = 0; i < 5; i++) bus.publish(transition(i));
    const first: CorralEvent[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await sub.next();
      if (!r.done) first.push(r.value);
    }
    expect(first.map((e) => e.kind)).toEqual(['state', 'state', 'overflow']);
    expect(first[2]).toMatchObject({ dropped: 3 });
    bus.publish(transition(99));
    const next = await sub.next();
    expect(next.value).toMatchObject({ kind: 'state', seq: 6 });
  });

  it('publishing never blocks: a subscriber that never reads costs the publisher nothing but its bounded queue', () => {
    const bus = new EventBus(systemClock, { defaultQueueSize: 16 });
    const sub = bus.subscribe();
    for (let i = 0; i < 100_000; i++) bus.publish(transition(i));
    expect(sub.pending).toBe(17);
  });

  it('unsubscribe ends that stream and stops delivery to it', async () => {
    const bus = new EventBus(systemClock);
    const sub = bus.subscribe();
    const other = bus.subscribe();
    bus.publish(transition(1));
    sub.unsubscribe();
    bus.publish(transition(2));
    expect(await sub.next()).toEqual({ done: true, value: undefined });
    expect(bus.subscriberCount).toBe(1);
    expect((await other.next()).value).toMatchObject({ seq: 1 });
    expect((await other.next()).value).toMatchObject({ seq: 2 });
  });

  it('breaking out of for-await unsubscribes', async () => {
    const bus = new EventBus(systemClock);
    const sub = bus.subscribe();
    bus.publish(transition(1));
    for await (const _event of sub) break;
    expect(bus.subscriberCount).toBe(0);
  });

  it('close ends every stream after its queued events, wakes waiting readers, and later subscriptions are already ended', async () => {
    const bus = new EventBus(systemClock);
    const waiting = bus.subscribe();
    const pendingRead = waiting.next();
    const queued = bus.subscribe();
    bus.publish(transition(1));
    bus.close();
    expect((await pendingRead).value).toMatchObject({ seq: 1 });
    expect((await waiting.next()).done).toBe(true);
    expect(await drain(queued)).toHaveLength(1);
    expect(await drain(bus.subscribe())).toEqual([]);
    expect(bus.closed).toBe(true);
  });

  it('rejects a queue size that is not a positive integer', () => {
    const bus = new EventBus(systemClock);
    expect(() => bus.subscribe({ queueSize: 0 })).toThrow(/queueSize must be a positive integer/);
  });
});

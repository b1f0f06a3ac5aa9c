import { describe, expect, it } from 'vitest';
import { parseStateEvent } from '../src/api/event-feed.js';
import { FleetStore } from '../src/model/fleet-store.js';
import type { ServiceInfo, StateEvent } from '../src/model/types.js';

const memory: ServiceInfo = {
  name: 'memory',
  type: 'MCPServer',
  state: 'running',
  health: 'healthy',
  since: 1000,
  tools: 9,
  dependencies: [],
  autoStart: true,
  consecutiveFailures: 0,
  restarts: 0,
};

function event(seq: number, oldState: string, newState: string, extra = {}): StateEvent {
  const parsed = parseStateEvent(
    JSON.stringify({
      kind: 'state',
      seq,
      timestamp: 5000 + seq,
      name: 'memory',
      serviceType: 'MCPServer',
      oldState,
      newState,
      health: 'healthy',
      ...extra,
    }),
  );
  if (!parsed) throw new Error('did not parse');
  return parsed;
}

describe('FleetStore', () => {
  it('moves a service on with each event and tells its views', () => {
    const store = new FleetStore();
    let changes = 0;
    store.addEventListener('change', () => changes++);
    store.setSnapshot([memory]);
    expect(store.applyEvent(event(1, 'running', 'stopping', { reason: 'manual' }))).toBe(true);
    expect(store.applyEvent(event(2, 'stopping', 'stopped', { reason: 'manual' }))).toBe(true);
    const stopped = store.service('memory');
    expect(stopped?.state).toBe('stopped');
    expect(stopped?.since).toBe(5002);
    expect(stopped?.tools).toBeUndefined();
    expect(store.events.map((e) => (e.kind === 'state' ? e.newState : e.kind))).toEqual([
      'stopping',
      'stopped',
    ]);
    expect(changes).toBe(3);
  });

  it('ignores an event it has seen (a replay after reconnecting) and keeps the last error', () => {
    const store = new FleetStore();
    store.setSnapshot([memory]);
    const error = { code: 'PROCESS_EXITED', message: 'exited (signal SIGKILL)' };
    store.applyEvent(event(7, 'running', 'failed', { error }));
    expect(store.applyEvent(event(7, 'running', 'failed', { error }))).toBe(false);
    expect(store.applyEvent(event(3, 'running', 'stopped'))).toBe(false);
    store.applyEvent(event(8, 'failed', 'retrying'));
    expect(store.events).toHaveLength(2);
    expect(store.service('memory')?.lastError).toEqual(error);
  });

  it('keeps at most maxEvents log entries, the newest, and notes overflows', () => {
    const store = new FleetStore(3);
    for (let seq = 1; seq <= 5; seq++) store.applyEvent(event(seq, 'running', 'running'));
    store.noteOverflow(12, 9000);
    expect(store.events.map((e) => (e.kind === 'state' ? e.seq : `dropped ${e.dropped}`))).toEqual([
      4,
      5,
      'dropped 12',
    ]);
  });

  it('rejects malformed stream data instead of corrupting the view', () => {
    expect(parseStateEvent('not json')).toBeUndefined();
    expect(parseStateEvent(JSON.stringify({ seq: 1, name: 'a' }))).toBeUndefined();
    expect(
      parseStateEvent(
        JSON.stringify({ seq: 1, name: 'a', timestamp: 1, oldState: 'running', newState: 'bogus' }),
      ),
    ).toBeUndefined();
  });
});

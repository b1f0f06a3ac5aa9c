import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness, settle } from './support/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const stateOf = (h: Harness): Record<string, string> =>
  Object.fromEntries(h.orchestrator.getAllServices().map((s) => [s.name, s.state]));

async function chain(): Promise<Harness> {
  // A ← B ← C: C depends on B, B depends on A.
  const h = createHarness([
    { name: 'A' },
    { name: 'B', dependencies: ['A'] },
    { name: 'C', dependencies: ['B'] },
  ]);
  await h.orchestrator.start();
  await settle();
  return h;
}

async function diamond(): Promise<Harness> {
  // A ← B, A ← C, B ← D, C ← D.
  const h = createHarness([
    { name: 'A' },
    { name: 'B', dependencies: ['A'] },
    { name: 'C', dependencies: ['A'] },
    { name: 'D', dependencies: ['B', 'C'] },
  ]);
  await h.orchestrator.start();
  await settle();
  return h;
}

describe('cascade (DESIGN §4.3, §4.4)', () => {
  it('chain: stopping A manually sends B and C to waiting with reason dependency, dependents first', async () => {
    const h = await chain();
    await h.orchestrator.stopService('A');
    await settle();
    expect(stateOf(h)).toEqual({ A: 'stopped', B: 'waiting', C: 'waiting' });
    expect(h.service('A').stopReason).toBe('manual');
    expect(h.service('B').stopReason).toBe('dependency');
    expect(h.service('C').stopReason).toBe('dependency');
    expect(h.events.find((e) => e.name === 'B' && e.newState === 'waiting')?.reason).toBe(
      'dependency',
    );
    expect(h.seqOf('C', 'waiting')).toBeLessThan(h.seqOf('B', 'stopping'));
    expect(h.seqOf('B', 'waiting')).toBeLessThan(h.seqOf('A', 'stopping'));
  });

  it('chain: starting A again brings back B, then C', async () => {
    const h = await chain();
    await h.orchestrator.stopService('A');
    const mark = h.events.at(-1)?.seq ?? 0;
    await h.orchestrator.startService('A');
    await settle();
    expect(stateOf(h)).toEqual({ A: 'running', B: 'running', C: 'running' });
    expect(h.seqOf('A', 'running', mark)).toBeLessThan(h.seqOf('B', 'starting', mark));
    expect(h.seqOf('B', 'running', mark)).toBeLessThan(h.seqOf('C', 'starting', mark));
  });

  it('chain: stop B manually, then restart A: B stays stopped and C keeps waiting', async () => {
    const h = await chain();
    await h.orchestrator.stopService('B');
    expect(stateOf(h)).toEqual({ A: 'running', B: 'stopped', C: 'waiting' });
    await h.orchestrator.restartService('A');
    await settle(1_000);
    expect(stateOf(h)).toEqual({ A: 'running', B: 'stopped', C: 'waiting' });
    expect(h.service('B').startCalls).toBe(1);
    // Once B is started by hand, C comes back.
    await h.orchestrator.startService('B');
    await settle();
    expect(stateOf(h)).toEqual({ A: 'running', B: 'running', C: 'running' });
  });

  it('diamond: stopping A sends B, C and D to waiting; starting A brings all back, D after both B and C', async () => {
    const h = await diamond();
    await h.orchestrator.stopService('A');
    await settle();
    expect(stateOf(h)).toEqual({ A: 'stopped', B: 'waiting', C: 'waiting', D: 'waiting' });
    const mark = h.events.at(-1)?.seq ?? 0;
    await h.orchestrator.startService('A');
    await settle();
    expect(stateOf(h)).toEqual({ A: 'running', B: 'running', C: 'running', D: 'running' });
    expect(h.seqOf('B', 'running', mark)).toBeLessThan(h.seqOf('D', 'starting', mark));
    expect(h.seqOf('C', 'running', mark)).toBeLessThan(h.seqOf('D', 'starting', mark));
    // D started exactly once more, not once per dependency.
    expect(h.service('D').startCalls).toBe(2);
  });

  it('diamond: with C stopped manually, D waits even when A returns', async () => {
    const h = await diamond();
    await h.orchestrator.stopService('C');
    await h.orchestrator.restartService('A');
    await settle();
    expect(stateOf(h)).toEqual({ A: 'running', B: 'running', C: 'stopped', D: 'waiting' });
  });

  it('a failing dependency sends dependents to waiting, and they return when its retry succeeds', async () => {
    const h = await chain();
    h.service('A').failStarts = 1;
    h.service('A').crash('A lost its process');
    await settle();
    expect(stateOf(h)).toEqual({ A: 'retrying', B: 'waiting', C: 'waiting' });
    expect(h.service('B').stopReason).toBe('dependency');
    // First retry fails (planned), the second succeeds (within 1 s + 2 s of backoff ceilings);
    // dependents come back after it.
    await settle(3_000);
    await settle();
    expect(h.service('A').startCalls).toBe(3);
    // Each dependent went down once and came back once: no restart in the middle of the cascade.
    expect(h.service('B').startCalls).toBe(2);
    expect(h.service('C').startCalls).toBe(2);
    expect(stateOf(h)).toEqual({ A: 'running', B: 'running', C: 'running' });
    expect(h.orchestrator.getServiceInfo('A').restarts).toBe(1);
  });

  it('restartService keeps dependents coming back', async () => {
    const h = await chain();
    const mark = h.events.at(-1)?.seq ?? 0;
    await h.orchestrator.restartService('A');
    await settle();
    expect(stateOf(h)).toEqual({ A: 'running', B: 'running', C: 'running' });
    expect(h.seqOf('C', 'waiting', mark)).toBeLessThan(h.seqOf('A', 'stopped', mark));
    expect(h.seqOf('A', 'running', mark)).toBeLessThan(h.seqOf('B', 'starting', mark));
  });

  it('stopping a dependent manually does not touch what it depends on', async () => {
    const h = await chain();
    await h.orchestrator.stopService('C');
    expect(stateOf(h)).toEqual({ A: 'running', B: 'running', C: 'stopped' });
  });

  it('a dependent in the retry path when its dependency stops waits instead, and its retry is cancelled', async () => {
    const h = await chain();
    h.service('C').broken = true;
    h.service('C').crash();
    await settle();
    expect(h.service('C').state).toBe('retrying');
    await h.orchestrator.stopService('A');
    await settle();
    expect(stateOf(h)).toEqual({ A: 'stopped', B: 'waiting', C: 'waiting' });
    expect(h.orchestrator.getServiceInfo('C').nextRetryAt).toBeUndefined();
    const calls = h.service('C').startCalls;
    await settle(300_000);
    expect(h.service('C').startCalls).toBe(calls);
  });

  it('a dependent whose slow stop ends after its dependency already recovered still comes back', async () => {
    const h = createHarness([
      { name: 'A' },
      { name: 'B', dependencies: ['A'], stopDelayMs: 5_000 },
    ]);
    const starting = h.orchestrator.start();
    await settle();
    await starting;
    h.service('A').crash();
    await settle(1_000); // A's retry is due within 1 s and succeeds; B is still stopping.
    expect(h.service('A').state).toBe('running');
    expect(h.service('B').state).toBe('stopping');
    await settle(5_000);
    await settle();
    expect(h.service('B').state).toBe('running');
  });
});

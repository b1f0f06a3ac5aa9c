import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { seededRandom } from '@corral/testing';
import { backoffCeiling, backoffDelay, defaultOrchestratorOptions } from '../src/index.js';
import { createHarness, settle } from './support/harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const policy = defaultOrchestratorOptions.retry;

describe('backoff (DESIGN §4.5)', () => {
  it('grows exponentially from 1 s by a factor of 2 up to the 2 min cap', () => {
    const ceilings = Array.from({ length: 10 }, (_, i) => backoffCeiling(policy, i + 1));
    expect(ceilings).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 120_000, 120_000, 120_000,
    ]);
  });

  it('full jitter: every delay lies in [0, ceiling) and they spread across it', () => {
    const random = seededRandom(42);
    for (let attempt = 1; attempt <= 8; attempt++) {
      const ceiling = backoffCeiling(policy, attempt);
      const delays = Array.from({ length: 2_000 }, () => backoffDelay(policy, attempt, random));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(ceiling);
      // Spread: both the lowest and the highest tenth of the range are used.
      expect(delays.some((d) => d < ceiling / 10)).toBe(true);
      expect(delays.some((d) => d > (ceiling * 9) / 10)).toBe(true);
    }
  });

  it('the same seed gives the same delays', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const seq = (r: typeof a): number[] => [1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, r));
    expect(seq(a)).toEqual(seq(b));
  });
});

describe('retry (DESIGN §4.5)', () => {
  it('retries a failed service with backoff whose delays stay within each ceiling', async () => {
    const h = createHarness([{ name: 'flaky', failStarts: 4 }], { seed: 3 });
    await h.orchestrator.start();
    const scheduled: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      await settle();
      const info = h.orchestrator.getServiceInfo('flaky');
      expect(info.state).toBe('retrying');
      expect(info.consecutiveFailures).toBe(attempt);
      const delay = (info.nextRetryAt ?? 0) - Date.now();
      scheduled.push(delay);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(backoffCeiling(policy, attempt));
      await settle(delay);
    }
    await settle();
    expect(h.service('flaky').state).toBe('running');
    expect(h.orchestrator.getServiceInfo('flaky')).toMatchObject({
      consecutiveFailures: 0,
      restarts: 1,
    });
    expect(h.service('flaky').startCalls).toBe(5);
    // Reproducible: the delays come from the seeded source.
    const replay = seededRandom(3);
    expect(scheduled).toEqual([1, 2, 3, 4].map((n) => backoffDelay(policy, n, replay)));
  });

  it('a service that keeps failing goes unreachable after 5 failures and is retried at the cap', async () => {
    const h = createHarness([{ name: 'down' }]);
    h.service('down').broken = true;
    await h.orchestrator.start();
    for (let i = 0; i < 4; i++) {
      await settle();
      const info = h.orchestrator.getServiceInfo('down');
      await settle((info.nextRetryAt ?? 0) - Date.now());
    }
    await settle();
    const info = h.orchestrator.getServiceInfo('down');
    expect(info.state).toBe('unreachable');
    expect(info.consecutiveFailures).toBe(5);
    expect((info.nextRetryAt ?? 0) - Date.now()).toBe(120_000);
    const calls = h.service('down').startCalls;
    await settle(119_999);
    expect(h.service('down').startCalls).toBe(calls);
    h.service('down').broken = false;
    await settle(1);
    await settle();
    expect(h.service('down').state).toBe('running');
  });

  it('with 50 failing services, never more than 5 attempts are in flight, and all recover', async () => {
    const h = createHarness(
      Array.from({ length: 50 }, (_, i) => ({ name: `s${i}`, failStarts: 3, startDelayMs: 200 })),
      { seed: 11 },
    );
    const started = h.orchestrator.start();
    await settle(200);
    await started;
    // The first attempts are the fleet start, not retries; from here on only retries run.
    expect(h.probe.current).toBe(0);
    h.probe.max = 0;
    let maxRetryStats = 0;
    for (
      let t = 0;
      t < 200 && h.orchestrator.getAllServices().some((s) => s.state !== 'running');
      t++
    ) {
      await settle(100);
      maxRetryStats = Math.max(maxRetryStats, h.orchestrator.retryStats.active);
    }
    expect(h.orchestrator.getAllServices().every((s) => s.state === 'running')).toBe(true);
    expect(h.probe.max).toBe(5);
    expect(maxRetryStats).toBeLessThanOrEqual(5);
    expect(h.registry.list().every((s) => h.service(s.name).startCalls === 4)).toBe(true);
  });

  it('due retries run oldest-due first', async () => {
    const h = createHarness(
      Array.from({ length: 8 }, (_, i) => ({ name: `s${i}`, failStarts: 1, startDelayMs: 1_000 })),
      { retry: { maxConcurrent: 1 }, seed: 5 },
    );
    const started = h.orchestrator.start();
    await settle(1_000);
    await started;
    await settle();
    const due = h.orchestrator
      .getAllServices()
      .map((s) => ({ name: s.name, at: s.nextRetryAt ?? 0 }))
      .sort((a, b) => a.at - b.at)
      .map((s) => s.name);
    // Let every retry come due while the single slot is busy, then watch the order they run in.
    await settle(20_000);
    const order = h.events
      .filter((e) => e.newState === 'starting' && e.oldState === 'retrying')
      .map((e) => e.name);
    expect(order).toEqual(due);
  });

  it('a manually stopped service is never retried', async () => {
    const h = createHarness([{ name: 'a' }]);
    await h.orchestrator.start();
    h.service('a').broken = true;
    h.service('a').crash();
    await settle();
    expect(h.service('a').state).toBe('retrying');
    await h.orchestrator.stopService('a');
    await settle(600_000);
    expect(h.service('a').state).toBe('stopped');
    expect(h.service('a').startCalls).toBe(1);
  });

  it('a stop during a retry attempt cancels it', async () => {
    const h = createHarness([{ name: 'a', startDelayMs: 0 }]);
    await h.orchestrator.start();
    const a = h.service('a');
    a.startDelayMs = 60_000;
    a.crash();
    await settle();
    await settle((h.orchestrator.getServiceInfo('a').nextRetryAt ?? 0) - Date.now());
    await settle(1_000);
    expect(a.state).toBe('starting');
    expect(h.orchestrator.retryStats.active).toBe(1);
    await h.orchestrator.stopService('a');
    await settle();
    expect(a.lastStartSignal?.aborted).toBe(true);
    expect(a.state).toBe('stopped');
    expect(h.orchestrator.retryStats.active).toBe(0);
    await settle(600_000);
    expect(a.state).toBe('stopped');
  });

  it('a service is never retried twice at once, even when startService races the retry', async () => {
    const h = createHarness([{ name: 'a' }]);
    await h.orchestrator.start();
    const a = h.service('a');
    a.startDelayMs = 5_000;
    a.crash();
    await settle();
    await settle((h.orchestrator.getServiceInfo('a').nextRetryAt ?? 0) - Date.now());
    const explicit = h.orchestrator.startService('a');
    await settle(5_000);
    await explicit;
    expect(h.probe.max).toBe(1);
    expect(a.state).toBe('running');
  });

  it('restart policy never leaves a failed service failed', async () => {
    const h = createHarness([{ name: 'once', restartPolicy: 'never', failStarts: 1 }]);
    await h.orchestrator.start();
    await settle(600_000);
    expect(h.service('once').state).toBe('failed');
    expect(h.service('once').startCalls).toBe(1);
  });

  it('the 30 s sweep picks up a failed service that no retry timer covers', async () => {
    // Failed before the orchestrator ran, so no reaction scheduled its retry; not autoStart, so
    // start() leaves it alone. Only the sweep can notice it.
    const h = createHarness([{ name: 'a', autoStart: false, failStarts: 1 }]);
    await h
      .service('a')
      .start()
      .catch(() => undefined);
    expect(h.service('a').state).toBe('failed');
    await h.orchestrator.start();
    await settle(29_999);
    expect(h.orchestrator.getServiceInfo('a').nextRetryAt).toBeUndefined();
    await settle(1);
    expect(h.service('a').state).toBe('retrying');
    await settle(1_000);
    await settle();
    expect(h.service('a').state).toBe('running');
    expect(h.service('a').startCalls).toBe(2);
  });
});

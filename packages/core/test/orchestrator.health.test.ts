import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Orchestrator } from '../src/index.js';
import { createHarness, settle } from './support/harness.js';
import { CheckedService } from './support/test-service.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function withChecked(options: ConstructorParameters<typeof CheckedService>[0]): Promise<{
  orchestrator: Orchestrator;
  service: CheckedService;
  states: () => string[];
  healths: () => string[];
}> {
  const h = createHarness();
  const service = new CheckedService(options);
  h.registry.register(service);
  await h.orchestrator.start();
  return {
    orchestrator: h.orchestrator,
    service,
    states: () => h.states(service.name),
    healths: () =>
      h.events
        .filter((e) => e.name === service.name && e.oldHealth !== e.health)
        .map((e) => e.health),
  };
}

describe('health probing (DESIGN §4.6)', () => {
  it('probes a running HealthChecker on its interval', async () => {
    const { service } = await withChecked({ name: 'p', intervalMs: 1_000 });
    await settle(999);
    expect(service.checks).toBe(0);
    await settle(1);
    expect(service.checks).toBe(1);
    await settle(3_000);
    expect(service.checks).toBe(4);
  });

  it('N consecutive failed probes mark the service failed and hand it to retry', async () => {
    const { service, states } = await withChecked({ name: 'p', intervalMs: 1_000, threshold: 3 });
    service.answer = 'unhealthy';
    await settle(2_000);
    expect(service.state).toBe('running');
    expect(service.health).toBe('degraded');
    await settle(1_000);
    await settle();
    expect(states()).toEqual(['starting', 'running', 'failed', 'retrying']);
    expect(service.lastError?.code).toBe('HEALTH_CHECK_FAILED');
    expect(service.lastError?.message).toMatch(
      /failed 3 health checks in a row; last: probe says no/,
    );
    expect(service.holding).toBe(false);
    service.answer = 'healthy';
    await settle(1_000);
    await settle();
    expect(service.state).toBe('running');
  });

  it('a success in between resets the count', async () => {
    const { service } = await withChecked({ name: 'p', intervalMs: 1_000, threshold: 3 });
    service.answer = 'throw';
    await settle(2_000);
    service.answer = 'healthy';
    await settle(1_000);
    expect(service.health).toBe('healthy');
    service.answer = 'throw';
    await settle(2_000);
    expect(service.state).toBe('running');
  });

  it('a probe that hangs past its timeout counts as a failure', async () => {
    const { service } = await withChecked({
      name: 'p',
      intervalMs: 1_000,
      timeoutMs: 500,
      threshold: 2,
    });
    service.answer = 'hang';
    await settle(1_500);
    expect(service.health).toBe('degraded');
    await settle(1_500);
    await settle();
    expect(service.lastError?.message).toMatch(/health check timed out after 500 ms/);
    expect(['failed', 'retrying']).toContain(service.state);
  });

  it('reports degraded when the probe says so, and healthy again after', async () => {
    const { service, healths } = await withChecked({ name: 'p', intervalMs: 1_000 });
    service.answer = 'degraded';
    await settle(1_000);
    service.answer = 'healthy';
    await settle(1_000);
    expect(healths()).toEqual(['healthy', 'degraded', 'healthy']);
  });

  it('does not probe stopped services', async () => {
    const { service, orchestrator } = await withChecked({ name: 'p', intervalMs: 1_000 });
    await orchestrator.stopService('p');
    await settle(10_000);
    expect(service.checks).toBe(0);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  allowedTransitions,
  AuthRequiredError,
  BaseService,
  canTransition,
  InvalidTransitionError,
  ServiceStartError,
  type ServiceTransition,
  StartAbortedError,
} from '../src/index.js';
import { settle } from './support/harness.js';
import { TestService } from './support/test-service.js';

function record(service: BaseService): ServiceTransition[] {
  const seen: ServiceTransition[] = [];
  service.onTransition((t) => seen.push(t));
  return seen;
}

const path = (seen: ServiceTransition[]): string[] =>
  seen.filter((t) => t.oldState !== t.newState).map((t) => `${t.oldState}>${t.newState}`);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('BaseService', () => {
  it('emits exactly one transition per state change, start to stop', async () => {
    const service = new TestService({ name: 'a', startDelayMs: 10 });
    const seen = record(service);
    const started = service.start();
    await settle(10);
    await started;
    await service.stop();
    expect(path(seen)).toEqual([
      'unknown>starting',
      'starting>running',
      'running>stopping',
      'stopping>stopped',
    ]);
    expect(seen).toHaveLength(4);
    expect(service.state).toBe('stopped');
    expect(service.stopReason).toBe('manual');
    expect(seen[1]).toMatchObject({ health: 'healthy', reason: 'start' });
  });

  it('concurrent starts share one attempt', async () => {
    const service = new TestService({ name: 'a', startDelayMs: 50 });
    const first = service.start();
    const second = service.start();
    expect(second).toBe(first);
    await settle(50);
    await Promise.all([first, second]);
    expect(service.startCalls).toBe(1);
    expect(service.state).toBe('running');
  });

  it('a stop during a start aborts the start through its signal, and the stop wins', async () => {
    const service = new TestService({ name: 'a', startDelayMs: 1_000 });
    const seen = record(service);
    const starting = service.start();
    const startOutcome = starting.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await settle(10);
    const stopping = service.stop();
    expect(service.lastStartSignal?.aborted).toBe(true);
    await settle();
    await stopping;
    expect(await startOutcome).toBeInstanceOf(StartAbortedError);
    expect(service.state).toBe('stopped');
    expect(service.holding).toBe(false);
    expect(path(seen)).toEqual(['unknown>starting', 'starting>stopping', 'stopping>stopped']);
  });

  it('a start after a stop queues behind it and runs afresh', async () => {
    const service = new TestService({ name: 'a' });
    await service.start();
    const stopping = service.stop();
    const starting = service.start();
    await Promise.all([stopping, starting]);
    expect(service.state).toBe('running');
    expect(service.startCalls).toBe(2);
  });

  it('a failed start ends in failed with the reason, releases what it held and rejects with ServiceStartError', async () => {
    const service = new TestService({ name: 'a', failStarts: 1 });
    const seen = record(service);
    const error = await service.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceStartError);
    expect((error as ServiceStartError).message).toMatch(
      /service 'a' failed to start: a failed to start \(planned\)/,
    );
    expect(service.state).toBe('failed');
    expect(service.health).toBe('unhealthy');
    expect(service.lastError).toEqual({ code: 'ERROR', message: 'a failed to start (planned)' });
    expect(service.holding).toBe(false);
    expect(seen.at(-1)).toMatchObject({
      newState: 'failed',
      reason: 'failure',
      error: { message: 'a failed to start (planned)' },
    });
  });

  it('an AuthRequiredError from doStart ends in auth_required', async () => {
    class NeedsAuth extends BaseService {
      protected doStart(): Promise<void> {
        return Promise.reject(new AuthRequiredError('401 from server: set a token'));
      }
      protected doStop(): Promise<void> {
        return Promise.resolve();
      }
    }
    const service = new NeedsAuth({ name: 'remote', type: 'test' });
    await expect(service.start()).rejects.toThrow(/401/);
    expect(service.state).toBe('auth_required');
    expect(service.lastError?.code).toBe('AUTH_REQUIRED');
  });

  it('a failure reported while running releases resources and ends in failed', async () => {
    const service = new TestService({ name: 'a' });
    await service.start();
    service.crash('process exited with code 1');
    await settle();
    expect(service.state).toBe('failed');
    expect(service.holding).toBe(false);
    expect(service.lastError?.message).toBe('process exited with code 1');
  });

  it('a failure reported after a stop was requested is ignored: the stop wins', async () => {
    const service = new TestService({ name: 'a', stopDelayMs: 20 });
    await service.start();
    const stopping = service.stop();
    service.crash();
    await settle(20);
    await stopping;
    await settle();
    expect(service.state).toBe('stopped');
  });

  it('stop with reason dependency ends in waiting; a manual stop is never turned into waiting', async () => {
    const service = new TestService({ name: 'a' });
    await service.start();
    await service.stop('dependency');
    expect(service.state).toBe('waiting');
    expect(service.stopReason).toBe('dependency');
    await service.stop('manual');
    expect(service.state).toBe('stopped');
    const seen = record(service);
    await service.stop('dependency');
    expect(service.state).toBe('stopped');
    expect(seen).toEqual([]);
  });

  it('stopping a stopped service is a no-op without events', async () => {
    const service = new TestService({ name: 'a' });
    await service.start();
    await service.stop();
    const seen = record(service);
    await service.stop();
    expect(seen).toEqual([]);
  });

  it('health-only changes are events too, once per change', async () => {
    const service = new TestService({ name: 'a' });
    await service.start();
    const seen = record(service);
    service.setHealth('degraded', new Error('slow'));
    service.setHealth('degraded');
    service.setHealth('healthy');
    expect(seen.map((t) => `${t.oldHealth}>${t.health}`)).toEqual([
      'healthy>degraded',
      'degraded>healthy',
    ]);
    expect(seen.every((t) => t.oldState === 'running' && t.newState === 'running')).toBe(true);
    expect(seen[0]?.error?.message).toBe('slow');
  });

  it('a service that does not honour its state machine gets a clear InvalidTransitionError', () => {
    const service = new TestService({ name: 'a' });
    expect(canTransition('stopped', 'running')).toBe(false);
    expect(allowedTransitions.running).toContain('stopping');
    // markRetryScheduled on a service that has not failed is ignored rather than corrupting state.
    service.markRetryScheduled('retrying');
    expect(service.state).toBe('unknown');
    expect(new InvalidTransitionError('a', 'stopped', 'running').message).toMatch(
      /cannot go from 'stopped' to 'running'/,
    );
  });

  it('restart = stop then start', async () => {
    const service = new TestService({ name: 'a' });
    await service.start();
    const seen = record(service);
    await service.restart();
    expect(path(seen)).toEqual([
      'running>stopping',
      'stopping>stopped',
      'stopped>starting',
      'starting>running',
    ]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deferred } from '@corral/testing';
import {
  DependencyCycleError,
  DuplicateServiceError,
  MissingDependencyError,
  OrchestratorStoppedError,
  ReadinessTimeoutError,
  ServiceNotFoundError,
  ServiceStartError,
} from '../src/index.js';
import { createHarness, drain, settle } from './support/harness.js';
import { asTestService, TestService } from './support/test-service.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Orchestrator: start() (DESIGN §4.1)', () => {
  it('starts in dependency order: a service starts only after all it depends on run', async () => {
    const h = createHarness([
      { name: 'web', dependencies: ['api', 'cache'], startDelayMs: 5 },
      { name: 'api', dependencies: ['db'], startDelayMs: 20 },
      { name: 'cache', startDelayMs: 50 },
      { name: 'db', startDelayMs: 30 },
    ]);
    const started = h.orchestrator.start();
    await settle(200);
    await started;
    expect(h.seqOf('db', 'running')).toBeLessThan(h.seqOf('api', 'starting'));
    expect(h.seqOf('api', 'running')).toBeLessThan(h.seqOf('web', 'starting'));
    expect(h.seqOf('cache', 'running')).toBeLessThan(h.seqOf('web', 'starting'));
    expect(h.orchestrator.getAllServices().every((s) => s.state === 'running')).toBe(true);
  });

  it('starts independent services in parallel', async () => {
    const h = createHarness([
      { name: 'a', startDelayMs: 100 },
      { name: 'b', startDelayMs: 100 },
      { name: 'c', startDelayMs: 100 },
    ]);
    const started = h.orchestrator.start();
    await settle(1);
    expect(h.probe.current).toBe(3);
    await settle(100);
    await started;
    expect(h.probe.max).toBe(3);
  });

  it('rejects a cycle before anything starts, naming the services', async () => {
    const h = createHarness([
      { name: 'a', dependencies: ['c'] },
      { name: 'b', dependencies: ['a'] },
      { name: 'c', dependencies: ['b'] },
      { name: 'free' },
    ]);
    const error = await h.orchestrator.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyCycleError);
    expect((error as Error).message).toMatch(/dependency cycle: a → c → b → a/);
    expect(h.events).toEqual([]);
  });

  it('rejects a missing dependency before anything starts', async () => {
    const h = createHarness([{ name: 'free' }, { name: 'api', dependencies: ['db'] }]);
    const error = await h.orchestrator.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect((error as Error).message).toBe(
      "service 'api' depends on 'db', which is not registered. Add a service named 'db' or remove it from 'api's dependencies.",
    );
    expect(h.events).toEqual([]);
  });

  it('leaves services with autoStart false alone; their dependents wait', async () => {
    const h = createHarness([
      { name: 'manual', autoStart: false },
      { name: 'dependent', dependencies: ['manual'] },
    ]);
    await h.orchestrator.start();
    await settle();
    expect(h.service('manual').state).toBe('unknown');
    expect(h.service('dependent').state).toBe('waiting');
    await h.orchestrator.startService('manual');
    await settle();
    expect(h.service('dependent').state).toBe('running');
  });
});

describe('Orchestrator: startService (DESIGN §4.2)', () => {
  it('starts the dependencies first', async () => {
    const h = createHarness([
      { name: 'db', autoStart: false },
      { name: 'api', autoStart: false, dependencies: ['db'] },
    ]);
    await h.orchestrator.start();
    await h.orchestrator.startService('api');
    expect(h.seqOf('db', 'running')).toBeLessThan(h.seqOf('api', 'starting'));
  });

  it('resolves only when every readiness hook released the service', async () => {
    const h = createHarness([
      { name: 'tools', autoStart: false },
      { name: 'plain', autoStart: false },
    ]);
    await h.orchestrator.start();
    const registered = deferred();
    const asked: string[] = [];
    h.orchestrator.addReadinessHook({
      name: 'aggregator',
      waitFor(service) {
        asked.push(service.name);
        return service.name === 'tools' ? registered.promise : undefined;
      },
    });
    let resolved = false;
    const starting = h.orchestrator.startService('tools').then(() => {
      resolved = true;
    });
    await settle(100);
    expect(h.service('tools').state).toBe('running');
    expect(resolved).toBe(false);
    registered.resolve();
    await starting;
    expect(resolved).toBe(true);
    await h.orchestrator.startService('plain');
    expect(asked).toEqual(['tools', 'plain']);
  });

  it('rejects with ReadinessTimeoutError naming the hook when it never releases', async () => {
    const h = createHarness([{ name: 'tools', autoStart: false }], { readinessTimeoutMs: 10_000 });
    await h.orchestrator.start();
    h.orchestrator.addReadinessHook({
      name: 'aggregator',
      waitFor: () => new Promise(() => undefined),
    });
    const outcome = h.orchestrator.startService('tools').catch((e: unknown) => e);
    await settle(10_000);
    const error = await outcome;
    expect(error).toBeInstanceOf(ReadinessTimeoutError);
    expect((error as Error).message).toMatch(
      /'tools' is running but was not reported ready within 10000 ms \(waiting on: aggregator\)/,
    );
  });

  it('rejects with the reason when the service fails to start', async () => {
    const h = createHarness([{ name: 'bad', autoStart: false, failStarts: 1 }]);
    await h.orchestrator.start();
    await expect(h.orchestrator.startService('bad')).rejects.toBeInstanceOf(ServiceStartError);
  });

  it('rejects for an unknown service with the names it knows', async () => {
    const h = createHarness([{ name: 'db' }]);
    const error = await h.orchestrator.startService('dbb').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceNotFoundError);
    expect((error as Error).message).toBe(
      "service 'dbb' not found. Registered services: db. Check the name.",
    );
  });

  it('before start() it says to call start() first', async () => {
    const h = createHarness([{ name: 'a' }]);
    await expect(h.orchestrator.startService('a')).rejects.toThrow(
      "cannot start service 'a': the orchestrator has not been started. Call start() first.",
    );
  });

  it('starting a running service is a no-op', async () => {
    const h = createHarness([{ name: 'a' }]);
    await h.orchestrator.start();
    const before = h.events.length;
    await h.orchestrator.startService('a');
    expect(h.events.length).toBe(before);
  });
});

describe('Orchestrator: stop() (DESIGN §4.7)', () => {
  it('stops in reverse dependency order, awaits everything, leaves all stopped and ends every stream', async () => {
    const h = createHarness([
      { name: 'db', stopDelayMs: 30 },
      { name: 'api', dependencies: ['db'], stopDelayMs: 10 },
      { name: 'web', dependencies: ['api'], stopDelayMs: 20 },
      { name: 'other', stopDelayMs: 5 },
    ]);
    await h.orchestrator.start();
    const stream = h.orchestrator.subscribe();
    const reading = drain(stream);
    const stopping = h.orchestrator.stop();
    await settle(100);
    await stopping;
    expect(h.seqOf('web', 'stopped')).toBeLessThan(h.seqOf('api', 'stopping'));
    expect(h.seqOf('api', 'stopped')).toBeLessThan(h.seqOf('db', 'stopping'));
    expect(h.orchestrator.getAllServices().map((s) => s.state)).toEqual([
      'stopped',
      'stopped',
      'stopped',
      'stopped',
    ]);
    const streamed = await reading;
    expect(streamed.filter((e) => e.kind === 'state')).toHaveLength(8);
    expect(h.registry.list().every((s) => !asTestService(s).holding)).toBe(true);
  });

  it('is idempotent and refuses new work afterwards', async () => {
    const h = createHarness([{ name: 'a' }]);
    await h.orchestrator.start();
    const first = h.orchestrator.stop();
    expect(h.orchestrator.stop()).toBe(first);
    await first;
    await h.orchestrator.stop();
    expect(h.events.filter((e) => e.newState === 'stopped')).toHaveLength(1);
    await expect(h.orchestrator.startService('a')).rejects.toBeInstanceOf(OrchestratorStoppedError);
    await expect(h.orchestrator.addService(new TestService({ name: 'b' }))).rejects.toThrow(
      /orchestrator is stopping or stopped/,
    );
  });

  it('cancels starts in flight', async () => {
    const h = createHarness([{ name: 'slow', startDelayMs: 60_000 }]);
    const started = h.orchestrator.start();
    await settle(10);
    await h.orchestrator.stop();
    await started;
    expect(h.service('slow').lastStartSignal?.aborted).toBe(true);
    expect(h.service('slow').state).toBe('stopped');
  });

  it('a service that will not stop is told to hurry at the deadline and abandoned after a second one', async () => {
    const h = createHarness([{ name: 'stuck' }, { name: 'fine' }], { stopTimeoutMs: 1_000 });
    await h.orchestrator.start();
    const stuck = h.service('stuck');
    let hurried = false;
    // doStop that ignores everything until its signal aborts, then still hangs.
    Object.assign(stuck, {
      doStop: (signal: AbortSignal) =>
        new Promise<void>(() => {
          signal.addEventListener('abort', () => {
            hurried = true;
          });
        }),
    });
    let done = false;
    const stopping = h.orchestrator.stop().then(() => {
      done = true;
    });
    await settle(999);
    expect(hurried).toBe(false);
    await settle(1);
    expect(hurried).toBe(true);
    expect(done).toBe(false);
    await settle(1_000);
    await stopping;
    expect(done).toBe(true);
    expect(h.service('fine').state).toBe('stopped');
  });
});

describe('Orchestrator: runtime add and remove (DESIGN §4.8)', () => {
  it('adds a service at runtime and starts it; a duplicate name is an error', async () => {
    const h = createHarness([{ name: 'db' }]);
    await h.orchestrator.start();
    await h.orchestrator.addService(new TestService({ name: 'api', dependencies: ['db'] }));
    expect(h.service('api').state).toBe('running');
    await expect(
      h.orchestrator.addService(new TestService({ name: 'api' })),
    ).rejects.toBeInstanceOf(DuplicateServiceError);
    await expect(
      h.orchestrator.addService(new TestService({ name: 'x', dependencies: ['nope'] })),
    ).rejects.toBeInstanceOf(MissingDependencyError);
    expect(h.registry.has('x')).toBe(false);
  });

  it('a service added while its dependency is down waits for it', async () => {
    const h = createHarness([{ name: 'db' }]);
    await h.orchestrator.start();
    await h.orchestrator.stopService('db');
    await h.orchestrator.addService(new TestService({ name: 'api', dependencies: ['db'] }));
    expect(h.service('api').state).toBe('waiting');
    await h.orchestrator.startService('db');
    await settle();
    expect(h.service('api').state).toBe('running');
  });

  it('removing a service stops it, sends its dependents to waiting and unregisters it', async () => {
    const h = createHarness([{ name: 'db' }, { name: 'api', dependencies: ['db'] }]);
    await h.orchestrator.start();
    const db = h.service('db');
    await h.orchestrator.removeService('db');
    expect(db.state).toBe('stopped');
    expect(db.holding).toBe(false);
    expect(h.registry.has('db')).toBe(false);
    expect(h.service('api').state).toBe('waiting');
    await h.orchestrator.addService(new TestService({ name: 'db' }));
    await settle();
    expect(h.service('api').state).toBe('running');
  });

  it('an unregistered service no longer reaches the event stream', async () => {
    const h = createHarness([{ name: 'a' }]);
    await h.orchestrator.start();
    const a = h.service('a');
    await h.orchestrator.removeService('a');
    const before = h.events.length;
    await a.start();
    expect(h.events.length).toBe(before);
  });
});

describe('Orchestrator: status', () => {
  it('describes every service in registration order', async () => {
    const h = createHarness([{ name: 'b' }, { name: 'a', dependencies: ['b'] }]);
    await h.orchestrator.start();
    const now = Date.now();
    expect(h.orchestrator.getAllServices()).toEqual([
      {
        name: 'b',
        type: 'test',
        state: 'running',
        health: 'healthy',
        since: now,
        dependencies: [],
        autoStart: true,
        consecutiveFailures: 0,
        restarts: 0,
      },
      {
        name: 'a',
        type: 'test',
        state: 'running',
        health: 'healthy',
        since: now,
        dependencies: ['b'],
        autoStart: true,
        consecutiveFailures: 0,
        restarts: 0,
      },
    ]);
  });

  it('says since when each service is in its current state, from its transition event', async () => {
    const h = createHarness([{ name: 'slow', startDelayMs: 40 }, { name: 'quick' }]);
    expect(h.orchestrator.getServiceInfo('slow').since).toBeUndefined();
    const t0 = Date.now();
    const started = h.orchestrator.start();
    await settle(0);
    expect(h.orchestrator.getServiceInfo('slow')).toMatchObject({ state: 'starting', since: t0 });
    await settle(40);
    await started;
    expect(h.orchestrator.getServiceInfo('slow')).toMatchObject({
      state: 'running',
      since: t0 + 40,
    });
    expect(h.orchestrator.getServiceInfo('quick')).toMatchObject({ state: 'running', since: t0 });

    // A health-only change is an event too, but not a new state: `since` stays.
    await settle(1000);
    h.service('slow').setHealth('degraded');
    expect(h.orchestrator.getServiceInfo('slow').since).toBe(t0 + 40);

    await h.orchestrator.stopService('slow');
    const stopped = h.events.findLast((e) => e.name === 'slow' && e.newState === 'stopped');
    expect(stopped?.timestamp).toBe(t0 + 1040);
    expect(h.orchestrator.getServiceInfo('slow')).toMatchObject({
      state: 'stopped',
      since: stopped?.timestamp,
    });
  });
});

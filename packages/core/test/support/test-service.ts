import {
  BaseService,
  type HealthChecker,
  type HealthCheckResult,
  type ServiceOptions,
  sleep,
  systemClock,
} from '../../src/index.js';

/** Counts starts in flight across every TestService that shares it. */
export class ConcurrencyProbe {
  current = 0;
  max = 0;
  enter(): void {
    this.current++;
    this.max = Math.max(this.max, this.current);
  }
  leave(): void {
    this.current--;
  }
}

export interface TestServiceOptions extends Partial<ServiceOptions> {
  name: string;
  /** Time doStart takes, on the (possibly fake) clock. */
  startDelayMs?: number;
  stopDelayMs?: number;
  /** The next N starts fail. */
  failStarts?: number;
  probe?: ConcurrencyProbe;
}

/**
 * An in-memory service for orchestrator tests: starts and stops on the clock, fails on demand,
 * and records what happened to it.
 */
export class TestService extends BaseService {
  startDelayMs: number;
  stopDelayMs: number;
  failStarts: number;
  /** When set, every start fails (until cleared). */
  broken = false;
  readonly probe: ConcurrencyProbe | undefined;
  startCalls = 0;
  stopCalls = 0;
  lastStartSignal: AbortSignal | undefined;
  /** Is what doStart acquired still held? */
  holding = false;

  constructor(options: TestServiceOptions) {
    super({ type: 'test', ...options });
    this.startDelayMs = options.startDelayMs ?? 0;
    this.stopDelayMs = options.stopDelayMs ?? 0;
    this.failStarts = options.failStarts ?? 0;
    this.probe = options.probe;
  }

  protected async doStart(signal: AbortSignal): Promise<void> {
    this.startCalls++;
    this.lastStartSignal = signal;
    this.holding = true;
    this.probe?.enter();
    try {
      if (this.startDelayMs > 0) await sleep(systemClock, this.startDelayMs, signal);
      if (this.broken) throw new Error(`${this.name} is broken`);
      if (this.failStarts > 0) {
        this.failStarts--;
        throw new Error(`${this.name} failed to start (planned)`);
      }
    } finally {
      this.probe?.leave();
    }
  }

  protected async doStop(signal: AbortSignal): Promise<void> {
    this.stopCalls++;
    if (this.stopDelayMs > 0) {
      await sleep(systemClock, this.stopDelayMs, signal).catch(() => undefined);
    }
    this.holding = false;
  }

  /** Simulates a crash of what the service runs. */
  crash(message = `${this.name} crashed`): void {
    this.reportFailure(new Error(message));
  }
}

/** A TestService that is also a HealthChecker whose answers the test controls. */
export class CheckedService extends TestService implements HealthChecker {
  readonly healthCheckIntervalMs: number;
  readonly healthCheckTimeoutMs: number;
  readonly healthFailureThreshold: number;
  answer: 'healthy' | 'degraded' | 'unhealthy' | 'throw' | 'hang' = 'healthy';
  checks = 0;

  constructor(
    options: TestServiceOptions & {
      intervalMs?: number;
      timeoutMs?: number;
      threshold?: number;
    },
  ) {
    super(options);
    this.healthCheckIntervalMs = options.intervalMs ?? 1_000;
    this.healthCheckTimeoutMs = options.timeoutMs ?? 500;
    this.healthFailureThreshold = options.threshold ?? 3;
  }

  checkHealth(signal: AbortSignal): Promise<HealthCheckResult> {
    this.checks++;
    switch (this.answer) {
      case 'healthy':
        return Promise.resolve({ healthy: true });
      case 'degraded':
        return Promise.resolve({ healthy: true, degraded: true });
      case 'unhealthy':
        return Promise.resolve({ healthy: false, message: 'probe says no' });
      case 'throw':
        return Promise.reject(new Error('probe threw'));
      case 'hang':
        return new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            reject(new Error('aborted'));
          });
        });
    }
  }
}

/** Narrows a registered service to the TestService it is (a checked cast). */
export function asTestService(service: unknown): TestService {
  if (!(service instanceof TestService)) throw new Error('not a TestService');
  return service;
}

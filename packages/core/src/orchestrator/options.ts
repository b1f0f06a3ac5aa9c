import type { BackoffPolicy } from './backoff.js';

export interface RetryOptions extends BackoffPolicy {
  /** Consecutive failures after which a service is `unreachable` and retried at the cap (5). */
  readonly unreachableAfter: number;
  /** Retries in flight at once across the orchestrator (`MaxConcurrentRetries`, 5). */
  readonly maxConcurrent: number;
  /** The sweep that re-checks failed services a timer missed (`RetryInterval`, 30 s). */
  readonly sweepIntervalMs: number;
}

export interface HealthOptions {
  /** Probe timeout when the checker names none (5 s). */
  readonly timeoutMs: number;
  /** Failed probes in a row that mark a service failed when the checker names none (3). */
  readonly failureThreshold: number;
}

export interface OrchestratorOptions {
  readonly retry: RetryOptions;
  readonly health: HealthOptions;
  /** How long `startService` waits for readiness hooks (10 s). */
  readonly readinessTimeoutMs: number;
  /** Per-service deadline for a stop during `stop()` (10 s). */
  readonly stopTimeoutMs: number;
}

export interface OrchestratorOptionsInput {
  readonly retry?: Partial<RetryOptions>;
  readonly health?: Partial<HealthOptions>;
  readonly readinessTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
}

export const defaultOrchestratorOptions: OrchestratorOptions = {
  retry: {
    initialDelayMs: 1_000,
    factor: 2,
    maxDelayMs: 120_000,
    unreachableAfter: 5,
    maxConcurrent: 5,
    sweepIntervalMs: 30_000,
  },
  health: { timeoutMs: 5_000, failureThreshold: 3 },
  readinessTimeoutMs: 10_000,
  stopTimeoutMs: 10_000,
};

export function resolveOrchestratorOptions(
  input: OrchestratorOptionsInput = {},
): OrchestratorOptions {
  const options: OrchestratorOptions = {
    retry: { ...defaultOrchestratorOptions.retry, ...input.retry },
    health: { ...defaultOrchestratorOptions.health, ...input.health },
    readinessTimeoutMs: input.readinessTimeoutMs ?? defaultOrchestratorOptions.readinessTimeoutMs,
    stopTimeoutMs: input.stopTimeoutMs ?? defaultOrchestratorOptions.stopTimeoutMs,
  };
  const positive: [string, number][] = [
    ['retry.initialDelayMs', options.retry.initialDelayMs],
    ['retry.maxDelayMs', options.retry.maxDelayMs],
    ['retry.unreachableAfter', options.retry.unreachableAfter],
    ['retry.maxConcurrent', options.retry.maxConcurrent],
    ['retry.sweepIntervalMs', options.retry.sweepIntervalMs],
    ['health.timeoutMs', options.health.timeoutMs],
    ['health.failureThreshold', options.health.failureThreshold],
    ['readinessTimeoutMs', options.readinessTimeoutMs],
    ['stopTimeoutMs', options.stopTimeoutMs],
  ];
  for (const [path, value] of positive) {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new RangeError(`orchestrator option ${path} must be a positive number, got ${value}`);
    }
  }
  if (!(options.retry.factor >= 1)) {
    throw new RangeError(
      `orchestrator option retry.factor must be >= 1, got ${options.retry.factor}`,
    );
  }
  return options;
}

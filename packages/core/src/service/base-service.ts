import {
  CorralError,
  type ErrorInfo,
  InvalidTransitionError,
  ServiceStartError,
  StartAbortedError,
  toErrorInfo,
} from '../errors/errors.js';
import {
  canTransition,
  failureStates,
  type HealthStatus,
  type ServiceState,
  type StopReason,
  type TransitionReason,
} from './state.js';

/** What happens when a service fails. `never` leaves it failed; the others hand it to retry. */
export type RestartPolicy = 'on-failure' | 'always' | 'never';

export interface ServiceOptions {
  readonly name: string;
  readonly type: string;
  readonly dependencies?: readonly string[];
  /** Started by `orchestrator.start()` (default true). */
  readonly autoStart?: boolean;
  readonly restartPolicy?: RestartPolicy;
}

/** A transition as the service reports it; the event bus adds `seq` and `timestamp`. */
export interface ServiceTransition {
  readonly name: string;
  readonly serviceType: string;
  readonly oldState: ServiceState;
  readonly newState: ServiceState;
  readonly oldHealth: HealthStatus;
  readonly health: HealthStatus;
  readonly error?: ErrorInfo;
  readonly reason?: TransitionReason;
}

export type TransitionListener = (transition: ServiceTransition) => void;

/** The read-only view of a service that consumers get. */
export interface Service {
  readonly name: string;
  readonly type: string;
  readonly dependencies: readonly string[];
  readonly autoStart: boolean;
  readonly restartPolicy: RestartPolicy;
  readonly state: ServiceState;
  readonly health: HealthStatus;
  readonly lastError: ErrorInfo | undefined;
  readonly stopReason: StopReason | undefined;
}

export interface StopOptions {
  /** Aborted when the stop should hurry (a shutdown deadline passed): kill rather than ask. */
  readonly signal?: AbortSignal;
}

/**
 * Thrown by `doStart` when the service needs credentials it does not have; the service goes to
 * `auth_required` instead of `failed`.
 */
export class AuthRequiredError extends CorralError {
  readonly code = 'AUTH_REQUIRED';
}

/** Reads `aborted` afresh: TypeScript narrows the property across awaits as if it could not change. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

function throwIfAborted(signal: AbortSignal): void {
  if (isAborted(signal)) throw signal.reason as Error;
}

const noListeners: readonly TransitionListener[] = [];
const settled: Promise<void> = Promise.resolve();

/**
 * The base class every service extends. Subclasses implement `doStart` and `doStop`; this class
 * owns the state machine: every change goes through `transition`, which emits exactly one event,
 * and operations on one service run one at a time. A `stop` during a `start` aborts the start's
 * signal and wins; concurrent `start`s share one attempt.
 */
export abstract class BaseService implements Service {
  readonly name: string;
  readonly type: string;
  readonly dependencies: readonly string[];
  readonly autoStart: boolean;
  readonly restartPolicy: RestartPolicy;

  private currentState: ServiceState = 'unknown';
  private currentHealth: HealthStatus = 'unknown';
  private error: ErrorInfo | undefined;
  private lastStopReason: StopReason | undefined;
  private listeners: readonly TransitionListener[] = noListeners;
  private opTail: Promise<void> = settled;
  private pendingStart: { promise: Promise<void>; controller: AbortController } | undefined;
  private pendingStop: { promise: Promise<void>; reason: StopReason } | undefined;
  /** True from the moment `doStart` is called until `doStop` has run: what stop must release. */
  private holdsResources = false;

  constructor(options: ServiceOptions) {
    this.name = options.name;
    this.type = options.type;
    this.dependencies = options.dependencies ?? [];
    this.autoStart = options.autoStart ?? true;
    this.restartPolicy = options.restartPolicy ?? 'on-failure';
  }

  /** Acquire whatever the service runs (spawn, connect). Honour `signal`: it aborts on stop. */
  protected abstract doStart(signal: AbortSignal): Promise<void>;

  /**
   * Release everything `doStart` acquired. Called after a successful start, after a failed or
   * aborted one (to clean up what was half-acquired) and after a reported failure. `signal` aborts
   * when the caller's deadline passes: then kill rather than ask.
   */
  protected abstract doStop(signal: AbortSignal): Promise<void>;

  get state(): ServiceState {
    return this.currentState;
  }

  get health(): HealthStatus {
    return this.currentHealth;
  }

  get lastError(): ErrorInfo | undefined {
    return this.error;
  }

  get stopReason(): StopReason | undefined {
    return this.lastStopReason;
  }

  /** Listen to this service's transitions. The orchestrator forwards them to the event bus. */
  onTransition(listener: TransitionListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Start the service; resolves once running. Concurrent calls share one attempt. */
  start(): Promise<void> {
    if (this.pendingStart) return this.pendingStart.promise;
    const controller = new AbortController();
    const promise = this.enqueue(() => this.runStart(controller.signal));
    const entry = { promise, controller };
    this.pendingStart = entry;
    promise.then(
      () => {
        this.clearPendingStart(entry);
      },
      () => {
        this.clearPendingStart(entry);
      },
    );
    return promise;
  }

  /**
   * Stop the service. `manual` ends in `stopped`, `dependency` in `waiting`. An in-flight start
   * is aborted and this stop wins. A manual stop is never turned into a dependency wait.
   */
  stop(reason: StopReason = 'manual', options: StopOptions = {}): Promise<void> {
    if (this.pendingStart) {
      this.pendingStart.controller.abort(new StartAbortedError(this.name));
      this.pendingStart = undefined;
    }
    if (this.pendingStop?.reason === reason) return this.pendingStop.promise;
    const promise = this.enqueue(() => this.runStop(reason, options.signal));
    const entry = { promise, reason };
    this.pendingStop = entry;
    const clear = (): void => {
      if (this.pendingStop === entry) this.pendingStop = undefined;
    };
    promise.then(clear, clear);
    return promise;
  }

  /** Stop, then start again. */
  async restart(): Promise<void> {
    await this.stop('manual');
    await this.start();
  }

  /**
   * Mark the service failed (orchestrator: failed health probes). Runs after any operation in
   * flight and only if the service is still running; what it held is released first.
   */
  markFailed(error: unknown): Promise<void> {
    return this.enqueue(async () => {
      if (this.currentState !== 'running') return;
      await this.releaseResources();
      this.transition(error instanceof AuthRequiredError ? 'auth_required' : 'failed', {
        error,
        reason: 'failure',
      });
    });
  }

  /** Orchestrator only: a failed service has a retry scheduled. */
  markRetryScheduled(state: 'retrying' | 'unreachable'): void {
    if (this.currentState === state || !failureStates.has(this.currentState)) return;
    if (this.currentState === 'auth_required') return; // keeps saying what the user must fix
    this.transition(state, { reason: 'retry' });
  }

  /** Record a health change; emits an event only when it changes. */
  setHealth(health: HealthStatus, error?: unknown): void {
    if (health === this.currentHealth) return;
    this.transition(this.currentState, { health, error });
  }

  /** For subclasses: something the service runs broke (process exit, lost connection). */
  protected reportFailure(error: unknown): void {
    void this.markFailed(error);
  }

  private clearPendingStart(entry: { promise: Promise<void> }): void {
    if (this.pendingStart === entry) this.pendingStart = undefined;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.opTail.then(op);
    this.opTail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async runStart(signal: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    if (this.currentState === 'running') return;
    this.lastStopReason = undefined;
    this.transition('starting', { reason: 'start' });
    this.holdsResources = true;
    try {
      await this.doStart(signal);
    } catch (error) {
      await this.releaseResources();
      // The stop that aborted us runs next and settles the state.
      throwIfAborted(signal);
      this.transition(error instanceof AuthRequiredError ? 'auth_required' : 'failed', {
        error,
        reason: 'failure',
      });
      throw new ServiceStartError(this.name, error);
    }
    if (isAborted(signal)) {
      await this.releaseResources();
      throwIfAborted(signal);
    }
    this.transition('running', { reason: 'start', health: 'healthy' });
  }

  private async runStop(reason: StopReason, signal: AbortSignal | undefined): Promise<void> {
    const target: ServiceState = reason === 'dependency' ? 'waiting' : 'stopped';
    const from = this.currentState;
    if (from === target) return;
    // A manual stop is never turned into a dependency wait.
    if (reason === 'dependency' && from === 'stopped') return;
    if (reason === 'shutdown' && from === 'unknown') return;
    this.lastStopReason = reason;
    if (from === 'starting' || from === 'running') {
      this.transition('stopping', { reason });
      const error = await this.releaseResources(signal);
      this.transition(target, { reason, health: 'unknown', error });
      return;
    }
    this.transition(target, { reason, health: 'unknown' });
  }

  /** Runs `doStop` if anything is held; returns (never throws) what it threw. */
  private async releaseResources(signal?: AbortSignal): Promise<unknown> {
    if (!this.holdsResources) return undefined;
    this.holdsResources = false;
    try {
      await this.doStop(signal ?? new AbortController().signal);
      return undefined;
    } catch (error) {
      return error;
    }
  }

  /** The one place state and health change; emits exactly one transition per call. */
  private transition(
    to: ServiceState,
    details: { reason?: TransitionReason; error?: unknown; health?: HealthStatus } = {},
  ): void {
    const from = this.currentState;
    if (from !== to && !canTransition(from, to)) {
      throw new InvalidTransitionError(this.name, from, to);
    }
    const oldHealth = this.currentHealth;
    const health =
      details.health ?? (to === 'failed' || to === 'auth_required' ? 'unhealthy' : oldHealth);
    const error = details.error === undefined ? undefined : toErrorInfo(details.error);
    this.currentState = to;
    this.currentHealth = health;
    if (error) this.error = error;
    const transition: ServiceTransition = {
      name: this.name,
      serviceType: this.type,
      oldState: from,
      newState: to,
      oldHealth,
      health,
      ...(error ? { error } : {}),
      ...(details.reason ? { reason: details.reason } : {}),
    };
    for (const listener of this.listeners) listener(transition);
  }
}

import pLimit, { type LimitFunction } from 'p-limit';
import { inject, injectable } from 'tsyringe';
import {
  type ErrorInfo,
  HealthCheckError,
  OrchestratorNotStartedError,
  OrchestratorStoppedError,
  ReadinessTimeoutError,
  ServiceStartError,
  DependencyNotRunningError,
  describeError,
} from '../errors/errors.js';
import type {
  CorralEvent,
  EventBus,
  EventSubscription,
  SubscribeOptions,
} from '../events/event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { BaseService, Service, ServiceTransition } from '../service/base-service.js';
import {
  isHealthChecker,
  isServiceDataProvider,
  type JsonObject,
} from '../service/capabilities.js';
import type { ServiceRegistry } from '../service/registry.js';
import {
  failureStates,
  type HealthStatus,
  type ServiceState,
  type StopReason,
} from '../service/state.js';
import type { Clock, RandomSource, TimerHandle } from '../time/clock.js';
import { CoreTokens } from '../tokens.js';
import { backoffDelay } from './backoff.js';
import {
  dependentsIndex,
  transitiveDependents,
  validateDependencies,
  validateDependenciesOf,
} from './dependency-graph.js';
import type { OrchestratorOptions } from './options.js';

/** A snapshot of one service for status views. */
export interface ServiceInfo {
  readonly name: string;
  readonly type: string;
  readonly state: ServiceState;
  readonly health: HealthStatus;
  readonly dependencies: readonly string[];
  readonly autoStart: boolean;
  readonly lastError?: ErrorInfo;
  readonly stopReason?: StopReason;
  /**
   * When it entered its current state (ms since the epoch, from the orchestrator's clock: the
   * timestamp of that transition's event). Absent before its first transition.
   */
  readonly since?: number;
  /** Failures since it last ran. */
  readonly consecutiveFailures: number;
  /** Times the retry path brought it back. */
  readonly restarts: number;
  /** When the next retry is due (ms since the epoch), if one is scheduled. */
  readonly nextRetryAt?: number;
  /** From `ServiceDataProvider`, if the service implements it. */
  readonly data?: JsonObject;
}

/**
 * Holds a service's start until a plugin is ready for it (e.g. the aggregator has registered its
 * tools). Return undefined when the hook has no interest in this service.
 */
export interface ReadinessHook {
  readonly name: string;
  waitFor(service: Service, signal: AbortSignal): Promise<void> | undefined;
}

/** Orchestrator-side bookkeeping for one service. */
interface Managed {
  readonly service: BaseService;
  readonly detach: () => void;
  consecutiveFailures: number;
  restarts: number;
  retryDueAt: number | undefined;
  /** In the retry limiter's queue or running: never twice at once. */
  retryInFlight: boolean;
  healthTimer: TimerHandle | undefined;
  healthProbe: AbortController | undefined;
  healthFailures: number;
  /** The timestamp of the event that moved it into its current state. */
  since: number | undefined;
}

/** Reads the state afresh: TypeScript narrows it across awaits as if it could not change. */
function isRunning(service: Service): boolean {
  return service.state === 'running';
}

type Phase = 'idle' | 'running' | 'stopping' | 'stopped';

/**
 * Runs services: dependency-ordered start and stop, cascade to dependents and their return,
 * retry with backoff under one concurrency limit, health probing, and an orderly shutdown
 * (DESIGN §4). Every state change is a service transition, forwarded to the event bus in order.
 */
@injectable()
export class Orchestrator {
  private phase: Phase = 'idle';
  private readonly managed = new Map<string, Managed>();
  private readonly limit: LimitFunction;
  private retryTimer: TimerHandle | undefined;
  private retryTimerDueAt = Number.POSITIVE_INFINITY;
  private sweepTimer: TimerHandle | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly readinessHooks = new Set<ReadinessHook>();
  private stopPromise: Promise<void> | undefined;
  private startPromise: Promise<void> | undefined;
  private dependentsCache: Map<string, string[]> | undefined;
  /** Services being stopped on purpose, dependents first. */
  private readonly goingDown = new Set<string>();
  /** Aborted when shutdown begins: waits that would hold it up give up. */
  private readonly lifetime = new AbortController();

  constructor(
    @inject(CoreTokens.Registry) private readonly registry: ServiceRegistry,
    @inject(CoreTokens.EventBus) private readonly bus: EventBus,
    @inject(CoreTokens.Clock) private readonly clock: Clock,
    @inject(CoreTokens.Random) private readonly random: RandomSource,
    @inject(CoreTokens.Logger) private readonly logger: Logger,
    @inject(CoreTokens.OrchestratorOptions) private readonly options: OrchestratorOptions,
  ) {
    this.limit = pLimit(options.retry.maxConcurrent);
    registry.observe({
      added: (service) => {
        this.attach(service);
      },
      removed: (service) => {
        this.detach(service.name);
      },
    });
  }

  // ------------------------------------------------------------------------------------------
  // Queries

  getService(name: string): Service {
    return this.registry.get(name);
  }

  getServiceInfo(name: string): ServiceInfo {
    return this.describe(this.registry.get(name));
  }

  getAllServices(): ServiceInfo[] {
    return this.registry.list().map((service) => this.describe(service));
  }

  /** A stream of every event from now on; see `EventBus.subscribe`. */
  subscribe(options?: SubscribeOptions): EventSubscription & AsyncIterable<CorralEvent> {
    return this.bus.subscribe(options);
  }

  get isRunning(): boolean {
    return this.phase === 'running';
  }

  /** Retries currently running or queued behind the concurrency limit. */
  get retryStats(): { active: number; queued: number } {
    return { active: this.limit.activeCount, queued: this.limit.pendingCount };
  }

  // ------------------------------------------------------------------------------------------
  // Lifecycle of the whole fleet

  /**
   * Starts every `autoStart` service in dependency order, independent ones in parallel. A cycle
   * or a missing dependency throws before anything starts. Resolves when every service has had
   * its first attempt; failures are left to the retry path.
   */
  start(): Promise<void> {
    this.startPromise ??= this.startFleet().catch((error: unknown) => {
      // A rejected start (a cycle, say) may be fixed and tried again.
      if (this.phase === 'idle') this.startPromise = undefined;
      throw error;
    });
    return this.startPromise;
  }

  private async startFleet(): Promise<void> {
    if (this.phase !== 'idle') throw new OrchestratorStoppedError('start the orchestrator');
    validateDependencies(this.dependencyMap());
    this.phase = 'running';
    this.armSweep();
    const memo = new Map<string, Promise<boolean>>();
    await Promise.all(
      this.registry
        .list()
        .filter((service) => service.autoStart)
        .map((service) => this.bringUp(service.name, memo, 'fleet')),
    );
  }

  /**
   * Stops every service in reverse dependency order (independent ones in parallel), each within
   * `stopTimeoutMs`, cancels retries and probes, awaits everything in flight and closes every
   * event stream. Idempotent.
   */
  stop(): Promise<void> {
    this.stopPromise ??= this.shutdown();
    return this.stopPromise;
  }

  private async shutdown(): Promise<void> {
    this.phase = 'stopping';
    this.lifetime.abort(new OrchestratorStoppedError('wait for readiness'));
    this.clock.clearTimeout(this.sweepTimer);
    this.clock.clearTimeout(this.retryTimer);
    this.limit.clearQueue();
    for (const m of this.managed.values()) {
      m.retryDueAt = undefined;
      this.stopHealth(m);
    }
    await this.stopInOrder(new Set(this.registry.names()), 'shutdown');
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.phase = 'stopped';
    this.bus.close();
  }

  // ------------------------------------------------------------------------------------------
  // One service

  /**
   * Starts the service, its dependencies first. Resolves when it runs and every readiness hook
   * (e.g. the aggregator's tool registration) has released it; rejects with the reason otherwise.
   */
  async startService(name: string): Promise<void> {
    this.assertAccepting(`start service '${name}'`);
    this.registry.get(name);
    if (this.phase === 'idle') throw new OrchestratorNotStartedError(`start service '${name}'`);
    validateDependenciesOf(this.dependencyMap(), name);
    await this.bringUp(name, new Map(), 'explicit');
  }

  /** Stops it (reason `manual`: never restarted for you); dependents first, to `waiting`. */
  async stopService(name: string): Promise<void> {
    this.assertAccepting(`stop service '${name}'`);
    const m = this.get(name);
    this.cancelRetry(m);
    const release = this.markGoingDown([name]);
    try {
      await this.stopInOrder(transitiveDependents(this.dependencyMap(), name), 'dependency');
      await m.service.stop('manual');
    } finally {
      release();
    }
  }

  /** Stop and start again; dependents go `waiting` meanwhile and come back after it. */
  async restartService(name: string): Promise<void> {
    this.assertAccepting(`restart service '${name}'`);
    await this.stopService(name);
    await this.startService(name);
    await this.resumeDependents(name);
  }

  /**
   * Registers a service at runtime. If the orchestrator is running and the service is
   * `autoStart`, starts it when its dependencies run (else it waits for them). Resolves after the
   * first attempt; a failed attempt is left to the retry path.
   */
  async addService(service: BaseService): Promise<void> {
    this.assertAccepting(`add service '${service.name}'`);
    const graph = new Map(this.dependencyMap());
    graph.set(service.name, service.dependencies);
    validateDependenciesOf(graph, service.name);
    this.registry.register(service);
    if (this.phase === 'running' && service.autoStart) {
      await this.bringUp(service.name, new Map(), 'fleet');
    }
  }

  /** Stops the service (dependents go `waiting`) and unregisters it. */
  async removeService(name: string): Promise<void> {
    this.assertAccepting(`remove service '${name}'`);
    await this.stopService(name);
    this.registry.unregister(name);
  }

  /** Adds a readiness hook (see `ReadinessHook`); returns its removal. */
  addReadinessHook(hook: ReadinessHook): () => void {
    this.readinessHooks.add(hook);
    return () => this.readinessHooks.delete(hook);
  }

  // ------------------------------------------------------------------------------------------
  // Bringing services up and down

  /**
   * Starts `name` once its dependencies run. `explicit`: the caller asked for this service, so
   * its dependencies are started too and failures reject. `fleet`: only autoStart dependencies
   * are started, a missing one leaves the service `waiting`, and failures go to retry.
   * Resolves true when the service runs.
   */
  private bringUp(
    name: string,
    memo: Map<string, Promise<boolean>>,
    mode: 'explicit' | 'fleet',
  ): Promise<boolean> {
    let pending = memo.get(name);
    if (!pending) {
      pending = this.track(this.bringUpOnce(name, memo, mode));
      memo.set(name, pending);
    }
    return pending;
  }

  private async bringUpOnce(
    name: string,
    memo: Map<string, Promise<boolean>>,
    mode: 'explicit' | 'fleet',
  ): Promise<boolean> {
    const m = this.get(name);
    const deps = m.service.dependencies;
    const depResults = await Promise.allSettled(
      deps.map((dep) => {
        const depService = this.registry.get(dep);
        // The fleet brings up fresh autoStart dependencies and joins starts in flight; one that
        // was stopped or is in the retry path's hands is left alone, and this service waits.
        const fleetMayStart =
          depService.state === 'starting' ||
          (depService.state === 'unknown' && depService.autoStart);
        if (mode === 'fleet' && !fleetMayStart) {
          return Promise.resolve(depService.state === 'running');
        }
        return this.bringUp(dep, memo, mode);
      }),
    );
    if (this.phase !== 'running') {
      if (mode === 'explicit') throw new OrchestratorStoppedError(`start service '${name}'`);
      return false;
    }
    const blocker = deps.find((dep) => this.registry.get(dep).state !== 'running');
    if (blocker !== undefined) {
      this.cancelRetry(m);
      await m.service.stop('dependency');
      if (mode === 'fleet') return false;
      const failed = depResults.find((r) => r.status === 'rejected');
      throw new ServiceStartError(
        name,
        failed?.reason ??
          new DependencyNotRunningError(name, blocker, this.registry.get(blocker).state),
      );
    }
    this.cancelRetry(m);
    try {
      await m.service.start();
    } catch (error) {
      if (mode === 'explicit') throw error;
      return false;
    }
    try {
      await this.awaitReadiness(m.service);
    } catch (error) {
      if (mode === 'explicit') throw error;
      this.logger.warn(describeError(error), { service: name });
    }
    return true;
  }

  private async awaitReadiness(service: BaseService): Promise<void> {
    if (this.readinessHooks.size === 0) return;
    const controller = new AbortController();
    const waits: { hook: string; done: boolean; promise: Promise<void> }[] = [];
    for (const hook of this.readinessHooks) {
      const promise = hook.waitFor(service, controller.signal);
      if (!promise) continue;
      const entry = { hook: hook.name, done: false, promise };
      entry.promise = promise.then(() => {
        entry.done = true;
      });
      waits.push(entry);
    }
    if (waits.length === 0) return;
    let timer: TimerHandle | undefined;
    let onShutdown: (() => void) | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.clock.setTimeout(() => {
        const waitingOn = waits.filter((w) => !w.done).map((w) => w.hook);
        reject(new ReadinessTimeoutError(service.name, this.options.readinessTimeoutMs, waitingOn));
      }, this.options.readinessTimeoutMs);
      onShutdown = () => {
        reject(this.lifetime.signal.reason as Error);
      };
      this.lifetime.signal.addEventListener('abort', onShutdown, { once: true });
    });
    try {
      await Promise.race([Promise.all(waits.map((w) => w.promise)), timeout]);
    } finally {
      this.clock.clearTimeout(timer);
      if (onShutdown) this.lifetime.signal.removeEventListener('abort', onShutdown);
      controller.abort();
    }
  }

  /** Stops `names` so that each stops only after everything in the set that depends on it. */
  private async stopInOrder(names: ReadonlySet<string>, reason: StopReason): Promise<void> {
    if (names.size === 0) return;
    const release = this.markGoingDown(names);
    try {
      await this.stopEach(names, reason);
    } finally {
      release();
    }
  }

  /**
   * While services go down on purpose, dependents that reach `waiting` must not be resumed
   * against them. Returns the release.
   */
  private markGoingDown(names: Iterable<string>): () => void {
    const marked: string[] = [];
    for (const name of names) {
      if (this.goingDown.has(name)) continue;
      this.goingDown.add(name);
      marked.push(name);
    }
    return () => {
      for (const name of marked) this.goingDown.delete(name);
    };
  }

  private async stopEach(names: ReadonlySet<string>, reason: StopReason): Promise<void> {
    const index = this.dependents();
    const memo = new Map<string, Promise<void>>();
    const stopOne = (name: string): Promise<void> => {
      let pending = memo.get(name);
      if (pending) return pending;
      pending = (async () => {
        const dependents = (index.get(name) ?? []).filter((d) => names.has(d));
        await Promise.all(dependents.map(stopOne));
        const m = this.managed.get(name);
        if (!m) return;
        this.cancelRetry(m);
        const state = m.service.state;
        if (reason === 'dependency' && (state === 'stopped' || state === 'unknown')) return;
        await this.stopWithDeadline(m, reason);
      })();
      memo.set(name, pending);
      return pending;
    };
    await Promise.all([...names].map(stopOne));
  }

  private async stopWithDeadline(m: Managed, reason: StopReason): Promise<void> {
    if (reason !== 'shutdown') {
      await m.service.stop(reason);
      return;
    }
    // At shutdown each service gets a deadline; past it, its doStop is told to hurry (kill), and
    // after a second deadline we stop waiting so one wedged service cannot hold the rest.
    const controller = new AbortController();
    const deadline = this.options.stopTimeoutMs;
    let timer: TimerHandle | undefined;
    let giveUp: TimerHandle | undefined;
    const abandoned = new Promise<'abandoned'>((resolve) => {
      timer = this.clock.setTimeout(() => {
        controller.abort(new Error(`stop deadline of ${deadline} ms passed`));
        giveUp = this.clock.setTimeout(() => {
          resolve('abandoned');
        }, deadline);
      }, deadline);
    });
    try {
      const outcome = await Promise.race([
        m.service.stop('shutdown', { signal: controller.signal }),
        abandoned,
      ]);
      if (outcome === 'abandoned') {
        this.logger.error(`service '${m.service.name}' did not stop within ${2 * deadline} ms`, {
          service: m.service.name,
        });
      }
    } finally {
      this.clock.clearTimeout(timer);
      this.clock.clearTimeout(giveUp);
    }
  }

  /** Starts the dependents of `name` that wait for it and whose dependencies all run. */
  private async resumeDependents(name: string): Promise<void> {
    if (this.phase !== 'running') return;
    const memo = new Map<string, Promise<boolean>>();
    const waiting = (this.dependents().get(name) ?? []).filter(
      (d) => this.managed.get(d)?.service.state === 'waiting',
    );
    await Promise.all(
      waiting.map(async (d) => {
        if (this.dependenciesRunning(this.registry.get(d))) await this.bringUp(d, memo, 'fleet');
      }),
    );
  }

  /** Stops what depends on `name` because it is no longer running. */
  private cascadeToDependents(name: string): Promise<void> {
    const affected = new Set<string>();
    for (const d of transitiveDependents(this.dependencyMap(), name)) {
      const state = this.managed.get(d)?.service.state;
      if (
        state !== undefined &&
        state !== 'stopped' &&
        state !== 'unknown' &&
        state !== 'waiting'
      ) {
        affected.add(d);
      }
    }
    return this.stopInOrder(affected, 'dependency');
  }

  // ------------------------------------------------------------------------------------------
  // Reacting to transitions

  private attach(service: BaseService): void {
    const detach = service.onTransition((transition) => {
      this.onTransition(transition);
    });
    this.managed.set(service.name, {
      service,
      detach,
      consecutiveFailures: 0,
      restarts: 0,
      retryDueAt: undefined,
      retryInFlight: false,
      healthTimer: undefined,
      healthProbe: undefined,
      healthFailures: 0,
      since: undefined,
    });
    this.dependentsCache = undefined;
  }

  private detach(name: string): void {
    const m = this.managed.get(name);
    if (!m) return;
    this.cancelRetry(m);
    this.stopHealth(m);
    m.detach();
    this.managed.delete(name);
    this.dependentsCache = undefined;
  }

  private onTransition(transition: ServiceTransition): void {
    const event = this.bus.publish(transition);
    if (transition.oldState === transition.newState) return;
    const m = this.managed.get(transition.name);
    if (!m) return;
    m.since = event.timestamp;
    if (this.phase !== 'running') return;
    // React after the transition has been delivered, never inside it.
    queueMicrotask(() => {
      this.react(m, transition);
    });
  }

  private react(m: Managed, transition: ServiceTransition): void {
    if (this.phase !== 'running' || this.managed.get(m.service.name) !== m) return;
    const name = m.service.name;
    switch (transition.newState) {
      case 'running': {
        if (m.consecutiveFailures > 0) m.restarts++;
        m.consecutiveFailures = 0;
        m.healthFailures = 0;
        this.startHealth(m);
        this.background(this.resumeDependents(name), name);
        break;
      }
      case 'failed':
      case 'auth_required': {
        this.stopHealth(m);
        this.background(this.cascadeToDependents(name), name);
        this.scheduleRetry(m);
        break;
      }
      case 'stopping':
      case 'stopped':
      case 'waiting': {
        this.stopHealth(m);
        if (transition.newState !== 'stopping') this.cancelRetry(m);
        if (transition.oldState === 'running' || transition.oldState === 'starting') {
          this.background(this.cascadeToDependents(name), name);
        }
        // A slow stop can end after what it waited for is back: then nothing else resumes it.
        if (transition.newState === 'waiting' && this.dependenciesRunning(m.service)) {
          this.background(this.bringUp(name, new Map(), 'fleet'), name);
        }
        break;
      }
      default:
        break;
    }
  }

  // ------------------------------------------------------------------------------------------
  // Retry

  private scheduleRetry(m: Managed): void {
    if (m.service.restartPolicy === 'never') return;
    m.consecutiveFailures++;
    const { retry } = this.options;
    const unreachable = m.consecutiveFailures >= retry.unreachableAfter;
    const delay = unreachable
      ? retry.maxDelayMs
      : backoffDelay(retry, m.consecutiveFailures, this.random);
    m.retryDueAt = this.clock.now() + delay;
    m.service.markRetryScheduled(unreachable ? 'unreachable' : 'retrying');
    this.armRetryTimer();
  }

  private cancelRetry(m: Managed): void {
    m.retryDueAt = undefined;
  }

  /** One timer, for the earliest due retry. */
  private armRetryTimer(): void {
    if (this.phase !== 'running') return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const m of this.managed.values()) {
      if (m.retryDueAt !== undefined && !m.retryInFlight && m.retryDueAt < earliest) {
        earliest = m.retryDueAt;
      }
    }
    if (earliest === this.retryTimerDueAt) return;
    this.clock.clearTimeout(this.retryTimer);
    this.retryTimerDueAt = earliest;
    this.retryTimer = undefined;
    if (earliest === Number.POSITIVE_INFINITY) return;
    this.retryTimer = this.clock.setTimeout(
      () => {
        this.retryTimerDueAt = Number.POSITIVE_INFINITY;
        this.retryTimer = undefined;
        this.dispatchDueRetries();
      },
      Math.max(0, earliest - this.clock.now()),
    );
  }

  /** Hands every due retry to the limiter, oldest-due first. */
  private dispatchDueRetries(): void {
    if (this.phase !== 'running') return;
    const now = this.clock.now();
    const due = [...this.managed.values()]
      .filter((m) => m.retryDueAt !== undefined && m.retryDueAt <= now && !m.retryInFlight)
      .sort((a, b) => (a.retryDueAt ?? 0) - (b.retryDueAt ?? 0));
    for (const m of due) {
      m.retryInFlight = true;
      this.background(
        this.limit(() => this.attemptRetry(m)),
        m.service.name,
      );
    }
    this.armRetryTimer();
  }

  private async attemptRetry(m: Managed): Promise<void> {
    try {
      const due = m.retryDueAt;
      m.retryDueAt = undefined;
      // Stopped, removed or started by someone else while it waited its turn: nothing to do.
      if (this.phase !== 'running' || due === undefined) return;
      if (this.managed.get(m.service.name) !== m || !failureStates.has(m.service.state)) return;
      await this.bringUp(m.service.name, new Map(), 'fleet');
    } finally {
      m.retryInFlight = false;
      this.armRetryTimer();
    }
  }

  /** Every `sweepIntervalMs`: re-schedule failed services without a retry, dispatch due ones. */
  private armSweep(): void {
    this.sweepTimer = this.clock.setTimeout(() => {
      if (this.phase !== 'running') return;
      for (const m of this.managed.values()) {
        if (
          failureStates.has(m.service.state) &&
          m.retryDueAt === undefined &&
          !m.retryInFlight &&
          m.service.restartPolicy !== 'never'
        ) {
          this.scheduleRetry(m);
        }
      }
      this.dispatchDueRetries();
      this.armSweep();
    }, this.options.retry.sweepIntervalMs);
  }

  // ------------------------------------------------------------------------------------------
  // Health

  private startHealth(m: Managed): void {
    const service = m.service;
    if (!isHealthChecker(service) || m.healthTimer !== undefined) return;
    m.healthTimer = this.clock.setTimeout(() => {
      m.healthTimer = undefined;
      this.background(this.probe(m), service.name);
    }, service.healthCheckIntervalMs);
  }

  private stopHealth(m: Managed): void {
    this.clock.clearTimeout(m.healthTimer);
    m.healthTimer = undefined;
    m.healthProbe?.abort();
    m.healthProbe = undefined;
  }

  private async probe(m: Managed): Promise<void> {
    const service = m.service;
    if (!isHealthChecker(service) || service.state !== 'running' || this.phase !== 'running') {
      return;
    }
    const controller = new AbortController();
    m.healthProbe = controller;
    const timeoutMs = service.healthCheckTimeoutMs ?? this.options.health.timeoutMs;
    const threshold = service.healthFailureThreshold ?? this.options.health.failureThreshold;
    let timer: TimerHandle | undefined;
    let failure: unknown;
    let degraded = false;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = this.clock.setTimeout(() => {
          const error = new Error(`health check timed out after ${timeoutMs} ms`);
          reject(error);
          controller.abort(error);
        }, timeoutMs);
      });
      const result = await Promise.race([service.checkHealth(controller.signal), timeout]);
      if (!result.healthy) failure = new Error(result.message ?? 'health check reported unhealthy');
      degraded = result.degraded === true;
    } catch (error) {
      failure = error;
    } finally {
      this.clock.clearTimeout(timer);
    }
    // Stopped or failed while probing: this result no longer applies.
    if (m.healthProbe !== controller || !isRunning(service)) return;
    m.healthProbe = undefined;
    if (failure === undefined) {
      m.healthFailures = 0;
      service.setHealth(degraded ? 'degraded' : 'healthy');
    } else {
      m.healthFailures++;
      if (m.healthFailures >= threshold) {
        service.setHealth('unhealthy', failure);
        await service.markFailed(new HealthCheckError(service.name, m.healthFailures, failure));
        return;
      }
      service.setHealth('degraded', failure);
    }
    this.startHealth(m);
  }

  // ------------------------------------------------------------------------------------------
  // Helpers

  private get(name: string): Managed {
    const service = this.registry.get(name);
    const m = this.managed.get(service.name);
    if (!m) throw new ServiceStartError(name, new Error('service is not managed'));
    return m;
  }

  private dependenciesRunning(service: Service): boolean {
    return service.dependencies.every(
      (dep) => this.registry.find(dep)?.state === 'running' && !this.goingDown.has(dep),
    );
  }

  private assertAccepting(action: string): void {
    if (this.phase === 'stopping' || this.phase === 'stopped') {
      throw new OrchestratorStoppedError(action);
    }
  }

  private dependencyMap(): Map<string, readonly string[]> {
    const graph = new Map<string, readonly string[]>();
    for (const service of this.registry.list()) graph.set(service.name, service.dependencies);
    return graph;
  }

  private dependents(): Map<string, string[]> {
    this.dependentsCache ??= dependentsIndex(this.dependencyMap());
    return this.dependentsCache;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const untrack = (): void => {
      this.inFlight.delete(promise);
    };
    promise.then(untrack, untrack);
    return promise;
  }

  /** Runs work nobody awaits: tracked for shutdown, and its errors logged, never lost. */
  private background(promise: Promise<unknown>, service: string): void {
    this.track(promise).catch((error: unknown) => {
      this.logger.error(describeError(error), { service });
    });
  }

  private describe(service: BaseService): ServiceInfo {
    const m = this.managed.get(service.name);
    return {
      name: service.name,
      type: service.type,
      state: service.state,
      health: service.health,
      dependencies: service.dependencies,
      autoStart: service.autoStart,
      ...(service.lastError ? { lastError: service.lastError } : {}),
      ...(service.stopReason ? { stopReason: service.stopReason } : {}),
      ...(m?.since !== undefined ? { since: m.since } : {}),
      consecutiveFailures: m?.consecutiveFailures ?? 0,
      restarts: m?.restarts ?? 0,
      ...(m?.retryDueAt !== undefined ? { nextRetryAt: m.retryDueAt } : {}),
      ...(isServiceDataProvider(service) ? { data: service.getServiceData() } : {}),
    };
  }
}

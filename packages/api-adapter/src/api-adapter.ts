import {
  type Clock,
  CoreTokens,
  type CorralEvent,
  type DependencyContainer,
  type EventBus,
  inject,
  injectable,
  isToolProvider,
  type JsonObject,
  type Logger,
  type Orchestrator,
  type PluginContext,
  type ServiceInfo,
  type ServiceState,
  type Token,
  type ToolCallResult,
  type ToolDescriptor,
} from '@corral/core';
import { limitArgument, seqArgument } from './arguments.js';
import { EventHistory } from './events/event-history.js';
import { ReplaySubscription } from './events/replay-subscription.js';
import { ApiRoutes } from './http/api-routes.js';
import { CorralMetrics } from './metrics/corral-metrics.js';
import type { ResolvedApiAdapterOptions } from './options.js';
import type {
  EventPage,
  EventQuery,
  ServiceAction,
  ServiceActionOutcome,
  ServiceActionResult,
  ServiceManagement,
  ServiceStatus,
  StateChangeOptions,
  StateChangeStream,
} from './service-management.js';
import { ApiAdapterTokens } from './tokens.js';
import { CoreToolProvider } from './tools/core-tool-provider.js';

/** What each outcome of an action means, and how it is said. */
const actionOutcomes: Readonly<
  Record<
    ServiceActionOutcome,
    { action: ServiceAction; changed: boolean; says: (previous: ServiceState) => string }
  >
> = {
  started: { action: 'start', changed: true, says: (was) => `started (it was ${was})` },
  already_running: { action: 'start', changed: false, says: () => 'is already running' },
  stopped: { action: 'stop', changed: true, says: (was) => `stopped (it was ${was})` },
  already_stopped: { action: 'stop', changed: false, says: () => 'is already stopped' },
  restarted: { action: 'restart', changed: true, says: (was) => `restarted (it was ${was})` },
};

/** Where `register` puts the adapter's contributions: a container, or a plugin's context. */
export type ContributionTarget = DependencyContainer | Pick<PluginContext, 'provide'>;

/**
 * The management API over the orchestrator (DESIGN §8): service queries and actions that say
 * what they did, a replayable event stream, the `core_*` tools, the HTTP routes and the metrics.
 * `start()` begins keeping recent events; `register()` offers the tools, routes and metrics
 * observer to whoever serves them.
 */
@injectable()
export class ApiAdapter implements ServiceManagement {
  /** The `core_*` tools (`CoreTokens.ToolProvider`). */
  readonly toolProvider: CoreToolProvider;
  /** `/api`, `/healthz`, `/metrics` (`CoreTokens.HttpRoutes`). */
  readonly routes: ApiRoutes;
  /** Prometheus metrics, fed as a `CoreTokens.ToolCallObserver`. */
  readonly metrics: CorralMetrics;
  private readonly history: EventHistory;
  private stopListening: (() => void) | undefined;

  constructor(
    @inject(CoreTokens.Orchestrator) private readonly orchestrator: Orchestrator,
    @inject(CoreTokens.EventBus) private readonly bus: EventBus,
    @inject(CoreTokens.Clock) private readonly clock: Clock,
    @inject(CoreTokens.Logger) logger: Logger,
    @inject(ApiAdapterTokens.Options) readonly options: ResolvedApiAdapterOptions,
  ) {
    this.history = new EventHistory(options.historySize);
    this.metrics = new CorralMetrics(() => orchestrator.getAllServices(), logger);
    this.toolProvider = new CoreToolProvider(this);
    this.routes = new ApiRoutes({
      api: this,
      metrics: this.metrics,
      orchestratorRunning: () => orchestrator.isRunning,
      clock,
      logger,
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      streamQueueSize: options.streamQueueSize,
      healthServiceType: options.healthServiceType,
    });
  }

  // ------------------------------------------------------------------------------------------
  // Lifecycle

  /** Begins keeping the most recent events (idempotent). */
  start(): void {
    if (this.stopListening) return;
    this.stopListening = this.bus.listen((event) => {
      this.history.push(event);
    });
  }

  /** Stops keeping events; what is held stays readable (and is kept if it starts again). */
  stop(): void {
    this.stopListening?.();
    this.stopListening = undefined;
  }

  /**
   * Offers the tool provider, the HTTP routes and the metrics observer under core's tokens, to
   * a container or (from a plugin) to the root through `context.provide`.
   */
  register(target: ContributionTarget): void {
    const provide: <T>(token: Token<T>, value: T) => void =
      'provide' in target
        ? (token, value) => {
            target.provide(token, { useValue: value });
          }
        : (token, value) => {
            target.register(token, { useValue: value });
          };
    provide(CoreTokens.ToolProvider, this.toolProvider);
    provide(CoreTokens.HttpRoutes, this.routes);
    provide(CoreTokens.ToolCallObserver, this.metrics);
  }

  // ------------------------------------------------------------------------------------------
  // Services

  getAllServices(): ServiceStatus[] {
    return this.orchestrator.getAllServices().map((info) => this.withToolCount(info));
  }

  /** Throws core's `ServiceNotFoundError` (naming the registered services) for an unknown name. */
  getServiceStatus(name: string): ServiceStatus {
    return this.withToolCount(this.orchestrator.getServiceInfo(name));
  }

  /**
   * Adds the tool count of a running `ToolProvider`. `listTools()` is the service's own list in
   * memory (synchronous), so a status never waits on a server; one that throws shows no count.
   */
  private withToolCount(info: ServiceInfo): ServiceStatus {
    if (info.state !== 'running') return info;
    const service = this.orchestrator.getService(info.name);
    if (!isToolProvider(service)) return info;
    try {
      return { ...info, tools: service.listTools().length };
    } catch {
      return info;
    }
  }

  /** Starts it and its dependencies, or says it already runs. Rejects with the reason a start failed. */
  async startService(name: string): Promise<ServiceActionResult> {
    const before = this.orchestrator.getServiceInfo(name).state;
    if (before === 'running') return this.result(name, 'already_running', before);
    await this.orchestrator.startService(name);
    return this.result(name, 'started', before);
  }

  /** Stops it (dependents first), or says it already is stopped. */
  async stopService(name: string): Promise<ServiceActionResult> {
    const before = this.orchestrator.getServiceInfo(name).state;
    if (before === 'stopped') return this.result(name, 'already_stopped', before);
    await this.orchestrator.stopService(name);
    return this.result(name, 'stopped', before);
  }

  /** Stops and starts it; dependents come back after it. */
  async restartService(name: string): Promise<ServiceActionResult> {
    const before = this.orchestrator.getServiceInfo(name).state;
    await this.orchestrator.restartService(name);
    return this.result(name, 'restarted', before);
  }

  // ------------------------------------------------------------------------------------------
  // Events

  /** Recent events from the history (see `EventQuery`); throws `InvalidArgumentError` on bad input. */
  getEvents(query: EventQuery = {}): EventPage {
    const since = seqArgument(query.since);
    const limit = limitArgument(query.limit);
    const lastSeq = this.bus.lastSeq;
    if (since === undefined) {
      return { ...this.history.latest(limit), missed: 0, lastSeq, nextSince: lastSeq };
    }
    const { events, more, held } = this.history.after(since, limit);
    return {
      events,
      more,
      missed: this.missedAfter(since, held, lastSeq),
      lastSeq,
      nextSince: events.at(-1)?.seq ?? Math.min(since, lastSeq),
    };
  }

  /** Events after `since` that were published but are not (or never were) held. */
  private missedAfter(since: number, held: number, lastSeq: number): number {
    return Math.max(0, lastSeq - since - held);
  }

  /**
   * A stream of events: with `since`, held events after it first (led by an `overflow` marker if
   * some are no longer held), then live ones. A `since` beyond the last event (an id from an
   * earlier run) replays from the start. Ends when the orchestrator stops.
   */
  subscribeToStateChanges(options: StateChangeOptions = {}): StateChangeStream {
    const requested = seqArgument(options.since);
    const live = this.orchestrator.subscribe({
      queueSize: options.queueSize ?? this.options.streamQueueSize,
    });
    // Subscribed first, read the history second: publishing is synchronous, so nothing falls
    // between the two, and live events at or below this seq are skipped as already replayed.
    const lastSeq = this.bus.lastSeq;
    if (requested === undefined) return new ReplaySubscription([], live, lastSeq);
    const since = requested > lastSeq ? 0 : requested;
    const { events, held } = this.history.after(since, Number.POSITIVE_INFINITY);
    const missed = this.missedAfter(since, held, lastSeq);
    const backlog: CorralEvent[] = [];
    if (missed > 0) {
      backlog.push({ kind: 'overflow', dropped: missed, timestamp: this.clock.now() });
    }
    backlog.push(...events);
    return new ReplaySubscription(backlog, live, lastSeq);
  }

  // ------------------------------------------------------------------------------------------
  // Tools

  getTools(): readonly ToolDescriptor[] {
    return this.toolProvider.listTools();
  }

  /** Calls one of the tools by its own name (`service_list`, not `core_service_list`). */
  executeTool(name: string, args: JsonObject = {}): Promise<ToolCallResult> {
    return this.toolProvider.callTool(name, args);
  }

  private result(
    name: string,
    outcome: ServiceActionOutcome,
    previousState: ServiceState,
  ): ServiceActionResult {
    const { action, changed, says } = actionOutcomes[outcome];
    return {
      service: name,
      action,
      outcome,
      changed,
      previousState,
      message: `service '${name}' ${says(previousState)}`,
      status: this.getServiceStatus(name),
    };
  }
}

import type { CorralEvent, EventSubscription, ServiceInfo, ServiceState } from '@corral/core';
import type { HistoryPage } from './events/event-history.js';

/**
 * A service as the API shows it: core's `ServiceInfo`, plus how many tools it offers while it
 * runs and is a `ToolProvider` (its own current list, read in memory: never a request to it).
 */
export interface ServiceStatus extends ServiceInfo {
  readonly tools?: number;
}

/** What a start, stop or restart did. */
export type ServiceActionOutcome =
  'started' | 'already_running' | 'stopped' | 'already_stopped' | 'restarted';

export type ServiceAction = 'start' | 'stop' | 'restart';

/** The answer to a start, stop or restart that succeeded (or had nothing to do). */
export interface ServiceActionResult {
  readonly service: string;
  readonly action: ServiceAction;
  readonly outcome: ServiceActionOutcome;
  /** False when it already was as asked (running, or stopped). */
  readonly changed: boolean;
  readonly previousState: ServiceState;
  /** One sentence for people, e.g. `service 'memory' is already running`. */
  readonly message: string;
  /** The service as it is now. */
  readonly status: ServiceStatus;
}

/** Which recent events to return. */
export interface EventQuery {
  /** Only events with a seq above this, oldest first; without it, the latest events. */
  readonly since?: number;
  /** At most this many (default 100, at most 1 000). */
  readonly limit?: number;
}

/** Recent events, oldest first. */
export interface EventPage extends HistoryPage {
  /** Events after the asked-for seq that are no longer (or never were) held. */
  readonly missed: number;
  /** The seq of the newest event published so far (0 before any). */
  readonly lastSeq: number;
  /** Pass as `since` to get the events after this page. */
  readonly nextSince: number;
}

export interface StateChangeOptions {
  /**
   * Replay held events with a seq above this first (as SSE's `Last-Event-ID`), then go live.
   * Without it, only events from now on.
   */
  readonly since?: number;
  /** Events held for a slow reader before it gets an `overflow` marker. */
  readonly queueSize?: number;
}

export type StateChangeStream = EventSubscription & AsyncIterable<CorralEvent>;

/** What the tools and HTTP routes need from the adapter; `ApiAdapter` implements it. */
export interface ServiceManagement {
  getAllServices(): ServiceStatus[];
  getServiceStatus(name: string): ServiceStatus;
  startService(name: string): Promise<ServiceActionResult>;
  stopService(name: string): Promise<ServiceActionResult>;
  restartService(name: string): Promise<ServiceActionResult>;
  getEvents(query?: EventQuery): EventPage;
  subscribeToStateChanges(options?: StateChangeOptions): StateChangeStream;
}

/**
 * The management API's JSON, as the dashboard reads it (`@corral/api-adapter`'s wire format).
 * Kept here rather than imported so the browser bundle depends on no Node package.
 */

export const SERVICE_STATES = [
  'unknown',
  'waiting',
  'starting',
  'running',
  'stopping',
  'stopped',
  'failed',
  'retrying',
  'unreachable',
  'auth_required',
] as const;

export type ServiceState = (typeof SERVICE_STATES)[number];

export interface ServiceError {
  readonly code: string;
  readonly message: string;
}

/** `GET /api/services/:name`. */
export interface ServiceInfo {
  readonly name: string;
  readonly type: string;
  readonly state: ServiceState;
  readonly health: string;
  /** When it entered its state (ms since the epoch). */
  readonly since?: number;
  /** Tools a running tool provider offers now. */
  readonly tools?: number;
  readonly dependencies: readonly string[];
  readonly autoStart: boolean;
  readonly consecutiveFailures: number;
  readonly restarts: number;
  readonly lastError?: ServiceError;
  readonly stopReason?: string;
  readonly nextRetryAt?: number;
  /** The service's own (already redacted) status metadata. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** One `event: state` of `GET /api/events`. */
export interface StateEvent {
  readonly kind: 'state';
  readonly seq: number;
  readonly timestamp: number;
  readonly name: string;
  readonly serviceType: string;
  readonly oldState: ServiceState;
  readonly newState: ServiceState;
  readonly oldHealth?: string;
  readonly health: string;
  readonly reason?: string;
  readonly error?: ServiceError;
}

/** `POST /api/services/:name/{start,stop,restart}` on success. */
export interface ActionResult {
  readonly service: string;
  readonly action: string;
  readonly outcome: string;
  readonly changed: boolean;
  readonly previousState: string;
  readonly message: string;
  readonly status: ServiceInfo;
}

export type ServiceAction = 'start' | 'stop' | 'restart';

/** A tool as the aggregator lists it over MCP. */
export interface ToolInfo {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: JsonSchema;
  readonly annotations?: Readonly<Record<string, unknown>>;
  readonly _meta?: Readonly<Record<string, unknown>>;
}

export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly description?: string;
  readonly [key: string]: unknown;
}

/** `_meta` key under which the aggregator marks a tool its denylist refuses. */
export const DENIED_META_KEY = 'dev.corral/denied';

export interface Denial {
  /** The denylist entry that matched, e.g. `delete`. */
  readonly entry: string;
  /** Where the entry comes from (the default list, the config's `denylist.add`). */
  readonly from: string;
}

export function isServiceState(value: unknown): value is ServiceState {
  return typeof value === 'string' && (SERVICE_STATES as readonly string[]).includes(value);
}

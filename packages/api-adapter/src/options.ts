import { ApiAdapterOptionsError } from './errors.js';

/** What the API adapter can be told; every field has a default. */
export interface ApiAdapterOptions {
  /** Recent events kept for the `events` tool and for `Last-Event-ID` replay (default 1 000). */
  readonly historySize?: number;
  /** How often an idle event stream gets a `: heartbeat` comment, in ms (default 15 000). */
  readonly heartbeatIntervalMs?: number;
  /** Events held for one slow event-stream client before it gets `overflow` (default 1 024). */
  readonly streamQueueSize?: number;
  /** The service type whose running instance makes `/healthz` answer 200 (default `Aggregator`). */
  readonly healthServiceType?: string;
}

/** The options with every default filled in. */
export type ResolvedApiAdapterOptions = Required<ApiAdapterOptions>;

export const apiAdapterDefaults: ResolvedApiAdapterOptions = {
  historySize: 1_000,
  heartbeatIntervalMs: 15_000,
  streamQueueSize: 1_024,
  healthServiceType: 'Aggregator',
};

function positiveInteger(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ApiAdapterOptionsError(option, `must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Fills in defaults and checks every value; throws `ApiAdapterOptionsError` naming the field. */
export function resolveApiAdapterOptions(
  options: ApiAdapterOptions = {},
): ResolvedApiAdapterOptions {
  const merged = { ...apiAdapterDefaults, ...options };
  if (merged.healthServiceType === '') {
    throw new ApiAdapterOptionsError('healthServiceType', 'must name a service type');
  }
  return {
    historySize: positiveInteger('historySize', merged.historySize),
    heartbeatIntervalMs: positiveInteger('heartbeatIntervalMs', merged.heartbeatIntervalMs),
    streamQueueSize: positiveInteger('streamQueueSize', merged.streamQueueSize),
    healthServiceType: merged.healthServiceType,
  };
}

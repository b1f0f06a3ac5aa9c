/**
 * @corral/api-adapter — the complete public surface: the management API over Corral's
 * orchestrator, as `core_*` MCP tools, HTTP routes (`/api/services…`, `/api/events` as
 * Server-Sent Events, `/healthz`, `/metrics`) and a typed object for embedders.
 */

// The plugin, and the adapter for embedding without it.
export { apiAdapterPlugin, createApiAdapterPlugin } from './plugin.js';
export { ApiAdapter } from './api-adapter.js';
export type { ContributionTarget } from './api-adapter.js';
export { createApiAdapter } from './create-api-adapter.js';
export { ApiAdapterTokens } from './tokens.js';

// Options.
export { apiAdapterDefaults, resolveApiAdapterOptions } from './options.js';
export type { ApiAdapterOptions, ResolvedApiAdapterOptions } from './options.js';

// What the adapter answers.
export type {
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
export { DEFAULT_EVENT_LIMIT, MAX_EVENT_LIMIT } from './arguments.js';

// Its parts, each usable on its own.
export { CoreToolProvider } from './tools/core-tool-provider.js';
export { API_PATH_PREFIXES, ApiRoutes } from './http/api-routes.js';
export type { ApiRoutesSettings } from './http/api-routes.js';
export { CorralMetrics, MetricNames, TOOL_LATENCY_BUCKETS } from './metrics/corral-metrics.js';
export { EventHistory } from './events/event-history.js';
export type { HistoryPage } from './events/event-history.js';

// Errors: typed, with stable codes.
export {
  ApiAdapterOptionsError,
  InvalidArgumentError,
  RouteNotFoundError,
  UnknownToolError,
} from './errors.js';

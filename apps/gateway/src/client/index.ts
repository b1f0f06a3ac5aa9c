/**
 * The client commands — `corral status [NAME]`, `corral start|stop|restart NAME`, `corral events`
 * — and the client they share for a running gateway's management API (`/api/services…`,
 * `/api/events`). Commands write to an `Io` and return an exit code.
 */

// Where the gateway is.
export { DEFAULT_GATEWAY_URL, resolveClientOptions } from './client-options.js';
export type { ClientFlags, ClientOptions } from './client-options.js';

// The commands.
export { renderServiceDetail, renderStatusTable, runStatus } from './status-command.js';
export type { StatusFlags } from './status-command.js';
export { runAction } from './action-command.js';
export type { ActionFlags } from './action-command.js';
export { formatEvent, runEvents } from './events-command.js';
export type { EventsFlags } from './events-command.js';
export { reportFailure } from './report.js';

// The client and what it answers.
export { GatewayClient } from './gateway-client.js';
export type { EventStreamOptions, ServiceAction } from './gateway-client.js';
export type {
  ActionResult,
  GatewayEvent,
  OverflowEvent,
  ServiceView,
  StateEvent,
} from './api-schema.js';
export { exitCodeFor, GatewayClientError } from './gateway-error.js';
export type { GatewayErrorKind } from './gateway-error.js';

import { z } from 'zod';

/**
 * The shapes of the management API's answers (`@corral/api-adapter`'s JSON views), checked where
 * they enter. Unknown fields pass through, so a newer gateway's additions never break an older
 * CLI; only what the commands read is required.
 */

const errorInfo = z.looseObject({ code: z.string(), message: z.string() });

export const serviceViewSchema = z.looseObject({
  name: z.string(),
  type: z.string(),
  state: z.string(),
  health: z.string(),
  /** When it entered its current state (ms since the epoch). */
  since: z.number().optional(),
  /** Tools it offers while running, if it offers tools. */
  tools: z.number().optional(),
  dependencies: z.array(z.string()).optional(),
  autoStart: z.boolean().optional(),
  consecutiveFailures: z.number().optional(),
  restarts: z.number().optional(),
  lastError: errorInfo.optional(),
  stopReason: z.string().optional(),
  nextRetryAt: z.number().optional(),
  /** The service's own status metadata, redacted by the service. */
  data: z.record(z.string(), z.unknown()).optional(),
});
export type ServiceView = z.infer<typeof serviceViewSchema>;

export const serviceListSchema = z.looseObject({ services: z.array(serviceViewSchema) });

export const actionResultSchema = z.looseObject({
  service: z.string(),
  action: z.string(),
  /** `started`, `already_running`, `stopped`, `already_stopped` or `restarted`. */
  outcome: z.string(),
  changed: z.boolean(),
  previousState: z.string(),
  message: z.string(),
  status: serviceViewSchema,
});
export type ActionResult = z.infer<typeof actionResultSchema>;

export const stateEventSchema = z.looseObject({
  kind: z.literal('state'),
  seq: z.number(),
  timestamp: z.number(),
  name: z.string(),
  serviceType: z.string(),
  oldState: z.string(),
  newState: z.string(),
  oldHealth: z.string().optional(),
  health: z.string(),
  error: errorInfo.optional(),
  reason: z.string().optional(),
});
export type StateEvent = z.infer<typeof stateEventSchema>;

export const overflowEventSchema = z.looseObject({
  kind: z.literal('overflow'),
  dropped: z.number(),
  timestamp: z.number(),
});
export type OverflowEvent = z.infer<typeof overflowEventSchema>;

/** One event from `/api/events`: a service's transition, or a marker for events that were lost. */
export const gatewayEventSchema = z.discriminatedUnion('kind', [
  stateEventSchema,
  overflowEventSchema,
]);
export type GatewayEvent = z.infer<typeof gatewayEventSchema>;

/** `{ error: { code?, message } }`: the API's errors, and the aggregator's JSON-RPC refusals. */
export const errorBodySchema = z.looseObject({
  error: z.looseObject({ code: z.union([z.string(), z.number()]).optional(), message: z.string() }),
});

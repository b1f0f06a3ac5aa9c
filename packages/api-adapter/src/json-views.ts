import type { CorralEvent, ErrorInfo, JsonObject, ServiceStateChangedEvent } from '@corral/core';
import type { ServiceStatus } from './service-management.js';

/**
 * The JSON every tool and route shows, built field by field: only what is listed here leaves the
 * process. A service's `data` is its own redacted view (`ServiceDataProvider`); no config value is
 * ever added here.
 */

export function errorInfoJson(error: ErrorInfo): JsonObject {
  return { code: error.code, message: error.message };
}

export function serviceInfoJson(info: ServiceStatus): JsonObject {
  return {
    name: info.name,
    type: info.type,
    state: info.state,
    health: info.health,
    ...(info.since !== undefined ? { since: info.since } : {}),
    ...(info.tools !== undefined ? { tools: info.tools } : {}),
    dependencies: [...info.dependencies],
    autoStart: info.autoStart,
    consecutiveFailures: info.consecutiveFailures,
    restarts: info.restarts,
    ...(info.lastError ? { lastError: errorInfoJson(info.lastError) } : {}),
    ...(info.stopReason ? { stopReason: info.stopReason } : {}),
    ...(info.nextRetryAt !== undefined ? { nextRetryAt: info.nextRetryAt } : {}),
    ...(info.data ? { data: info.data } : {}),
  };
}

export function stateEventJson(event: ServiceStateChangedEvent): JsonObject {
  return {
    kind: event.kind,
    seq: event.seq,
    timestamp: event.timestamp,
    name: event.name,
    serviceType: event.serviceType,
    oldState: event.oldState,
    newState: event.newState,
    oldHealth: event.oldHealth,
    health: event.health,
    ...(event.error ? { error: errorInfoJson(event.error) } : {}),
    ...(event.reason ? { reason: event.reason } : {}),
  };
}

export function eventJson(event: CorralEvent): JsonObject {
  if (event.kind === 'state') return stateEventJson(event);
  return { kind: event.kind, dropped: event.dropped, timestamp: event.timestamp };
}

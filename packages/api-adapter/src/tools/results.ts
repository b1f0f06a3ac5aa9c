import { type JsonObject, toErrorInfo, type ToolCallResult } from '@corral/core';
import { errorInfoJson, serviceInfoJson, stateEventJson } from '../json-views.js';
import type { EventPage, ServiceActionResult } from '../service-management.js';

/** Tool results: JSON text for people and models, the same object as `structuredContent`. */

export function actionResultJson(result: ServiceActionResult): JsonObject {
  return {
    service: result.service,
    action: result.action,
    outcome: result.outcome,
    changed: result.changed,
    previousState: result.previousState,
    message: result.message,
    status: serviceInfoJson(result.status),
  };
}

export function eventPageJson(page: EventPage): JsonObject {
  return {
    events: page.events.map(stateEventJson),
    lastSeq: page.lastSeq,
    nextSince: page.nextSince,
    more: page.more,
    missed: page.missed,
  };
}

export function successResult(structured: JsonObject): ToolCallResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(structured, null, 2) }],
    structuredContent: structured,
  };
}

/** A tool error (`isError: true`): the message says what went wrong and what to do. */
export function errorResult(error: unknown): ToolCallResult {
  const info = toErrorInfo(error);
  return {
    content: [{ type: 'text', text: info.message }],
    structuredContent: { error: errorInfoJson(info) },
    isError: true,
  };
}

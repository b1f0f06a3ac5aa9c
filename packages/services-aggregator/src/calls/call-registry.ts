import type { JsonObject } from '@corral/core';
import type { ClientSession } from '../sessions/client-session.js';

/** A tool call in flight, as requests from the server behind need it. */
export interface InFlightCall {
  readonly session: ClientSession | undefined;
  /** Sends a request on the call's own stream to the client that made it. */
  readonly sendToClient:
    ((method: string, params: JsonObject, signal: AbortSignal) => Promise<JsonObject>) | undefined;
}

/**
 * Tool calls in flight by call id (the `callId` the aggregator gives each call), so that a
 * sampling, elicitation or roots request a server makes during a call reaches the client that
 * made it.
 */
export class CallRegistry {
  private readonly calls = new Map<string, InFlightCall>();

  get size(): number {
    return this.calls.size;
  }

  add(callId: string, call: InFlightCall): void {
    this.calls.set(callId, call);
  }

  delete(callId: string): void {
    this.calls.delete(callId);
  }

  get(callId: string): InFlightCall | undefined {
    return this.calls.get(callId);
  }
}

import type { ClientRequestContext, ClientRequestHandler, JsonObject } from '@corral/core';
import type { InFlightCall } from '../calls/call-registry.js';
import { NoClientForRequestError } from '../errors.js';
import type { ClientSession } from '../sessions/client-session.js';

/** What one running aggregator knows about its clients. */
export interface ClientDirectory {
  /** A tool call in flight through this aggregator, by call id. */
  call(callId: string): InFlightCall | undefined;
  /** Initialized sessions. */
  readySessions(): readonly ClientSession[];
}

/**
 * Sends the requests servers make of their client (sampling, elicitation, roots) to the client
 * that should answer: the one whose tool call caused it. MCP does not say which call that is, so
 * the server's tool calls in flight (`relatedCallIds`) decide:
 *
 * - they all belong to one session → that session, on the stream of its latest such call;
 * - none is in flight → the only connected client, if there is exactly one;
 * - otherwise (calls of several clients, calls made outside the aggregator, no client, several
 *   clients) → refused with `NoClientForRequestError`: a prompt or a form shown to the wrong
 *   user is worse than an error.
 *
 * One router serves the whole plugin; it is installed on every `ClientRequestReceiver` before it
 * starts, so the capabilities are declared at connect.
 */
export class ClientRequestRouter {
  private readonly directories = new Set<ClientDirectory>();

  readonly handler: ClientRequestHandler = {
    createMessage: (params, context) => this.route('sampling/createMessage', params, context),
    elicit: (params, context) => this.route('elicitation/create', params, context),
    listRoots: (params, context) => this.route('roots/list', params, context),
  };

  /** Adds a running aggregator; returns its removal. */
  attach(directory: ClientDirectory): () => void {
    this.directories.add(directory);
    return () => this.directories.delete(directory);
  }

  private async route(
    method: string,
    params: JsonObject,
    context: ClientRequestContext,
  ): Promise<JsonObject> {
    const refuse = (reason: string): never => {
      throw new NoClientForRequestError(context.serviceName, method, reason);
    };
    const ids = context.relatedCallIds;
    if (ids.length > 0) {
      const calls = ids.map((id) => this.findCall(id));
      const known = calls.filter((c): c is InFlightCall => c !== undefined);
      if (known.length < calls.length) {
        return refuse(
          `${String(calls.length - known.length)} of its ${String(calls.length)} tool calls in ` +
            'flight were not made through the aggregator',
        );
      }
      const sessions = new Set(known.map((c) => c.session));
      const latest = known.at(-1);
      if (sessions.size > 1 || !latest) {
        return refuse(
          `tool calls of ${String(sessions.size)} different clients are in flight on it; ` +
            'call its tools from one client at a time to use sampling, elicitation or roots',
        );
      }
      if (latest.sendToClient) return latest.sendToClient(method, params, context.signal);
      if (latest.session) return latest.session.request(method, params, context.signal);
      return refuse('the call that caused it came from no client session');
    }
    const sessions = [...this.directories].flatMap((d) => d.readySessions());
    const only = sessions[0];
    if (sessions.length === 1 && only) return only.request(method, params, context.signal);
    return refuse(
      sessions.length === 0
        ? 'no client is connected'
        : `no tool call of its is in flight and ${String(sessions.length)} clients are connected`,
    );
  }

  private findCall(callId: string): InFlightCall | undefined {
    for (const directory of this.directories) {
      const call = directory.call(callId);
      if (call) return call;
    }
    return undefined;
  }
}

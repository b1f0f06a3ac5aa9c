import type { Clock, TimerHandle } from '@corral/core';
import {
  type JSONRPCMessage,
  type RequestId,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';

/**
 * How long a request's answer may take to be sent as plain JSON: a call that has not answered,
 * and said nothing else, within this gets its event stream instead, so the client sees the
 * response start (headers) and no client times out waiting for them.
 */
export const JSON_ANSWER_WINDOW_MS = 1_000;

type Send = WebStandardStreamableHTTPServerTransport['send'];
type SendOptions = Parameters<Send>[1];

/** A request whose answer's shape is not decided yet. */
interface Pending {
  /** Settles with the answer if it is the first thing sent for the request, else undefined. */
  readonly decide: (answer: JSONRPCMessage | undefined) => void;
}

/**
 * The SDK's streamable-HTTP server transport, answering each single request with the cheaper
 * of the two shapes the protocol allows: plain JSON when the first thing the server sends for it
 * is its answer, within {@link JSON_ANSWER_WINDOW_MS} (most calls: no progress, no log, no
 * sampling on the way), the event stream otherwise. Every client must accept both; JSON spares
 * the client its SSE parsing and the gateway a streamed response.
 *
 * The SDK decides the shape once per transport (`enableJsonResponse`), and its JSON mode drops
 * what a call sends before its answer — progress, logs, a sampling request — which a gateway
 * must pass on. So the transport makes its event stream as usual, and {@link send} notes what
 * is sent first for the request: its answer, and the stream (which also got it) is left unread
 * and the answer goes out as JSON; anything else, and the stream goes out untouched.
 */
export class AnswerShapingTransport extends WebStandardStreamableHTTPServerTransport {
  private readonly pending = new Map<RequestId, Pending>();

  constructor(
    options: ConstructorParameters<typeof WebStandardStreamableHTTPServerTransport>[0],
    private readonly clock: Clock,
  ) {
    super(options);
  }

  /** Handles a POST of one JSON-RPC request (`parsedBody`, already parsed, with this `id`). */
  async respond(request: Request, parsedBody: unknown, id: RequestId): Promise<Response> {
    let timer: TimerHandle | undefined;
    const decided = new Promise<JSONRPCMessage | undefined>((resolve) => {
      this.pending.set(id, { decide: resolve });
      timer = this.clock.setTimeout(() => {
        resolve(undefined);
      }, JSON_ANSWER_WINDOW_MS);
    });
    try {
      const stream = await this.handleRequest(request, { parsedBody });
      // Anything but 200 is the transport refusing the request (not dispatched): as it is.
      if (stream.status !== 200) return stream;
      const answer = await decided;
      return answer === undefined ? stream : this.json(answer);
    } finally {
      this.clock.clearTimeout(timer);
      this.pending.delete(id);
    }
  }

  override send(message: JSONRPCMessage, options?: SendOptions): Promise<void> {
    if (this.pending.size > 0) {
      const answered = 'method' in message ? undefined : message.id;
      const related = answered ?? options?.relatedRequestId;
      const pending = related === undefined ? undefined : this.pending.get(related);
      if (related !== undefined && pending !== undefined) {
        this.pending.delete(related);
        pending.decide(answered === undefined ? undefined : message);
      }
    }
    return super.send(message, options);
  }

  private json(answer: JSONRPCMessage): Response {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.sessionId !== undefined) headers['mcp-session-id'] = this.sessionId;
    return new Response(JSON.stringify(answer), { status: 200, headers });
  }
}

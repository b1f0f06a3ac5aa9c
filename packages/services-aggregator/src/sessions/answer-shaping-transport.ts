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

/** What was sent first for a request the endpoint is shaping the answer of. */
type FirstSent = 'nothing' | 'its-answer' | 'something-else';

/**
 * The SDK's streamable-HTTP server transport, answering each single request with the cheaper
 * of the two shapes the protocol allows: plain JSON when the first thing the server sends for it
 * is its answer (most calls: no progress, no log, no sampling on the way), the event stream as
 * soon as anything else comes first or the answer is slow. Both are what every client must
 * accept; JSON spares the client its SSE parsing (half of an SDK client's work per call) and the
 * gateway a streamed response (headers and body in one write instead of several).
 *
 * The SDK decides the shape once per transport (`enableJsonResponse`), and its JSON mode drops
 * what a call sends before its answer — progress, logs, a sampling request — which a gateway
 * must pass on. So the transport streams as usual and {@link respond} reads the first event:
 * this class records in {@link send} whether it was the request's answer.
 */
export class AnswerShapingTransport extends WebStandardStreamableHTTPServerTransport {
  private readonly shaping = new Map<RequestId, FirstSent>();

  /**
   * Handles a POST of one JSON-RPC request (`parsedBody`, already parsed, with its `id`) and
   * answers it as JSON when its answer comes first and within {@link JSON_ANSWER_WINDOW_MS}.
   */
  async respond(request: Request, parsedBody: unknown, id: RequestId): Promise<Response> {
    this.shaping.set(id, 'nothing');
    try {
      const response = await this.handleRequest(request, { parsedBody });
      const body = response.body;
      if (body === null || !isEventStream(response)) return response;
      const reader: ReadableStreamDefaultReader<Uint8Array> = body.getReader();
      const first = reader.read();
      const firstInTime = await within(first, JSON_ANSWER_WINDOW_MS);
      if (firstInTime !== undefined && !firstInTime.done && this.shaping.get(id) === 'its-answer') {
        void reader.cancel();
        return jsonAnswer(response, firstInTime.value);
      }
      return streamed(response, reader, first);
    } finally {
      this.shaping.delete(id);
    }
  }

  override send(message: JSONRPCMessage, options?: SendOptions): Promise<void> {
    if (this.shaping.size > 0) {
      const answered = 'id' in message && !('method' in message) ? message.id : undefined;
      const related = answered ?? options?.relatedRequestId;
      if (related !== undefined && this.shaping.get(related) === 'nothing') {
        this.shaping.set(related, answered !== undefined ? 'its-answer' : 'something-else');
      }
    }
    return super.send(message, options);
  }
}

function isEventStream(response: Response): boolean {
  return response.headers.get('content-type')?.startsWith('text/event-stream') === true;
}

/** `promise`'s value if it settles within `ms`, otherwise undefined (it keeps running). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      resolve(undefined);
    }, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const decoder = new TextDecoder();

/**
 * The answer's SSE event (`event: message`, no `id:` line since no event store is configured,
 * `data: <the JSON>`, a blank line) as a JSON response with the stream's headers (session id).
 */
function jsonAnswer(stream: Response, event: Uint8Array): Response {
  const text = decoder.decode(event);
  const start = text.indexOf('data: ') + 'data: '.length;
  const end = text.endsWith('\n\n') ? text.length - 2 : text.length;
  const headers = new Headers(stream.headers);
  headers.set('content-type', 'application/json');
  headers.delete('cache-control');
  headers.delete('connection');
  headers.delete('x-accel-buffering');
  return new Response(text.slice(start, end), { status: stream.status, headers });
}

/** The event stream as the transport made it, starting with the event already being read. */
function streamed(
  original: Response,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  first: Promise<Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>>,
): Response {
  let next = first;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await next;
      if (chunk.done) {
        controller.close();
        return;
      }
      controller.enqueue(chunk.value);
      next = reader.read();
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: original.status, headers: original.headers });
}

import type { FetchLike } from '@modelcontextprotocol/client';

/**
 * A fetch for the SDK's HTTP client transports that gives every request an AbortSignal of its
 * own. The transports pass one long-lived signal to every fetch, and Node's fetch leaves an
 * abort listener on it per request until that request is garbage-collected: under sustained
 * traffic the shared signal collects thousands (`MaxListenersExceededWarning`), each add
 * slower than the last. Here the caller's signal holds at most one listener, only while a
 * request made under it is unfinished — a request with a body is finished when the body ends,
 * errors or is cancelled, so aborting the caller's signal still ends an event stream being read.
 */
export function perRequestAbortFetch(base: FetchLike = fetch): FetchLike {
  const bridges = new WeakMap<AbortSignal, AbortBridge>();
  return async (url, init) => {
    const parent = init?.signal;
    // No signal, or an aborted one: fetch adds no listener and rejects as it always did.
    if (parent == null || parent.aborted) return base(url, init);
    let bridge = bridges.get(parent);
    if (bridge === undefined) {
      bridge = new AbortBridge(parent);
      bridges.set(parent, bridge);
    }
    const request = bridge.open();
    let response: Response;
    try {
      response = await base(url, { ...init, signal: request.signal });
    } catch (error) {
      bridge.release(request);
      throw error;
    }
    // 202 is the answer to a notification or response: nothing worth aborting follows.
    if (response.body === null || response.status === 202) {
      bridge.release(request);
      return response;
    }
    return releasingOnBodyEnd(response, response.body, () => {
      bridge.release(request);
    });
  };
}

/**
 * The unfinished requests made under one caller signal, and the one listener that aborts them:
 * one per request would trip Node's warning at 11 concurrent calls (fetch no longer raises the
 * caller's limit to 1500, as it did when it listened there itself).
 */
class AbortBridge {
  private readonly requests = new Set<AbortController>();

  constructor(private readonly parent: AbortSignal) {}

  /** A controller for one request, aborted with the caller's reason; `release` it when done. */
  open(): AbortController {
    const request = new AbortController();
    if (this.requests.size === 0) {
      this.parent.addEventListener('abort', this.onAbort, { once: true });
    }
    this.requests.add(request);
    return request;
  }

  release(request: AbortController): void {
    if (!this.requests.delete(request) || this.requests.size > 0) return;
    this.parent.removeEventListener('abort', this.onAbort);
  }

  private readonly onAbort = (): void => {
    const reason: unknown = this.parent.reason;
    for (const request of this.requests) request.abort(reason);
    this.requests.clear();
  };
}

/** `response` with a body that calls `release` when it ends, errors or is cancelled. */
function releasingOnBodyEnd(
  response: Response,
  body: ReadableStream<Uint8Array>,
  release: () => void,
): Response {
  const reader = body.getReader();
  const watched = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await reader.read().catch((error: unknown) => {
        release();
        throw error;
      });
      if (chunk.done) {
        release();
        controller.close();
      } else {
        controller.enqueue(chunk.value);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
  const wrapped = new Response(watched, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // A constructed Response has no URL of its own; the SDK and eventsource read these two.
  Object.defineProperties(wrapped, {
    url: { value: response.url },
    redirected: { value: response.redirected },
  });
  return wrapped;
}

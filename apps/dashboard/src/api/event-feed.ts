import type { FleetStore } from '../model/fleet-store.js';
import { isServiceState, type StateEvent } from '../model/types.js';
import type { GatewayToken } from './gateway-token.js';
import { type SseMessage, SseParser } from './sse-parser.js';

export interface EventFeedOptions {
  readonly url: URL;
  readonly store: FleetStore;
  /** Sends the gateway's token, and hears of a 401 (reported by its `sender()`). */
  readonly token: GatewayToken;
  /** Called when the services should be read again: after a (re)connect, an overflow, or events. */
  readonly resync: () => void;
}

/** How long to wait before reconnecting when the server named no `retry:` (EventSource's order). */
const DEFAULT_RETRY_MS = 2000;

/**
 * Follows `/api/events` with `fetch`, reading the stream itself, because `EventSource` cannot
 * send `Authorization: Bearer …`. One path with or without a token: each state event moves the
 * store on at once; after a dropped connection it reconnects with `Last-Event-ID`, as
 * `EventSource` would, so nothing is lost or repeated. A 401 waits for the token to change.
 */
export class EventFeed {
  private controller: AbortController | undefined;

  constructor(private readonly options: EventFeedOptions) {}

  start(): void {
    if (this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    void this.follow(controller.signal);
  }

  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
  }

  private async follow(signal: AbortSignal): Promise<void> {
    const { url, store, token, resync } = this.options;
    let lastEventId: string | undefined;
    let retryMs = DEFAULT_RETRY_MS;
    // A function, so the compiler does not assume it stays as it was before an await.
    const stopped = (): boolean => signal.aborted;
    let wasLive = false;
    while (!stopped()) {
      let response: Response | undefined;
      try {
        response = await token.sender().fetch(url, {
          headers: {
            accept: 'text/event-stream',
            ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
          },
          cache: 'no-store',
          signal,
        });
      } catch {
        response = undefined;
      }
      if (stopped()) return;
      if (response?.status === 401) {
        await response.body?.cancel().catch(() => undefined);
        store.setConnection('connecting');
        // Unless a newer token came meanwhile, wait for the user to enter one.
        if (token.prompt !== undefined) await tokenChange(token, signal);
        continue;
      }
      const body = response?.ok === true ? response.body : null;
      if (body) {
        store.setConnection('live');
        wasLive = true;
        resync();
        const parser = new SseParser();
        try {
          const reader = body.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            for (const message of parser.push(value)) {
              if (message.id !== undefined) lastEventId = message.id;
              this.dispatch(message);
            }
          }
        } catch {
          // A dropped connection (or stop()): reconnect below unless stopped.
        }
        retryMs = parser.retryMs ?? retryMs;
      } else {
        await response?.body?.cancel().catch(() => undefined);
      }
      if (stopped()) return;
      store.setConnection(wasLive ? 'reconnecting' : 'connecting');
      await delay(retryMs, signal);
    }
  }

  private dispatch(message: SseMessage): void {
    const { store, resync } = this.options;
    if (message.event === 'state') {
      const event = parseStateEvent(message.data);
      if (event && store.applyEvent(event)) resync();
    } else if (message.event === 'overflow') {
      store.noteOverflow(parseDropped(message.data), Date.now());
      resync();
    }
  }
}

/** Resolves when the token changes (the user entered one) or `signal` aborts. */
function tokenChange(token: GatewayToken, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      token.removeEventListener('change', onChange);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const onChange = (): void => {
      if (token.prompt === undefined) done();
    };
    token.addEventListener('change', onChange);
    signal.addEventListener('abort', done);
  });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** A state event from the stream, or `undefined` for anything malformed. */
export function parseStateEvent(data: unknown): StateEvent | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const event = value as Partial<StateEvent>;
  if (
    typeof event.seq !== 'number' ||
    typeof event.name !== 'string' ||
    typeof event.timestamp !== 'number' ||
    !isServiceState(event.newState) ||
    !isServiceState(event.oldState)
  ) {
    return undefined;
  }
  return { ...event, kind: 'state', health: event.health ?? 'unknown' } as StateEvent;
}

function parseDropped(data: unknown): number {
  try {
    const value = JSON.parse(String(data)) as { dropped?: unknown };
    return typeof value.dropped === 'number' ? value.dropped : 0;
  } catch {
    return 0;
  }
}

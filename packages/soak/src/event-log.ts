import { setTimeout as sleep } from 'node:timers/promises';
import { createParser } from 'eventsource-parser';

/** One state event from the gateway's `GET /api/events` stream. */
export interface StateEvent {
  readonly seq: number;
  /** The gateway's clock (ms since the epoch): the same host clock the soak reads. */
  readonly timestamp: number;
  readonly name: string;
  readonly oldState: string;
  readonly newState: string;
  readonly health: string;
  readonly reason?: string;
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * Follows `GET /api/events?since=0` for the whole run, so every transition since the gateway
 * started is seen in order; reconnects with `Last-Event-ID` if the stream drops while the
 * gateway runs. Keeps every event and each service's current state.
 */
export class EventLog {
  readonly events: StateEvent[] = [];
  readonly states = new Map<string, string>();
  /** Overflow markers seen (events the gateway dropped for this subscriber). */
  overflows = 0;
  private readonly controller = new AbortController();
  private readonly listeners = new Set<(event: StateEvent) => void>();
  private readonly done: Promise<void>;

  constructor(private readonly origin: string) {
    this.done = this.follow();
  }

  private closed(): boolean {
    return this.controller.signal.aborted;
  }

  private lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  private async follow(): Promise<void> {
    for (let attempt = 0; attempt < 20 && !this.controller.signal.aborted; attempt++) {
      try {
        await this.readOnce();
        return; // the stream ended: the gateway stopped
      } catch {
        if (this.closed()) return;
        await sleep(250);
      }
    }
  }

  private async readOnce(): Promise<void> {
    const response = await fetch(`${this.origin}/api/events?since=${this.lastSeq()}`, {
      signal: this.controller.signal,
      headers: { Accept: 'text/event-stream' },
    });
    if (!response.ok || response.body === null) {
      throw new Error(`GET /api/events: HTTP ${response.status}`);
    }
    const parser = createParser({
      onEvent: (message) => {
        if (message.event === 'overflow') {
          this.overflows++;
          return;
        }
        if (message.event !== 'state') return;
        const event = JSON.parse(message.data) as StateEvent;
        if (event.seq <= this.lastSeq()) return;
        this.events.push(event);
        this.states.set(event.name, event.newState);
        for (const listener of this.listeners) listener(event);
      },
    });
    const decoder = new TextDecoder();
    // Node's fetch types the body loosely; it is bytes.
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
    }
  }

  state(name: string): string | undefined {
    return this.states.get(name);
  }

  /** Resolves with the first event (from now on) that `match` accepts, or undefined at timeout. */
  next(match: (event: StateEvent) => boolean, timeoutMs: number): Promise<StateEvent | undefined> {
    return new Promise((resolve) => {
      const listener = (event: StateEvent): void => {
        if (!match(event)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        resolve(undefined);
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  /** Stops following (when the gateway is gone or the run is over). */
  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }

  /** Resolves when the stream ends by itself (the gateway's orchestrator stopped). */
  ended(): Promise<void> {
    return this.done;
  }
}

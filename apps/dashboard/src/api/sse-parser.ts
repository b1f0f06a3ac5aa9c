import { createParser } from 'eventsource-parser';

/** One Server-Sent Event, as an `EventSource` would dispatch it. */
export interface SseMessage {
  /** `event:`; `message` when the server named none. */
  readonly event: string;
  readonly data: string;
  /** `id:` of this event, when it had one. */
  readonly id: string | undefined;
}

/**
 * Reads an event stream for a `fetch` body — `EventSource` itself cannot send an
 * `Authorization` header — with the parser the gateway CLI and the API's tests use
 * (`eventsource-parser`), reporting events as `EventSource` dispatches them: named `message`
 * when unnamed, the last `id:` carrying on.
 */
export class SseParser {
  private completed: SseMessage[] = [];
  private lastId: string | undefined;
  private readonly parser = createParser({
    onEvent: (event) => {
      if (event.id !== undefined) this.lastId = event.id;
      this.completed.push({ event: event.event ?? 'message', data: event.data, id: this.lastId });
    },
    onRetry: (ms) => {
      this.retryMs = ms;
    },
  });
  /** The last `retry:` the server asked for, in ms. */
  retryMs: number | undefined;

  /** Takes the next chunk of text; returns the events it completed. */
  push(chunk: string): SseMessage[] {
    this.parser.feed(chunk);
    const messages = this.completed;
    this.completed = [];
    return messages;
  }
}

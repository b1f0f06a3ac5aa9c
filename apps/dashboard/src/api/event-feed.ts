import type { FleetStore } from '../model/fleet-store.js';
import { isServiceState, type StateEvent } from '../model/types.js';

export interface EventFeedOptions {
  readonly url: URL;
  readonly store: FleetStore;
  /** Called when the services should be read again: after a (re)connect, an overflow, or events. */
  readonly resync: () => void;
}

/**
 * Follows `/api/events` with an `EventSource`: each state event moves the store on at once;
 * the browser reconnects by itself with `Last-Event-ID`, so nothing is lost or repeated.
 */
export class EventFeed {
  private source: EventSource | undefined;

  constructor(private readonly options: EventFeedOptions) {}

  start(): void {
    if (this.source) return;
    const { url, store, resync } = this.options;
    const source = new EventSource(url);
    this.source = source;
    source.addEventListener('open', () => {
      store.setConnection('live');
      resync();
    });
    source.addEventListener('error', () => {
      store.setConnection(source.readyState === EventSource.CLOSED ? 'connecting' : 'reconnecting');
    });
    source.addEventListener('state', (message) => {
      const event = parseStateEvent(message.data);
      if (event && store.applyEvent(event)) resync();
    });
    source.addEventListener('overflow', (message) => {
      const dropped = parseDropped(message.data);
      store.noteOverflow(dropped, Date.now());
      resync();
    });
  }

  stop(): void {
    this.source?.close();
    this.source = undefined;
  }
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

import type { ServiceStateChangedEvent } from '@corral/core';

/** A page of the history: events oldest first. */
export interface HistoryPage {
  readonly events: readonly ServiceStateChangedEvent[];
  /** More events after the last one returned are held. */
  readonly more: boolean;
}

/** The most recent state events, oldest first, in a ring of fixed capacity. */
export class EventHistory {
  private readonly ring: (ServiceStateChangedEvent | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<ServiceStateChangedEvent | undefined>(capacity).fill(undefined);
  }

  push(event: ServiceStateChangedEvent): void {
    if (this.count < this.capacity) {
      this.ring[(this.start + this.count) % this.capacity] = event;
      this.count++;
      return;
    }
    this.ring[this.start] = event;
    this.start = (this.start + 1) % this.capacity;
  }

  get size(): number {
    return this.count;
  }

  /** Every held event, oldest first. */
  all(): ServiceStateChangedEvent[] {
    const out: ServiceStateChangedEvent[] = [];
    for (let i = 0; i < this.count; i++) {
      const event = this.ring[(this.start + i) % this.capacity];
      if (event) out.push(event);
    }
    return out;
  }

  /** Up to `limit` events with seq above `since`, oldest first. */
  after(since: number, limit: number): HistoryPage & { readonly held: number } {
    const later = this.all().filter((event) => event.seq > since);
    return { events: later.slice(0, limit), more: later.length > limit, held: later.length };
  }

  /** The last `limit` events, oldest first. */
  latest(limit: number): HistoryPage {
    const all = this.all();
    return { events: all.slice(Math.max(0, all.length - limit)), more: false };
  }
}

import type { ServiceStateChangedEvent } from '@corral/core';

/** A page of the history: events oldest first. */
export interface HistoryPage {
  readonly events: readonly ServiceStateChangedEvent[];
  /** More events after the last one returned are held. */
  readonly more: boolean;
  /** Events after the asked-for seq that are no longer (or never were) held. */
  readonly missed: number;
}

/**
 * The most recent state events, in a ring of fixed capacity. Seqs are contiguous from the moment
 * it starts listening; `heldAfter` is the seq before the oldest event it can still answer for.
 */
export class EventHistory {
  private readonly ring: (ServiceStateChangedEvent | undefined)[];
  private start = 0;
  private count = 0;
  private forgottenThrough = 0;

  constructor(readonly capacity: number) {
    this.ring = new Array<ServiceStateChangedEvent | undefined>(capacity).fill(undefined);
  }

  /** Forgets everything; events up to `lastSeq` are counted as missed from now on. */
  reset(lastSeq: number): void {
    this.ring.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.forgottenThrough = lastSeq;
  }

  push(event: ServiceStateChangedEvent): void {
    if (this.count < this.capacity) {
      this.ring[(this.start + this.count) % this.capacity] = event;
      this.count++;
      return;
    }
    const evicted = this.ring[this.start];
    if (evicted) this.forgottenThrough = evicted.seq;
    this.ring[this.start] = event;
    this.start = (this.start + 1) % this.capacity;
  }

  get size(): number {
    return this.count;
  }

  /** Events with seq at or below this are not held. */
  get heldAfter(): number {
    return this.forgottenThrough;
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
  after(since: number, limit: number): HistoryPage {
    const later = this.all().filter((event) => event.seq > since);
    return {
      events: later.slice(0, limit),
      more: later.length > limit,
      missed: Math.max(0, this.forgottenThrough - since),
    };
  }

  /** The last `limit` events, oldest first. */
  latest(limit: number): HistoryPage {
    const all = this.all();
    return { events: all.slice(Math.max(0, all.length - limit)), more: false, missed: 0 };
  }
}

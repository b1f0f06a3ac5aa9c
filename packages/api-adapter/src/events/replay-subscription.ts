import type { CorralEvent, EventSubscription } from '@corral/core';

const done: IteratorResult<CorralEvent> = { done: true, value: undefined };

/**
 * A live subscription with a backlog in front: the backlog (replayed history, perhaps led by an
 * `overflow` marker for what history no longer holds) is read first, then live events, skipping
 * any the backlog already gave. `unsubscribe()` ends a pending read at once.
 */
export class ReplaySubscription implements EventSubscription {
  private head = 0;
  private ended = false;

  constructor(
    private backlog: readonly CorralEvent[],
    private readonly live: EventSubscription,
    /** The seq of the last state event the backlog gives (or that the reader already has). */
    private lastSeq: number,
  ) {}

  get pending(): number {
    return this.backlog.length - this.head + this.live.pending;
  }

  async next(): Promise<IteratorResult<CorralEvent>> {
    if (this.ended) return done;
    const queued = this.backlog[this.head];
    if (queued) {
      this.head++;
      return { done: false, value: queued };
    }
    for (;;) {
      const result = await this.live.next();
      if (result.done === true) return done;
      const event = result.value;
      if (event.kind === 'state') {
        if (event.seq <= this.lastSeq) continue;
        this.lastSeq = event.seq;
      }
      return { done: false, value: event };
    }
  }

  return(): Promise<IteratorResult<CorralEvent>> {
    this.unsubscribe();
    return Promise.resolve(done);
  }

  unsubscribe(): void {
    this.ended = true;
    this.backlog = [];
    this.head = 0;
    this.live.unsubscribe();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

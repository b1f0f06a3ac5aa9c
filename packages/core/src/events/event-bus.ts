import type { ServiceTransition } from '../service/base-service.js';
import type { Clock } from '../time/clock.js';

/** A state, health or error change of one service (DESIGN §5). */
export interface ServiceStateChangedEvent extends ServiceTransition {
  readonly kind: 'state';
  /** Milliseconds since the epoch, from the orchestrator's clock. */
  readonly timestamp: number;
  /** One more than the previous event's, across the whole orchestrator. */
  readonly seq: number;
}

/**
 * In place of the events a slow subscriber missed: how many. Resync from
 * `orchestrator.getAllServices()`.
 */
export interface OverflowEvent {
  readonly kind: 'overflow';
  readonly dropped: number;
  readonly timestamp: number;
}

export type CorralEvent = ServiceStateChangedEvent | OverflowEvent;

export interface SubscribeOptions {
  /** Events held for this subscriber before it overflows (default 1 024). */
  readonly queueSize?: number;
}

export interface EventBusOptions {
  readonly defaultQueueSize?: number;
}

/** A subscriber's stream: iterate it with `for await`; `unsubscribe()` ends it. */
export interface EventSubscription extends AsyncIterableIterator<CorralEvent> {
  unsubscribe(): void;
  /** Events waiting to be read. */
  readonly pending: number;
}

export const DEFAULT_QUEUE_SIZE = 1024;

/**
 * Ordered fan-out of state events. Publishing never blocks and never waits on a subscriber:
 * each has its own bounded queue, and one that falls behind gets an `overflow` marker instead
 * of the events it could not hold.
 */
export class EventBus {
  private seq = 0;
  private subscribers = new Set<Subscriber>();
  private listeners: readonly ((event: ServiceStateChangedEvent) => void)[] = [];
  private isClosed = false;
  private readonly defaultQueueSize: number;

  constructor(
    private readonly clock: Clock,
    options: EventBusOptions = {},
  ) {
    this.defaultQueueSize = options.defaultQueueSize ?? DEFAULT_QUEUE_SIZE;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** The seq of the last event published (0 before any). */
  get lastSeq(): number {
    return this.seq;
  }

  publish(transition: ServiceTransition): ServiceStateChangedEvent {
    const event: ServiceStateChangedEvent = {
      kind: 'state',
      ...transition,
      timestamp: this.clock.now(),
      seq: ++this.seq,
    };
    if (this.isClosed) return event;
    for (const listener of this.listeners) listener(event);
    for (const subscriber of this.subscribers) subscriber.push(event);
    return event;
  }

  /** A synchronous in-process listener, called in publish order. Keep it cheap. */
  listen(listener: (event: ServiceStateChangedEvent) => void): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** A stream of every event from now on, in order. Ends when the bus closes. */
  subscribe(options: SubscribeOptions = {}): EventSubscription {
    const size = options.queueSize ?? this.defaultQueueSize;
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`queueSize must be a positive integer, got ${String(size)}`);
    }
    const subscriber = new Subscriber(size, this.clock, (s) => this.subscribers.delete(s));
    if (this.isClosed) subscriber.end();
    else this.subscribers.add(subscriber);
    return subscriber;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Ends every stream once its queued events are read; later publishes reach no one. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const subscriber of this.subscribers) subscriber.end();
    this.subscribers.clear();
    this.listeners = [];
  }
}

const done: IteratorResult<CorralEvent> = { done: true, value: undefined };

class Subscriber implements EventSubscription {
  private queue: CorralEvent[] = [];
  private head = 0;
  private dropped = 0;
  private ended = false;
  private waiter: ((result: IteratorResult<CorralEvent>) => void) | undefined;

  constructor(
    private readonly capacity: number,
    private readonly clock: Clock,
    private readonly detach: (s: Subscriber) => void,
  ) {}

  get pending(): number {
    return this.queue.length - this.head + (this.dropped > 0 ? 1 : 0);
  }

  push(event: CorralEvent): void {
    if (this.ended) return;
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter({ done: false, value: event });
      return;
    }
    // Once overflowing, keep dropping until the reader reaches the marker: events after it
    // are then contiguous again.
    if (this.dropped > 0 || this.queue.length - this.head >= this.capacity) {
      this.dropped++;
      return;
    }
    this.queue.push(event);
  }

  next(): Promise<IteratorResult<CorralEvent>> {
    const item = this.take();
    if (item) return Promise.resolve({ done: false, value: item });
    if (this.ended) return Promise.resolve(done);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<CorralEvent>> {
    this.unsubscribe();
    return Promise.resolve(done);
  }

  unsubscribe(): void {
    this.detach(this);
    this.queue = [];
    this.head = 0;
    this.dropped = 0;
    this.end();
  }

  end(): void {
    this.ended = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.(done);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private take(): CorralEvent | undefined {
    if (this.head < this.queue.length) {
      const event = this.queue[this.head++];
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      } else if (this.head >= this.capacity) {
        // A reader that never quite catches up must not grow the array without end.
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return event;
    }
    if (this.dropped > 0) {
      const marker: OverflowEvent = {
        kind: 'overflow',
        dropped: this.dropped,
        timestamp: this.clock.now(),
      };
      this.dropped = 0;
      return marker;
    }
    return undefined;
  }
}

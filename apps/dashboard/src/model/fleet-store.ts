import type { ServiceInfo, StateEvent } from './types.js';

/** A line of the event log: a state change, or events the server could not deliver. */
export type LogEntry =
  | (StateEvent & { readonly kind: 'state' })
  | { readonly kind: 'overflow'; readonly dropped: number; readonly timestamp: number };

/** How the live event stream is doing. */
export type Connection = 'connecting' | 'live' | 'reconnecting';

/**
 * What the dashboard knows of the fleet: the services (a snapshot from `/api/services`, moved
 * on by each event as it arrives), the event log, and the stream's health. Dispatches `change`
 * after every update; views re-render from it.
 */
export class FleetStore extends EventTarget {
  private readonly byName = new Map<string, ServiceInfo>();
  private log: LogEntry[] = [];
  private lastSeq = 0;
  connection: Connection = 'connecting';
  /** Set once the first snapshot arrived. */
  loaded = false;
  /** Why the last snapshot could not be read, until one can. */
  loadError: string | undefined;

  constructor(private readonly maxEvents = 1000) {
    super();
  }

  get services(): readonly ServiceInfo[] {
    return [...this.byName.values()];
  }

  service(name: string): ServiceInfo | undefined {
    return this.byName.get(name);
  }

  /** Newest last. */
  get events(): readonly LogEntry[] {
    return this.log;
  }

  /** Replaces every service with the API's view (which is newer than any event before it). */
  setSnapshot(services: readonly ServiceInfo[]): void {
    this.byName.clear();
    for (const service of services) this.byName.set(service.name, service);
    this.loaded = true;
    this.loadError = undefined;
    this.changed();
  }

  setService(service: ServiceInfo): void {
    this.byName.set(service.name, service);
    this.changed();
  }

  setLoadError(message: string): void {
    this.loadError = message;
    this.changed();
  }

  /** Applies one state change; a repeated one (a replay after reconnecting) is ignored. */
  applyEvent(event: StateEvent): boolean {
    if (event.seq <= this.lastSeq) return false;
    this.lastSeq = event.seq;
    this.append({ ...event, kind: 'state' });
    const current = this.byName.get(event.name);
    if (current !== undefined) {
      const moved = current.state !== event.newState;
      this.byName.set(event.name, {
        ...current,
        state: event.newState,
        health: event.health,
        since: moved ? event.timestamp : current.since,
        tools: event.newState === 'running' ? current.tools : undefined,
        lastError: event.error ?? current.lastError,
      });
    }
    this.changed();
    return true;
  }

  /** The server dropped `dropped` events: the log says so (the caller resyncs the services). */
  noteOverflow(dropped: number, timestamp: number): void {
    this.append({ kind: 'overflow', dropped, timestamp });
    this.changed();
  }

  setConnection(connection: Connection): void {
    if (this.connection === connection) return;
    this.connection = connection;
    this.changed();
  }

  private append(entry: LogEntry): void {
    this.log = [...this.log, entry].slice(-this.maxEvents);
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}

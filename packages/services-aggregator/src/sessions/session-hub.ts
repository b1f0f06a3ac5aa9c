import { type Clock, describeError, type Logger, type TimerHandle } from '@corral/core';
import type { ClientSession, ListKind } from './client-session.js';

/**
 * Every connected client session: the set notifications go to, and the idle sweep that closes
 * streamable-HTTP sessions nobody has used for `idleTimeoutMs` (stdio lives as long as its pipe).
 */
export class SessionHub {
  private readonly sessions = new Map<string, ClientSession>();
  private sweepTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly idleTimeoutMs: number,
  ) {}

  /** Live sessions (initialized or not), for status and for leak checks. */
  get size(): number {
    return this.sessions.size;
  }

  get(id: string): ClientSession | undefined {
    return this.sessions.get(id);
  }

  all(): ClientSession[] {
    return [...this.sessions.values()];
  }

  /** Sessions a notification may go to. */
  ready(): ClientSession[] {
    return this.all().filter((s) => s.ready);
  }

  add(session: ClientSession): void {
    if (this.stopped) {
      void session.close();
      return;
    }
    this.sessions.set(session.id, session);
    this.armSweep();
  }

  /** Forgets a session (it closed); closing it is the caller's business. */
  remove(session: ClientSession): void {
    if (this.sessions.get(session.id) === session) this.sessions.delete(session.id);
  }

  broadcastListChanged(kind: ListKind): void {
    for (const session of this.ready()) {
      session.listChanged(kind).catch((error: unknown) => {
        this.logger.debug(
          `could not tell session ${session.id} that ${kind} changed: ${describeError(error)}`,
        );
      });
    }
  }

  /** Closes every session and stops sweeping. */
  async closeAll(): Promise<void> {
    this.stopped = true;
    this.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    const sessions = this.all();
    this.sessions.clear();
    await Promise.all(sessions.map((s) => s.close()));
  }

  private armSweep(): void {
    if (this.sweepTimer !== undefined || this.stopped) return;
    const interval = Math.max(10, Math.min(60_000, Math.floor(this.idleTimeoutMs / 2)));
    this.sweepTimer = this.clock.setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweep();
      if (this.sessions.size > 0) this.armSweep();
    }, interval);
  }

  private sweep(): void {
    const cutoff = this.clock.now() - this.idleTimeoutMs;
    for (const session of this.all()) {
      if (session.transport !== 'streamable-http' || session.lastActivity > cutoff) continue;
      this.logger.info(
        `closing MCP session ${session.id}: idle for ${String(this.idleTimeoutMs)} ms`,
      );
      this.remove(session);
      void session.close();
    }
  }
}

import type { Clock, TimerHandle } from '@corral/core';
import type { ListKind } from '../sessions/client-session.js';

/**
 * Tells clients their lists changed, debounced: the first change opens a window of
 * `debounceMs`, every change in it is gathered, and at its end each kind whose list really
 * differs from what clients were last told about gets one `list_changed` (a server that
 * restarts with the same tools costs nothing — unless a client listed that kind inside the
 * window, and may have seen the list in between). A window, not a sliding delay, so a server
 * that changes constantly still gets its changes through.
 */
export class ListNotifier {
  private readonly pending = new Set<ListKind>();
  /** Kinds listed by a client while a change was pending: told about whatever happens. */
  private readonly seenMidway = new Set<ListKind>();
  private readonly told = new Map<ListKind, string>();
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly debounceMs: number,
    private readonly fingerprint: (kind: ListKind) => string,
    private readonly broadcast: (kind: ListKind) => void,
  ) {}

  /** Remembers the lists as they are now: what clients that connect next will be given. */
  prime(): void {
    for (const kind of ['tools', 'resources', 'prompts'] as const) {
      this.told.set(kind, this.fingerprint(kind));
    }
  }

  changed(kind: ListKind): void {
    if (this.stopped) return;
    this.pending.add(kind);
    this.timer ??= this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.debounceMs);
  }

  /** A client listed `kind`: if a change is pending, the client may hold an in-between list. */
  listed(kind: ListKind): void {
    if (this.pending.has(kind)) this.seenMidway.add(kind);
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private flush(): void {
    const kinds = [...this.pending];
    this.pending.clear();
    for (const kind of kinds) {
      const now = this.fingerprint(kind);
      const midway = this.seenMidway.delete(kind);
      if (this.told.get(kind) === now && !midway) continue;
      this.told.set(kind, now);
      this.broadcast(kind);
    }
  }
}

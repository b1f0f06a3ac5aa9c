import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SeededRandom } from '@corral/testing';
import type { EventLog } from './event-log.js';
import type { FaultType, ScheduledFault } from './fault-schedule.js';
import type { FleetFiles, FleetMember } from './fleet.js';
import type { RemoteFixture } from './remote-fixture.js';

/** One fault as it was injected. */
export interface FaultRecord {
  readonly id: number;
  readonly type: FaultType;
  /** The services it hit (empty when it was skipped). */
  readonly services: string[];
  /** When it was injected (the kill, the SIGSTOP, the POST, the fixture kill), epoch ms. */
  readonly at: number;
  /** The process groups it signalled. */
  readonly pgids: number[];
  /** `hang`: when SIGCONT was sent (if the group was still there). `session-drop`: when the fixture listened again. */
  resumedAt?: number;
  /** `hang`: whether the hung group was still alive at SIGCONT time (the gateway had not replaced it). */
  stillHung?: boolean;
  /** `restart`: the HTTP status of the POST, when it answered. */
  apiStatus?: number;
  /** Why it did nothing. */
  skipped?: string;
}

export interface InjectorOptions {
  readonly origin: string;
  readonly events: EventLog;
  readonly members: readonly FleetMember[];
  readonly remote: RemoteFixture;
  readonly files: FleetFiles;
  readonly random: SeededRandom;
  /** How long a hung backend stays stopped before SIGCONT (default 20 s). */
  readonly hangHoldMs?: number;
  /** How long the streamable-HTTP fixture is down when its sessions are dropped (default 300 ms). */
  readonly dropGapMs?: number;
  /** How many backends a mass kill hits (default 7). */
  readonly massKillSize?: number;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a fault schedule against the gateway. Targets are picked (seeded) among services that
 * are `running` by the event stream and not already under a fault of ours, so each fault starts
 * from a healthy backend and its effect can be attributed.
 */
export class FaultInjector {
  readonly faults: FaultRecord[] = [];
  private readonly busy = new Set<string>();
  private readonly pending: Promise<void>[] = [];
  private readonly stdio: string[];
  private readonly failFirst: string;
  private readonly remoteName: string;

  constructor(private readonly options: InjectorOptions) {
    this.stdio = options.members
      .filter((m) => m.transport === 'stdio' && m.role !== 'fail-first')
      .map((m) => m.name);
    this.failFirst = options.members.find((m) => m.role === 'fail-first')?.name ?? '';
    this.remoteName = options.members.find((m) => m.role === 'remote')?.name ?? '';
  }

  /** Injects every fault at its time after `startedAt`; `stopped()` ends it early. */
  async run(
    schedule: readonly ScheduledFault[],
    startedAt: number,
    stopped: () => boolean,
  ): Promise<void> {
    for (const fault of schedule) {
      const wait = startedAt + fault.atMs - Date.now();
      if (wait > 0) await sleep(wait);
      if (stopped()) break;
      await this.inject(fault.type);
    }
  }

  /** Resolves when every fault's follow-up (SIGCONT, fixture restart, POST answer) is done. */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  private available(pool: readonly string[]): string[] {
    return pool.filter(
      (name) => this.options.events.state(name) === 'running' && !this.busy.has(name),
    );
  }

  /** Marks `name` busy until the event stream shows it running again after `at`. */
  private holdUntilRunning(name: string, at: number): void {
    this.busy.add(name);
    this.pending.push(
      this.options.events
        .next((e) => e.name === name && e.newState === 'running' && e.timestamp >= at, 120_000)
        .then(() => {
          this.busy.delete(name);
        }),
    );
  }

  private async pidOf(name: string): Promise<number | undefined> {
    const response = await fetch(`${this.options.origin}/api/services/${name}`);
    if (!response.ok) return undefined;
    const body = (await response.json()) as { data?: { pid?: number | null } };
    return body.data?.pid ?? undefined;
  }

  private record(
    type: FaultType,
    services: string[],
    pgids: number[],
    skipped?: string,
  ): FaultRecord {
    const fault: FaultRecord = {
      id: this.faults.length + 1,
      type,
      services,
      at: Date.now(),
      pgids,
      ...(skipped === undefined ? {} : { skipped }),
    };
    this.faults.push(fault);
    return fault;
  }

  async inject(type: FaultType): Promise<FaultRecord> {
    const { random } = this.options;
    switch (type) {
      case 'kill':
      case 'hang': {
        const candidates = this.available(this.stdio);
        if (candidates.length === 0) return this.record(type, [], [], 'no running backend free');
        const name = random.pick(candidates);
        const pid = await this.pidOf(name);
        if (pid === undefined) return this.record(type, [], [], `${name} has no pid`);
        const fault = this.record(type, [name], [pid]);
        this.holdUntilRunning(name, fault.at);
        signalGroup(pid, type === 'kill' ? 'SIGKILL' : 'SIGSTOP');
        if (type === 'hang') this.pending.push(this.resumeLater(fault, pid));
        return fault;
      }
      case 'mass-kill': {
        const candidates = this.available(this.stdio);
        const size = Math.min(this.options.massKillSize ?? 7, candidates.length);
        const chosen: string[] = [];
        while (chosen.length < size) {
          const name = random.pick(candidates.filter((c) => !chosen.includes(c)));
          chosen.push(name);
        }
        const pids = await Promise.all(chosen.map((name) => this.pidOf(name)));
        const targets = chosen.flatMap((name, i) => {
          const pid = pids[i];
          return pid === undefined ? [] : [{ name, pid }];
        });
        const fault = this.record(
          type,
          targets.map((t) => t.name),
          targets.map((t) => t.pid),
        );
        for (const { name, pid } of targets) {
          this.holdUntilRunning(name, fault.at);
          signalGroup(pid, 'SIGKILL');
        }
        return fault;
      }
      case 'fail-first': {
        const name = this.failFirst;
        if (this.available([name]).length === 0) return this.record(type, [], [], `${name} busy`);
        const pid = await this.pidOf(name);
        if (pid === undefined) return this.record(type, [], [], `${name} has no pid`);
        await writeFile(this.options.files.failFirstStateFile, '0\n');
        const fault = this.record(type, [name], [pid]);
        this.holdUntilRunning(name, fault.at);
        signalGroup(pid, 'SIGKILL');
        return fault;
      }
      case 'session-drop': {
        const name = this.remoteName;
        if (this.available([name]).length === 0) return this.record(type, [], [], `${name} busy`);
        const fault = this.record(type, [name], []);
        this.busy.add(name);
        this.pending.push(
          this.options.remote.dropSessions(this.options.dropGapMs ?? 300).then(async () => {
            fault.resumedAt = Date.now();
            // A drop the gateway could not hide ends when it runs again; one it hid, at once.
            if (this.options.events.state(name) !== 'running') {
              await this.options.events.next(
                (e) => e.name === name && e.newState === 'running',
                120_000,
              );
            }
            this.busy.delete(name);
          }),
        );
        return fault;
      }
      case 'restart': {
        const candidates = this.available([...this.stdio, this.remoteName]);
        if (candidates.length === 0) return this.record(type, [], [], 'no running backend free');
        const name = random.pick(candidates);
        const fault = this.record(type, [name], []);
        this.busy.add(name);
        this.pending.push(
          fetch(`${this.options.origin}/api/services/${name}/restart`, { method: 'POST' })
            .then(async (response) => {
              fault.apiStatus = response.status;
              await response.body?.cancel();
            })
            .catch(() => {
              fault.apiStatus = 0;
            })
            .finally(() => {
              this.busy.delete(name);
            }),
        );
        return fault;
      }
    }
  }

  private async resumeLater(fault: FaultRecord, pgid: number): Promise<void> {
    await sleep(this.options.hangHoldMs ?? 20_000);
    fault.stillHung = signalGroup(pgid, 'SIGCONT');
    fault.resumedAt = Date.now();
  }
}

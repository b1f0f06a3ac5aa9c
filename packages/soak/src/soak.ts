import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive, processGroupMembers, seededRandom, waitFor } from '@corral/testing';
import {
  checkAnswers,
  checkHealthyCalls,
  checkRecovery,
  checkResources,
  checkRetryConcurrency,
  CORE_RETRY,
  type CheckResult,
  type RecoveryParameters,
  StateTimeline,
} from './checks.js';
import { ClientLoad } from './client-load.js';
import { EventLog, type StateEvent } from './event-log.js';
import { FaultInjector, type FaultRecord } from './fault-injector.js';
import { faultSchedule } from './fault-schedule.js';
import { soakFleet, SOAK_PING, SOAK_STOP_GRACE_MS, writeFleetConfig } from './fleet.js';
import { GatewayProcess } from './gateway-process.js';
import { RemoteFixture } from './remote-fixture.js';
import { type ResourceSample, ResourceSampler } from './resource-sampler.js';

export interface SoakOptions {
  readonly durationS: number;
  readonly seed: number;
  /** Long-lived client sessions (default 4), each with `concurrency` calls in flight (2). */
  readonly sessions?: number;
  readonly concurrency?: number;
  /** Mean pause between one worker's calls (default 150 ms). */
  readonly thinkMs?: number;
  /** Each call's deadline (default 15 s: above the servers' 10 s request timeout). */
  readonly deadlineMs?: number;
  /**
   * What one start may take on this machine (default: twice the slowest start of the fleet's
   * first, all-at-once start, and at least 5 s).
   */
  readonly startBudgetMs?: number;
  /** Keep the work directory (config, gateway log, run.json) even when every check passed. */
  readonly keep?: boolean;
  /** Progress lines go here (default: nowhere). */
  readonly log?: (line: string) => void;
}

export interface SoakReport {
  readonly seed: number;
  readonly durationS: number;
  readonly wallS: number;
  readonly checks: readonly CheckResult[];
  readonly pass: boolean;
  readonly calls: number;
  readonly faults: readonly FaultRecord[];
  readonly toolListChanges: number;
  readonly sessionsOpened: number;
  /** Services that failed while no fault of ours was on them. */
  readonly unexplainedFailures: readonly string[];
  /** The start budget the recovery windows were computed with, and why. */
  readonly startBudgetMs: number;
  readonly slowestFirstStartMs: number;
  /** Where the gateway's log and config are (kept when a check failed). */
  readonly workDir: string;
}

/** The quiet moment a baseline or end sample is taken in: no calls, idle keep-alive sockets closed. */
const QUIET_MS = 5_500;
const SETTLE_TIMEOUT_MS = 120_000;

/**
 * The chaos soak: starts the fleet under `corral serve`, loads it from several client
 * sessions, injects the seeded fault schedule for `durationS`, lets everything recover, and
 * checks answers, recovery, retry concurrency, resources and shutdown.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const began = Date.now();
  const random = seededRandom(options.seed);
  const workDir = await mkdtemp(join(tmpdir(), 'corral-soak-'));
  const members = soakFleet();
  const remote = await RemoteFixture.start('remote');
  const durationMs = options.durationS * 1_000;
  const dropGapMs = 300;
  let gateway: GatewayProcess | undefined;
  let events: EventLog | undefined;
  let load: ClientLoad | undefined;
  try {
    const files = await writeFleetConfig(workDir, members, remote.url, random);
    log(`fleet: ${members.length} servers; config ${files.configPath}`);
    gateway = await GatewayProcess.start(files.configPath, workDir);
    log(`gateway pid ${gateway.pid} at ${gateway.url}`);
    events = new EventLog(gateway.origin);
    const ev = events;
    await waitFor(() => members.every((m) => ev.state(m.name) === 'running'), {
      timeoutMs: 120_000,
      intervalMs: 100,
      description: `all ${members.length} servers running (${members
        .filter((m) => ev.state(m.name) !== 'running')
        .map((m) => m.name)
        .join(', ')})`,
    });
    const slowestFirstStart = slowestStart(ev.events);
    const startBudgetMs = options.startBudgetMs ?? Math.max(5_000, 2 * slowestFirstStart);
    log(
      `all servers running; slowest start ${slowestFirstStart} ms, start budget ${startBudgetMs} ms`,
    );

    load = new ClientLoad({
      url: gateway.url,
      members,
      seed: options.seed,
      sessions: options.sessions ?? 4,
      concurrency: options.concurrency ?? 2,
      thinkMs: options.thinkMs ?? 150,
      deadlineMs: options.deadlineMs ?? 15_000,
    });
    const sampler = new ResourceSampler(gateway);
    await load.start();
    await sleep(3_000); // warm up: every path JIT-compiled, pools filled
    load.pause();
    await sleep(QUIET_MS);
    const baseline = await sampler.sample(true);
    log(`baseline: ${JSON.stringify(baseline)}`);
    load.resume();
    sampler.start();

    const injector = new FaultInjector({
      origin: gateway.origin,
      events,
      members,
      remote,
      files,
      random,
      dropGapMs,
    });
    const schedule = faultSchedule(random, { durationMs });
    log(`schedule: ${schedule.map((f) => `${(f.atMs / 1000).toFixed(1)}s ${f.type}`).join(', ')}`);
    const soakStart = Date.now();
    await injector.run(schedule, soakStart, () => gateway?.running !== true);
    const left = soakStart + durationMs - Date.now();
    if (left > 0) await sleep(left);
    log(`soak over: ${injector.faults.length} faults, ${load.calls.length} calls; settling`);
    await injector.settled();
    await waitFor(() => members.every((m) => ev.state(m.name) === 'running'), {
      timeoutMs: SETTLE_TIMEOUT_MS,
      intervalMs: 100,
      description: 'every server running again',
    }).catch(() => undefined);
    const allRunning = members.filter((m) => ev.state(m.name) !== 'running').map((m) => m.name);

    load.pause();
    await sleep(QUIET_MS);
    await sampler.stop();
    const end = await sampler.sample(true);
    log(`end: ${JSON.stringify(end)}`);
    const during = sampler.samples.filter((s) => s.at > baseline.at && s.at < end.at);
    await load.stop();
    const closedSessions = await waitFor(
      async () => {
        const s = await sampler.sample();
        return s.sessions === 0 ? s : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    ).catch(() => undefined);

    // Shutdown: SIGTERM, then nothing of ours may be left.
    const descendants = [...sampler.seenPids];
    const stopAsked = Date.now();
    const exit = await Promise.race([gateway.stop('SIGTERM'), sleep(60_000).then(() => undefined)]);
    const stopMs = Date.now() - stopAsked;
    if (exit === undefined) await gateway.stop('SIGKILL');
    await events.close();
    await remote.close();
    const stillAlive = async (): Promise<number[]> => [
      ...descendants.filter(isProcessAlive),
      ...(
        await Promise.all([...descendants, ...remote.pgids].map((p) => processGroupMembers(p)))
      ).flat(),
    ];
    const leftover = await waitFor(
      async () => {
        const alive = await stillAlive();
        return alive.length === 0 ? alive : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    ).catch(stillAlive);

    const timeline = new StateTimeline(events.events);
    const params: RecoveryParameters = {
      ...CORE_RETRY,
      ping: SOAK_PING,
      stopGraceMs: SOAK_STOP_GRACE_MS,
      startBudgetMs,
      failFirstCount: files.failFirstCount,
      dropGapMs,
    };
    const faults = injector.faults;
    const calls = load.calls;
    const checks: CheckResult[] = [
      checkAnswers(calls),
      checkHealthyCalls(calls, timeline, faults),
      checkRecovery(
        'killed backends back within backoff window',
        ['kill', 'mass-kill'],
        faults,
        timeline,
        params,
      ),
      checkRecovery('hung backends back within backoff window', ['hang'], faults, timeline, params),
      checkRecovery(
        'fail-first backend back after 3 failed starts',
        ['fail-first'],
        faults,
        timeline,
        params,
      ),
      checkRecovery(
        'restarted / session-dropped backends back',
        ['restart', 'session-drop'],
        faults,
        timeline,
        params,
      ),
      {
        check: 'every server running after the soak',
        pass: allRunning.length === 0,
        value: `${members.length - allRunning.length}/${members.length}`,
        requirement: 'all',
        details: allRunning,
      },
      checkRetryConcurrency(events.events, events.overflows, CORE_RETRY.maxConcurrentRetries),
      ...checkResources(baseline, end, during),
      {
        check: 'sessions closed by clients are gone',
        pass: closedSessions !== undefined,
        value: `${closedSessions?.sessions ?? 'not 0'} after every client sent DELETE`,
        requirement: '0',
        details: [],
      },
      {
        check: 'SIGTERM: clean exit, no process of ours left',
        pass: exit !== undefined && exit.code === 0 && leftover.length === 0,
        value: `exit ${exit === undefined ? 'none (SIGKILLed)' : String(exit.code ?? exit.signal)} in ${(stopMs / 1000).toFixed(1)} s; ${leftover.length} left of ${descendants.length + remote.pgids.length} seen`,
        requirement: 'exit 0, 0 left',
        details: leftover.map((pid) => `pid ${pid} still alive`),
      },
    ];
    const unexplainedFailures = unexplained(
      timeline,
      faults,
      members.map((m) => m.name),
    );
    const pass = checks.every((c) => c.pass);
    await writeFile(
      join(workDir, 'run.json'),
      JSON.stringify({ schedule, faults, events: events.events, calls, samples: sampler.samples }),
    );
    if (pass && options.keep !== true) await rm(workDir, { recursive: true, force: true });
    return {
      seed: options.seed,
      durationS: options.durationS,
      wallS: Math.round((Date.now() - began) / 1000),
      checks,
      pass,
      calls: calls.length,
      faults,
      toolListChanges: load.toolListChanges,
      sessionsOpened: load.sessionsOpened,
      unexplainedFailures,
      startBudgetMs,
      slowestFirstStartMs: slowestFirstStart,
      workDir,
    };
  } finally {
    // Only on an early failure is any of this still up.
    if (load !== undefined) await load.stop().catch(() => undefined);
    if (gateway?.running === true) {
      const started = gateway;
      await Promise.race([started.stop('SIGTERM'), sleep(30_000)]);
      if (started.running) await started.stop('SIGKILL');
    }
    await events?.close();
    await remote.close();
  }
}

/** The longest `starting → running` in `events`, in ms. */
function slowestStart(events: readonly StateEvent[]): number {
  const began = new Map<string, number>();
  let slowest = 0;
  for (const event of events) {
    if (event.newState === 'starting') began.set(event.name, event.timestamp);
    const from = began.get(event.name);
    if (event.oldState === 'starting' && event.newState === 'running' && from !== undefined) {
      slowest = Math.max(slowest, event.timestamp - from);
    }
  }
  return slowest;
}

/** `failed` transitions of services with no fault of ours open on them at the time. */
function unexplained(
  timeline: StateTimeline,
  faults: readonly FaultRecord[],
  names: readonly string[],
): string[] {
  const found: string[] = [];
  for (const name of names) {
    for (const event of timeline.transitions(name)) {
      if (event.newState !== 'failed') continue;
      const covered = faults.some(
        (f) =>
          f.services.includes(name) &&
          f.at <= event.timestamp &&
          (timeline.runningAfter(name, f.at) ?? Number.POSITIVE_INFINITY) >= event.timestamp,
      );
      if (!covered) {
        found.push(
          `${name} at ${new Date(event.timestamp).toISOString()}: ${event.error?.message ?? '?'}`,
        );
      }
    }
  }
  return found;
}

export type { ResourceSample };

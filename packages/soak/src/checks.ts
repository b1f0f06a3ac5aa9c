import type { CallRecord } from './client-load.js';
import type { StateEvent } from './event-log.js';
import type { FaultRecord } from './fault-injector.js';
import type { FaultType } from './fault-schedule.js';
import type { ResourceSample } from './resource-sampler.js';

/** One line of the soak's table. */
export interface CheckResult {
  readonly check: string;
  readonly pass: boolean;
  /** The figure the verdict rests on. */
  readonly value: string;
  /** What was required. */
  readonly requirement: string;
  /** The first offending items, for a failure (at most a few). */
  readonly details: readonly string[];
}

/** Core's retry and the fleet's liveness settings the recovery windows are computed from. */
export interface RecoveryParameters {
  /** Core's backoff: ceiling of the i-th consecutive failure = min(max, initial · factor^(i-1)). */
  readonly initialDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  readonly maxConcurrentRetries: number;
  /** The fleet's ping settings: a hung server is noticed after `failures` missed pings. */
  readonly ping: {
    readonly intervalMs: number;
    readonly timeoutMs: number;
    readonly failures: number;
  };
  /** A stop ends stdin, waits this, SIGTERMs, waits this, SIGKILLs. */
  readonly stopGraceMs: number;
  /** What one start (spawn, initialize, list) may take on this machine. */
  readonly startBudgetMs: number;
  /** Starts that fail after a fail-first fault. */
  readonly failFirstCount: number;
  readonly dropGapMs: number;
}

/** Core's defaults (packages/core/src/orchestrator/options.ts). */
export const CORE_RETRY = {
  initialDelayMs: 1_000,
  factor: 2,
  maxDelayMs: 120_000,
  maxConcurrentRetries: 5,
} as const;

const MAX_DETAILS = 8;

function backoffCeiling(p: RecoveryParameters, attempt: number): number {
  return Math.min(p.maxDelayMs, p.initialDelayMs * p.factor ** Math.max(0, attempt - 1));
}

/** Sum of the backoff ceilings of the first `failures` consecutive failures. */
function backoffSum(p: RecoveryParameters, failures: number): number {
  let sum = 0;
  for (let i = 1; i <= failures; i++) sum += backoffCeiling(p, i);
  return sum;
}

/**
 * The longest a backend hit by `type` may take to be `running` again, from the moment of the
 * fault: noticing it, stopping what is left, each retry's backoff ceiling (full jitter never
 * exceeds it), and a start budget per start; a mass kill of `n` adds one start budget per
 * extra wave of `maxConcurrentRetries`.
 */
export function recoveryWindowMs(p: RecoveryParameters, type: FaultType, n = 1): number {
  const stop = 2 * p.stopGraceMs;
  const notice = p.ping.failures * (p.ping.intervalMs + p.ping.timeoutMs);
  switch (type) {
    case 'kill':
      return backoffSum(p, 1) + p.startBudgetMs;
    case 'mass-kill':
      return backoffSum(p, 1) + Math.ceil(n / p.maxConcurrentRetries) * p.startBudgetMs;
    case 'hang':
      return notice + stop + backoffSum(p, 1) + p.startBudgetMs;
    case 'fail-first':
      return backoffSum(p, p.failFirstCount + 1) + (p.failFirstCount + 1) * p.startBudgetMs;
    case 'restart':
      return stop + p.startBudgetMs;
    case 'session-drop':
      // Hidden by re-establishing the session, or noticed by pings and retried.
      return p.dropGapMs + notice + stop + backoffSum(p, 1) + p.startBudgetMs;
  }
}

/** Each service's state over time, from the event stream. */
export class StateTimeline {
  private readonly byService = new Map<string, StateEvent[]>();

  constructor(events: readonly StateEvent[]) {
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
      if (event.oldState === event.newState) continue; // health-only and error-only events
      const list = this.byService.get(event.name) ?? [];
      list.push(event);
      this.byService.set(event.name, list);
    }
  }

  /** The state of `name` at time `t` (the last transition at or before it). */
  stateAt(name: string, t: number): string {
    let state = 'unknown';
    for (const event of this.byService.get(name) ?? []) {
      if (event.timestamp > t) break;
      state = event.newState;
    }
    return state;
  }

  /** Whether `name` changed state during (from, to]. */
  changedDuring(name: string, from: number, to: number): boolean {
    return (this.byService.get(name) ?? []).some((e) => e.timestamp > from && e.timestamp <= to);
  }

  /** When `name` next entered `running` at or after `t`. */
  runningAfter(name: string, t: number): number | undefined {
    return (this.byService.get(name) ?? []).find(
      (e) => e.newState === 'running' && e.timestamp >= t,
    )?.timestamp;
  }

  transitions(name: string): readonly StateEvent[] {
    return this.byService.get(name) ?? [];
  }
}

/** The interval during which `service` was under `fault`: from the fault to its next `running`. */
export function faultWindow(
  fault: FaultRecord,
  service: string,
  timeline: StateTimeline,
): { from: number; to: number } {
  const running = timeline.runningAfter(service, fault.at);
  let to = running ?? Number.POSITIVE_INFINITY;
  if (fault.type === 'session-drop') {
    // Never left running if the drop was hidden: then it ends when the fixture listened again.
    const relisten = fault.resumedAt ?? Number.POSITIVE_INFINITY;
    const left = timeline.changedDuring(service, fault.at, relisten);
    to = left ? Math.max(relisten, running ?? Number.POSITIVE_INFINITY) : relisten;
  }
  return { from: fault.at, to };
}

/**
 * "Healthy at the time": the call's backend was `running` by the event stream from the call's
 * start to its end (no transition in between), and no fault of ours was open on it at any
 * moment of the call. Calls to the gateway itself (`tools/list`) are always healthy.
 */
export function healthyAtTheTime(
  call: CallRecord,
  timeline: StateTimeline,
  faults: readonly FaultRecord[],
): boolean {
  if (call.service === 'gateway') return true;
  if (timeline.stateAt(call.service, call.start) !== 'running') return false;
  if (timeline.changedDuring(call.service, call.start, call.end)) return false;
  return !faults.some((fault) => {
    if (!fault.services.includes(call.service)) return false;
    const window = faultWindow(fault, call.service, timeline);
    return window.from <= call.end && window.to >= call.start;
  });
}

function describeCall(call: CallRecord): string {
  const message = call.message === undefined ? '' : `: ${call.message.slice(0, 160)}`;
  return `${call.session} ${call.service}.${call.tool} at ${new Date(call.start).toISOString()} (${call.end - call.start} ms) ${call.outcome}${message}`;
}

/** An error answer names its cause when it names the backend (or the exposed tool) and says more. */
export function namesCause(call: CallRecord): boolean {
  const text = call.message ?? '';
  const names = text.includes(call.service) || text.includes(`x_${call.service}_${call.tool}`);
  return names && text.length > 20;
}

/** Every call got an answer — a right result, or an error naming its cause — before its deadline. */
export function checkAnswers(calls: readonly CallRecord[]): CheckResult {
  const bad = calls.filter((call) => {
    if (call.end - call.start > call.deadlineMs) return true;
    switch (call.outcome) {
      case 'ok':
        return false;
      case 'tool-error':
      case 'protocol-error':
        return call.service !== 'gateway' && !namesCause(call);
      default:
        return true;
    }
  });
  const errors = calls.filter((c) => c.outcome === 'tool-error' || c.outcome === 'protocol-error');
  return {
    check: 'every call answered before its deadline',
    pass: bad.length === 0 && calls.length > 0,
    value: `${calls.length - bad.length}/${calls.length} (${errors.length} errors naming the cause)`,
    requirement: 'all; an error must name the server or tool',
    details: bad.slice(0, MAX_DETAILS).map(describeCall),
  };
}

/** No call to a backend that was healthy at the time failed. */
export function checkHealthyCalls(
  calls: readonly CallRecord[],
  timeline: StateTimeline,
  faults: readonly FaultRecord[],
): CheckResult {
  const healthy = calls.filter((call) => healthyAtTheTime(call, timeline, faults));
  const failed = healthy.filter((call) => call.outcome !== 'ok');
  return {
    check: 'no call to a healthy backend failed',
    pass: failed.length === 0 && healthy.length > 0,
    value: `${failed.length} failed of ${healthy.length} healthy-at-the-time`,
    requirement: '0 failed',
    details: failed.slice(0, MAX_DETAILS).map(describeCall),
  };
}

/** Each backend a fault of `types` hit was running again within its recovery window. */
export function checkRecovery(
  label: string,
  types: readonly FaultType[],
  faults: readonly FaultRecord[],
  timeline: StateTimeline,
  p: RecoveryParameters,
): CheckResult {
  const hits = faults
    .filter((fault) => types.includes(fault.type) && fault.services.length > 0)
    .flatMap((fault) =>
      fault.services.map((service) => {
        const window = recoveryWindowMs(p, fault.type, fault.services.length);
        const back = faultWindow(fault, service, timeline).to;
        return { fault, service, window, took: back - fault.at };
      }),
    );
  const late = hits.filter((hit) => !(hit.took <= hit.window));
  const worst = hits.reduce((max, hit) => Math.max(max, hit.took / hit.window), 0);
  const slowest = hits.reduce((max, hit) => Math.max(max, hit.took), 0);
  return {
    check: label,
    pass: late.length === 0 && hits.length > 0,
    value:
      hits.length === 0
        ? 'none injected'
        : `${hits.length - late.length}/${hits.length}, slowest ${(slowest / 1000).toFixed(1)} s (${Math.round(worst * 100)} % of its window)`,
    requirement: 'all within window',
    details: late
      .slice(0, MAX_DETAILS)
      .map(
        (hit) =>
          `#${hit.fault.id} ${hit.fault.type} ${hit.service}: ${Number.isFinite(hit.took) ? `${hit.took} ms` : 'never'} > ${hit.window} ms`,
      ),
  };
}

/**
 * Retries in flight, from the event stream: a service is in a retry from its transition
 * `retrying|unreachable → starting` (core's retry starting it) until it next leaves `starting`.
 * The most at once must not exceed `MaxConcurrentRetries`.
 */
export function retriesInFlight(events: readonly StateEvent[]): {
  max: number;
  attempts: number;
  maxWaiting: number;
} {
  const inFlight = new Set<string>();
  const waiting = new Set<string>();
  let max = 0;
  let attempts = 0;
  let maxWaiting = 0;
  for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
    if (event.oldState === event.newState) continue;
    if (event.oldState === 'starting') inFlight.delete(event.name);
    if (event.newState === 'retrying' || event.newState === 'unreachable') waiting.add(event.name);
    else waiting.delete(event.name);
    if (
      event.newState === 'starting' &&
      (event.oldState === 'retrying' || event.oldState === 'unreachable')
    ) {
      inFlight.add(event.name);
      attempts++;
    }
    max = Math.max(max, inFlight.size);
    maxWaiting = Math.max(maxWaiting, waiting.size);
  }
  return { max, attempts, maxWaiting };
}

export function checkRetryConcurrency(
  events: readonly StateEvent[],
  overflows: number,
  limit: number,
): CheckResult {
  const { max, attempts, maxWaiting } = retriesInFlight(events);
  return {
    check: `retries in flight never exceed ${limit}`,
    pass: max <= limit && overflows === 0 && attempts > 0,
    value: `max ${max} in flight (${maxWaiting} waiting at most; ${attempts} retry starts)`,
    requirement: `≤ ${limit}; event stream complete`,
    details: overflows > 0 ? [`the event stream overflowed ${overflows} times`] : [],
  };
}

const MiB = 1024 * 1024;

export interface ResourceTolerance {
  readonly label: string;
  readonly unit: 'count' | 'bytes';
  readonly pick: (sample: ResourceSample) => number;
  /** The most `end` may exceed `start` by, given `start`. */
  readonly allowance: (start: number) => number;
  readonly requirement: string;
}

/** What each resource may drift by between two quiet samples, and why (see the README). */
export const RESOURCE_TOLERANCES: readonly ResourceTolerance[] = [
  {
    label: 'file descriptors',
    unit: 'count',
    pick: (s) => s.fds,
    allowance: () => 4,
    requirement: 'end ≤ start + 4',
  },
  {
    label: 'child processes',
    unit: 'count',
    pick: (s) => s.children,
    allowance: () => 0,
    requirement: 'end = start',
  },
  {
    label: 'live sessions',
    unit: 'count',
    pick: (s) => s.sessions,
    allowance: () => 0,
    requirement: 'end = start',
  },
  {
    label: 'heap after GC',
    unit: 'bytes',
    pick: (s) => s.heap,
    allowance: (start) => Math.max(8 * MiB, 0.2 * start),
    requirement: 'end ≤ start + max(8 MiB, 20 %)',
  },
  {
    label: 'RSS',
    unit: 'bytes',
    pick: (s) => s.rss,
    allowance: (start) => Math.max(64 * MiB, 0.5 * start),
    requirement: 'end ≤ start + max(64 MiB, 50 %)',
  },
];

function show(value: number, unit: 'count' | 'bytes'): string {
  return unit === 'bytes' ? `${(value / MiB).toFixed(1)} MiB` : String(value);
}

/** Each resource as start → peak → end, against its tolerance. */
export function checkResources(
  baseline: ResourceSample,
  end: ResourceSample,
  during: readonly ResourceSample[],
): CheckResult[] {
  return RESOURCE_TOLERANCES.map((t) => {
    const start = t.pick(baseline);
    const last = t.pick(end);
    const peak = Math.max(start, last, ...during.map(t.pick));
    const pass = last - start <= t.allowance(start) && last >= 0;
    return {
      check: `${t.label} back to baseline`,
      pass,
      value: `${show(start, t.unit)} → ${show(peak, t.unit)} → ${show(last, t.unit)}`,
      requirement: t.requirement,
      details: pass ? [] : [`grew by ${show(last - start, t.unit)}`],
    };
  });
}

import type { SeededRandom } from '@corral/testing';

/**
 * What the injector does:
 * - `kill`: SIGKILL one stdio backend's process group;
 * - `hang`: SIGSTOP one stdio backend's group (it answers nothing, pings included), SIGCONT after
 *   a hold longer than the gateway needs to notice and replace it;
 * - `fail-first`: reset the fail-first fixture's launch counter, then SIGKILL it, so its next
 *   three starts fail;
 * - `session-drop`: kill the streamable-HTTP fixture and start it again on the same port — it
 *   has forgotten the gateway's session;
 * - `restart`: `POST /api/services/:name/restart`;
 * - `mass-kill`: SIGKILL seven stdio backends at once, more than the five retries allowed in
 *   flight.
 */
export type FaultType = 'kill' | 'hang' | 'fail-first' | 'session-drop' | 'restart' | 'mass-kill';

export const FAULT_TYPES: readonly FaultType[] = [
  'kill',
  'hang',
  'fail-first',
  'session-drop',
  'restart',
  'mass-kill',
];

export interface ScheduledFault {
  /** Offset from the start of the soak, in ms. */
  readonly atMs: number;
  readonly type: FaultType;
}

export interface ScheduleOptions {
  readonly durationMs: number;
  /** Mean time between faults (default 5 s). */
  readonly meanGapMs?: number;
}

/** Faults stop at this fraction of the run, so the last ones recover under load too. */
export const LAST_FAULT_FRACTION = 0.8;
const FIRST_FAULT_FRACTION = 0.05;

/** Weights of the faults that fill the schedule after the ones every run has. */
const FILL: readonly [FaultType, number][] = [
  ['kill', 4],
  ['restart', 3],
  ['hang', 2],
  ['session-drop', 1],
];

function weighted(random: SeededRandom): FaultType {
  const total = FILL.reduce((sum, [, w]) => sum + w, 0);
  let at = random.next() * total;
  for (const [type, w] of FILL) {
    if ((at -= w) < 0) return type;
  }
  return 'kill';
}

/**
 * The seeded schedule: every fault type at least once, one mass kill per started 200 s and one
 * fail-first per started 120 s, the rest drawn by weight; spread evenly over the first 80 % of
 * the run with seeded jitter. The same seed and duration give the same schedule.
 */
export function faultSchedule(random: SeededRandom, options: ScheduleOptions): ScheduledFault[] {
  const { durationMs } = options;
  const meanGapMs = options.meanGapMs ?? 5_000;
  const first = durationMs * FIRST_FAULT_FRACTION;
  const span = durationMs * (LAST_FAULT_FRACTION - FIRST_FAULT_FRACTION);
  const types: FaultType[] = [...FAULT_TYPES];
  for (let i = 1; i < Math.ceil(durationMs / 200_000); i++) types.push('mass-kill');
  for (let i = 1; i < Math.ceil(durationMs / 120_000); i++) types.push('fail-first');
  const count = Math.max(types.length, Math.round(span / meanGapMs));
  while (types.length < count) types.push(weighted(random));
  // Fisher–Yates with the seeded source.
  for (let i = types.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [types[i], types[j]] = [types[j] as FaultType, types[i] as FaultType];
  }
  const slot = span / count;
  return types.map((type, i) => ({
    atMs: Math.round(first + slot * (i + random.next() * 0.8)),
    type,
  }));
}

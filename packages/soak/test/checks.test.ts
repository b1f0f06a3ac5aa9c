import { describe, expect, it } from 'vitest';
import {
  checkAnswers,
  checkHealthyCalls,
  checkRecovery,
  checkResources,
  CORE_RETRY,
  healthyAtTheTime,
  recoveryWindowMs,
  retriesInFlight,
  type RecoveryParameters,
  StateTimeline,
} from '../src/checks.js';
import type { CallRecord } from '../src/client-load.js';
import type { StateEvent } from '../src/event-log.js';
import type { FaultRecord } from '../src/fault-injector.js';
import type { ResourceSample } from '../src/resource-sampler.js';

let seq = 0;
function event(name: string, timestamp: number, oldState: string, newState: string): StateEvent {
  return { seq: ++seq, timestamp, name, oldState, newState, health: 'healthy' };
}

function call(
  service: string,
  start: number,
  end: number,
  outcome: CallRecord['outcome'],
  message?: string,
): CallRecord {
  return {
    session: 's1',
    service,
    tool: 'echo',
    start,
    end,
    deadlineMs: 15_000,
    outcome,
    ...(message === undefined ? {} : { message }),
  };
}

function fault(type: FaultRecord['type'], services: string[], at: number): FaultRecord {
  return { id: 1, type, services, at, pgids: [] };
}

const params: RecoveryParameters = {
  ...CORE_RETRY,
  ping: { intervalMs: 2_000, timeoutMs: 3_000, failures: 2 },
  stopGraceMs: 1_000,
  startBudgetMs: 5_000,
  failFirstCount: 3,
  dropGapMs: 300,
};

// fx01 runs from 100, is killed at 1 000, fails at 1 010 and runs again at 3 000.
const events = [
  event('fx01', 0, 'unknown', 'starting'),
  event('fx01', 100, 'starting', 'running'),
  event('fx01', 1_010, 'running', 'failed'),
  event('fx01', 1_011, 'failed', 'retrying'),
  event('fx01', 1_500, 'retrying', 'starting'),
  event('fx01', 3_000, 'starting', 'running'),
];
const kill = fault('kill', ['fx01'], 1_000);

describe('healthy at the time', () => {
  const timeline = new StateTimeline(events);

  it('is a call wholly inside a running stretch with no fault open', () => {
    expect(healthyAtTheTime(call('fx01', 200, 900, 'ok'), timeline, [kill])).toBe(true);
    expect(healthyAtTheTime(call('fx01', 3_100, 3_200, 'ok'), timeline, [kill])).toBe(true);
  });

  it('is not a call that overlaps the fault before the gateway noticed it', () => {
    // Still `running` by the events until 1 010, but the process was already dead.
    expect(healthyAtTheTime(call('fx01', 990, 1_005, 'tool-error'), timeline, [kill])).toBe(false);
  });

  it('is not a call during a transition or while not running', () => {
    expect(healthyAtTheTime(call('fx01', 1_200, 1_300, 'protocol-error'), timeline, [])).toBe(
      false,
    );
    expect(healthyAtTheTime(call('fx01', 2_900, 3_100, 'ok'), timeline, [])).toBe(false);
  });

  it('fails the check when such a call failed', () => {
    const calls = [
      call('fx01', 200, 900, 'tool-error', "Corral could not call 'x_fx01_echo'"),
      call('fx01', 1_200, 1_300, 'protocol-error'),
    ];
    const result = checkHealthyCalls(calls, timeline, [kill]);
    expect(result.pass).toBe(false);
    expect(result.value).toBe('1 failed of 1 healthy-at-the-time');
  });
});

describe('answers', () => {
  it('accepts errors that name the server or tool and rejects missed deadlines and vague errors', () => {
    const named = call(
      'fx01',
      0,
      10,
      'protocol-error',
      "Unknown tool 'x_fx01_echo': no running server offers it",
    );
    expect(checkAnswers([named, call('fx01', 0, 10, 'ok')]).pass).toBe(true);
    expect(checkAnswers([call('fx01', 0, 15_001, 'deadline')]).pass).toBe(false);
    expect(checkAnswers([call('fx01', 0, 10, 'tool-error', 'Internal error')]).pass).toBe(false);
    expect(checkAnswers([call('fx01', 0, 10, 'transport-error', 'fetch failed')]).pass).toBe(false);
  });
});

describe('recovery windows', () => {
  it('adds detection, stop, every backoff ceiling and a start budget per start', () => {
    expect(recoveryWindowMs(params, 'kill')).toBe(1_000 + 5_000);
    expect(recoveryWindowMs(params, 'hang')).toBe(2 * 5_000 + 2_000 + 1_000 + 5_000);
    // Four failures in a row: ceilings 1, 2, 4 and 8 s, four starts.
    expect(recoveryWindowMs(params, 'fail-first')).toBe(15_000 + 4 * 5_000);
    expect(recoveryWindowMs(params, 'mass-kill', 7)).toBe(1_000 + 2 * 5_000);
  });

  it('fails a backend that came back late, or never', () => {
    const timeline = new StateTimeline(events);
    expect(checkRecovery('kill', ['kill'], [kill], timeline, params).pass).toBe(true);
    const late = { ...params, startBudgetMs: 500 };
    expect(checkRecovery('kill', ['kill'], [kill], timeline, late).pass).toBe(false);
    const never = fault('kill', ['fx02'], 1_000);
    expect(checkRecovery('kill', ['kill'], [never], timeline, params).details).toEqual([
      '#1 kill fx02: never > 6000 ms',
    ]);
  });
});

describe('retries in flight', () => {
  it('counts services started by a retry until they leave starting', () => {
    const burst: StateEvent[] = [];
    for (const name of ['a', 'b', 'c']) burst.push(event(name, 0, 'failed', 'retrying'));
    burst.push(event('a', 1, 'retrying', 'starting'), event('b', 2, 'retrying', 'starting'));
    burst.push(event('a', 3, 'starting', 'running'), event('c', 4, 'unreachable', 'starting'));
    // A manual start is not a retry.
    burst.push(event('d', 5, 'stopped', 'starting'));
    expect(retriesInFlight(burst)).toEqual({ max: 2, attempts: 3, maxWaiting: 3 });
  });
});

describe('resources', () => {
  const sample = (fds: number, heap: number): ResourceSample => ({
    at: 0,
    fds,
    children: 19,
    sessions: 4,
    rss: 100 * 2 ** 20,
    heap,
  });

  it('reports start → peak → end and fails a resource that grew beyond its tolerance', () => {
    const [fds, , , heap] = checkResources(sample(80, 30 * 2 ** 20), sample(90, 50 * 2 ** 20), [
      sample(200, 60 * 2 ** 20),
    ]);
    expect(fds?.value).toBe('80 → 200 → 90');
    expect(fds?.pass).toBe(false);
    expect(heap?.pass).toBe(false);
  });
});

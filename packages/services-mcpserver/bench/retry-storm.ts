/**
 * Retry-storm benchmark for @corral/services-mcpserver, run by `pnpm bench` (node --expose-gc
 * --import tsx bench/retry-storm.ts; alone: `pnpm --filter @corral/services-mcpserver
 * bench:retry-storm`). It imports the built packages, so build first.
 *
 * 30 stdio fixture servers that fail their first 2 starts (`failFirst`, counted in a state file
 * per server) are brought up by `createCorral` + `start()`: every server fails, is retried with
 * backoff, fails again, and comes up on its third start. From the event stream it reads the
 * starts in flight at any moment — the retry starts among them must never exceed core's
 * `MaxConcurrentRetries` (5) — and the time until all 30 run. Variants alternate run by run:
 * - core's default backoff (1 s initial ceiling, full jitter): what a user gets;
 * - no jitter (random source pinned to 0, so every retry is due the moment its server fails):
 *   the whole fleet asks for a retry at once, so only the limit keeps it to 5;
 * - baseline: 30 healthy servers brought up the same way in the same run.
 *
 * A script, not a test: it exits non-zero only if a measured run was wrong (not if it was slow).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  check,
  childProcessCheck,
  envInt,
  interleave,
  machineInfo,
  machineSummary,
  resultsMarkdown,
  round,
  roundStat,
  stat,
  statOf,
  targetsMet,
  textTable,
  writeResults,
  type Row,
  type Stat,
} from '@corral/bench-kit';
import {
  createCorral,
  defaultOrchestratorOptions,
  silentLogger,
  type RandomSource,
  type ServiceState,
  type ServiceStateChangedEvent,
} from '@corral/core';
import { mcpServerPlugin } from '@corral/services-mcpserver';
import { descendantsOf, fixtureServer } from '@corral/testing';

// Overridable for exploring (e.g. CORRAL_BENCH_STORM_RUNS=10 pnpm bench).
const WARMUPS = envInt('CORRAL_BENCH_STORM_WARMUPS', 1);
const RUNS = Math.max(1, envInt('CORRAL_BENCH_STORM_RUNS', 5));
const SERVERS = Math.max(6, envInt('CORRAL_BENCH_STORM_SERVERS', 30));
const FAIL_FIRST = 2;
/** A run still short of all servers running after this long is wrong, not slow. */
const DEADLINE_MS = 120_000;
const LIMIT = defaultOrchestratorOptions.retry.maxConcurrent;

/** The states a retry starts from: the retry path owns the service. */
const RETRY_FROM: ReadonlySet<ServiceState> = new Set<ServiceState>([
  'failed',
  'retrying',
  'unreachable',
  'auth_required',
]);

const stateRoot = mkdtempSync(join(tmpdir(), 'corral-retry-storm-'));
let runCounter = 0;

/** Children we had before measuring anything (tsx's esbuild service) may stay; no other may. */
const checkNoChildLeft = await childProcessCheck(() => descendantsOf(process.pid));

interface StormSample {
  /** From createCorral to the last server running. */
  readonly upMs: number;
  /** Most starts in flight at once (the fleet's first starts included). */
  readonly maxStarting: number;
  /** Most retry starts (from failed/retrying/unreachable) in flight at once. */
  readonly maxRetrying: number;
  readonly starts: number;
  readonly retryStarts: number;
  readonly failures: number;
  /** Failed starts beyond the planned ones (0 unless something else broke). */
  readonly unplannedFailures: number;
  /** Median duration of one retry start in this run (spawn to exit, or to running). */
  readonly retryStartMs: number;
  /** Longest time one retry waited: its failure to its next start (backoff plus the queue). */
  readonly longestRetryWaitMs: number;
}

type Variant = 'jitter' | 'no-jitter' | 'healthy';

function expectedStarts(variant: Variant): number {
  return variant === 'healthy' ? SERVERS : SERVERS * (FAIL_FIRST + 1);
}

const zeroRandom: RandomSource = { next: () => 0 };

/** Starts in flight, read from the events as they are published. */
class InFlight {
  private readonly starting = new Set<string>();
  private readonly retrying = new Set<string>();
  private readonly failedAt = new Map<string, number>();
  private readonly startedAt = new Map<string, number>();
  /** How long each retry start took, to its failure or to running. */
  readonly retryStartDurations: number[] = [];
  maxStarting = 0;
  maxRetrying = 0;
  starts = 0;
  retryStarts = 0;
  failures = 0;
  longestRetryWaitMs = 0;
  readonly running = new Set<string>();
  /** Why servers failed, for the message of a wrong run. */
  readonly errors = new Set<string>();

  observe(event: ServiceStateChangedEvent, now: number): void {
    const { name, oldState, newState } = event;
    if (oldState === newState) return;
    if (oldState === 'starting') {
      const began = this.startedAt.get(name);
      if (this.retrying.has(name) && began !== undefined) {
        this.retryStartDurations.push(now - began);
      }
      this.starting.delete(name);
      this.retrying.delete(name);
    }
    if (newState === 'starting') {
      this.starts++;
      this.starting.add(name);
      this.startedAt.set(name, now);
      if (RETRY_FROM.has(oldState)) {
        this.retryStarts++;
        this.retrying.add(name);
        const failed = this.failedAt.get(name);
        if (failed !== undefined) {
          this.longestRetryWaitMs = Math.max(this.longestRetryWaitMs, now - failed);
        }
      }
      this.maxStarting = Math.max(this.maxStarting, this.starting.size);
      this.maxRetrying = Math.max(this.maxRetrying, this.retrying.size);
    }
    if (newState === 'failed') {
      this.failures++;
      this.failedAt.set(name, now);
      if (event.error) this.errors.add(event.error.message.slice(0, 200));
    }
    if (newState === 'running') this.running.add(name);
    else this.running.delete(name);
  }
}

async function stormRun(variant: Variant): Promise<StormSample> {
  const dir = join(stateRoot, String(++runCounter));
  mkdirSync(dir);
  const names = Array.from({ length: SERVERS }, (_, i) => `s${String(i + 1).padStart(2, '0')}`);
  const stateFile = (name: string): string => join(dir, `${name}.launches`);
  const services: Record<string, unknown> = {};
  for (const name of names) {
    const failFirst =
      variant === 'healthy' ? {} : { failFirst: { count: FAIL_FIRST, stateFile: stateFile(name) } };
    services[name] = { type: 'MCPServer', ...fixtureServer({ name, tools: 4, ...failFirst }) };
  }
  const flight = new InFlight();
  let resolveUp: (at: number) => void = () => undefined;
  const up = new Promise<number>((resolve) => {
    resolveUp = resolve;
  });
  const t0 = performance.now();
  const corral = await createCorral({
    plugins: [mcpServerPlugin],
    logger: silentLogger,
    config: { services },
    ...(variant === 'no-jitter' ? { random: zeroRandom } : {}),
  });
  corral.events.listen((event) => {
    const now = performance.now();
    flight.observe(event, now);
    if (flight.running.size === SERVERS) resolveUp(now);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await corral.start();
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`${flight.running.size} of ${SERVERS} running after ${DEADLINE_MS} ms`));
      }, DEADLINE_MS);
    });
    const upAt = await Promise.race([up, deadline]);
    // A start that fails unplanned (a timeout on a loaded machine) is shown, not fatal.
    check(flight.starts >= expectedStarts(variant), `${flight.starts} starts in all`);
    if (variant !== 'healthy') {
      for (const name of names) {
        const launches = Number(readFileSync(stateFile(name), 'utf8'));
        check(launches >= FAIL_FIRST + 1, `${name} was launched ${launches} times`);
      }
    }
    if (flight.starts > expectedStarts(variant)) {
      process.stderr.write(`  unplanned start failures: ${[...flight.errors].join('; ')}\n`);
    }
    return {
      upMs: upAt - t0,
      maxStarting: flight.maxStarting,
      maxRetrying: flight.maxRetrying,
      starts: flight.starts,
      retryStarts: flight.retryStarts,
      failures: flight.failures,
      unplannedFailures: flight.starts - expectedStarts(variant),
      longestRetryWaitMs: flight.longestRetryWaitMs,
      retryStartMs: stat(flight.retryStartDurations).median,
    };
  } finally {
    clearTimeout(timer);
    await corral.stop();
    await checkNoChildLeft(`the ${variant} run`);
  }
}

async function main(): Promise<void> {
  const machine = machineInfo();
  process.stderr.write(
    `@corral/services-mcpserver retry-storm bench: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}\n` +
      `  ${SERVERS} servers failing their first ${FAIL_FIRST} starts; ${WARMUPS} warm-up round(s) + ${RUNS} runs per variant\n`,
  );
  const results = await interleave(
    `retry storm of ${SERVERS} servers`,
    (['jitter', 'no-jitter', 'healthy'] as const).map((name) => ({
      name,
      run: () => stormRun(name),
    })),
    { warmups: WARMUPS, runs: RUNS },
  );
  rmSync(stateRoot, { recursive: true, force: true });
  const jitter = results.get('jitter').measured;
  const noJitter = results.get('no-jitter').measured;
  const healthy = results.get('healthy').measured;

  const healthyUp = statOf(healthy, 'upMs');
  const launches = SERVERS * (FAIL_FIRST + 1);
  // Each failing server is launched 3 times: per launch, the storm costs what a healthy start does
  // unless retrying adds time of its own.
  const ratio = (s: Stat): string => {
    const r = s.median / healthyUp.median;
    return `${r.toFixed(2)}× healthy; per launch ${((r * SERVERS) / launches).toFixed(2)}× (${launches} launches vs ${SERVERS})`;
  };
  const limitPass = (samples: readonly StormSample[]): boolean =>
    samples.every((s) => s.maxRetrying <= LIMIT);
  const rows: Row[] = [];
  const storms = [...jitter, ...noJitter];
  const reachedIn = storms.filter((s) => s.maxRetrying === LIMIT).length;
  rows.push(
    {
      measurement: `most retry starts in flight at once, ${SERVERS} servers failing ${FAIL_FIRST} starts each`,
      unit: 'starts',
      digits: 0,
      stat: statOf(storms, 'maxRetrying'),
      target: `≤ ${LIMIT} in every run`,
      pass: limitPass(storms),
      note: `the limit was reached in ${reachedIn} of ${storms.length} runs`,
    },
    {
      sub: true,
      measurement: "with core's default backoff",
      unit: 'starts',
      digits: 0,
      stat: statOf(jitter, 'maxRetrying'),
    },
    {
      sub: true,
      measurement: 'with no jitter (every retry due the moment its server fails)',
      unit: 'starts',
      digits: 0,
      stat: statOf(noJitter, 'maxRetrying'),
    },
    {
      sub: true,
      measurement: "most starts in flight at once, the fleet's first starts included",
      unit: 'starts',
      digits: 0,
      stat: statOf(storms, 'maxStarting'),
      note: 'first starts are not retries: not limited',
    },
  );
  const storm = (label: string, samples: readonly StormSample[]): void => {
    rows.push(
      {
        measurement: `${SERVERS} servers failing ${FAIL_FIRST} starts each, ${label}: all running`,
        unit: 'ms',
        stat: statOf(samples, 'upMs'),
        note: ratio(statOf(samples, 'upMs')),
      },
      {
        sub: true,
        measurement: 'longest wait of one retry: its failure → its next start',
        unit: 'ms',
        stat: statOf(samples, 'longestRetryWaitMs'),
        note: 'backoff plus queueing behind the limit',
      },
      {
        sub: true,
        measurement: 'one retry start, spawn → exit or running (median in each run)',
        unit: 'ms',
        stat: statOf(samples, 'retryStartMs'),
        note: `${SERVERS * FAIL_FIRST} retries, ${LIMIT} at a time`,
      },
    );
  };
  storm("core's default backoff (1 s, full jitter)", jitter);
  storm('no jitter (every retry due at once)', noJitter);
  rows.push({
    sub: true,
    measurement: `baseline: ${SERVERS} healthy servers, all running`,
    unit: 'ms',
    stat: healthyUp,
  });
  const unplanned = (samples: readonly StormSample[]): number =>
    samples.reduce((n, s) => n + s.unplannedFailures, 0);
  const unplannedText =
    `${unplanned(jitter)} with the default backoff, ${unplanned(noJitter)} without jitter, ` +
    `${unplanned(healthy)} among the healthy servers`;

  const maxRetryStarts = Math.max(...storms.map((s) => s.maxRetrying));
  // Whether the limit was reached at all: if not, the storm did not test it.
  const limitReached = maxRetryStarts === LIMIT;

  console.log(`\n@corral/services-mcpserver retry storm — ${machineSummary(machine)}`);
  console.log(`medians with min – max over ${RUNS} runs; variants alternate run by run\n`);
  console.log(textTable(rows));
  const { met, total } = targetsMet(rows);
  console.log(
    `\n${met} of ${total} targets met; retries reached the limit: ${limitReached} ` +
      `(load average at start: ${machine.loadAverageAtStart.join(' ')})`,
  );

  const method =
    `${SERVERS} stdio fixture servers (4 plain tools) started with --fail-first ${FAIL_FIRST} and a state ` +
    `file each, so every server fails ${FAIL_FIRST} starts (exit code 1 before initialize) and runs on ` +
    `its third; createCorral + start() with core's default retry options (limit ${LIMIT}), timed ` +
    'from createCorral to the event that puts the last server in running. Starts in flight are ' +
    "counted from a synchronous listener on core's event stream: a start is in flight from its " +
    'transition to starting until its next transition; a retry start is one whose previous state ' +
    'is failed, retrying or unreachable. Each run checks every server was launched exactly ' +
    `${FAIL_FIRST + 1} times and leaves no child process`;
  const sampleJson = (samples: readonly StormSample[]): Record<string, unknown> => ({
    upMs: roundStat(statOf(samples, 'upMs'), 1),
    maxRetryStartsInFlight: roundStat(statOf(samples, 'maxRetrying'), 0),
    maxStartsInFlight: roundStat(statOf(samples, 'maxStarting'), 0),
    longestRetryWaitMs: roundStat(statOf(samples, 'longestRetryWaitMs'), 1),
    retryStartMs: roundStat(statOf(samples, 'retryStartMs'), 1),
    ratioToHealthy: round(statOf(samples, 'upMs').median / healthyUp.median, 3),
    limitPass: limitPass(samples),
  });
  const json = {
    package: '@corral/services-mcpserver',
    bench: 'retry-storm',
    machine,
    method: {
      warmups: WARMUPS,
      runs: RUNS,
      servers: SERVERS,
      failFirst: FAIL_FIRST,
      startsPerServer: FAIL_FIRST + 1,
      retryLimit: LIMIT,
      import: '@corral/core, @corral/services-mcpserver, @corral/testing (built dist/)',
      description: method,
    },
    targets: { maxRetryStartsInFlight: LIMIT },
    results: {
      limitReached,
      unplannedFailures: {
        defaultBackoff: unplanned(jitter),
        noJitter: unplanned(noJitter),
        healthy: unplanned(healthy),
      },
      maxRetryStartsInFlight: maxRetryStarts,
      defaultBackoff: sampleJson(jitter),
      noJitter: sampleJson(noJitter),
      healthy: { upMs: roundStat(healthyUp, 1) },
    },
  };
  const markdown = resultsMarkdown({
    packageName: '@corral/services-mcpserver — retry storm',
    script: 'packages/services-mcpserver/bench/retry-storm.ts',
    machine,
    method: 'medians with min – max over repeated runs; the three variants alternate run by run',
    rows,
    notes: {
      'retry storm': method,
      'no jitter':
        'the random source is pinned to 0, so each retry is due the moment its server fails: ' +
        'the whole fleet wants a retry at once and only the limit spaces them',
      'limit reached':
        `${limitReached ? 'yes' : 'no'}: the most retry starts seen in flight in any run was ` +
        `${maxRetryStarts} (limit ${LIMIT})`,
      'per launch':
        'every launch of the fixture, a failing one too, boots node and loads the SDK before it ' +
        `exits, so on a small machine the storm's time is mostly the CPU of its ${SERVERS * (FAIL_FIRST + 1)} ` +
        `launches against the baseline's ${SERVERS}: the per-launch ratio near 1 means retrying adds ` +
        'little time of its own',
      'unplanned failures': `start failures beyond the planned ones over the measured runs: ${unplannedText}`,
    },
  });
  await writeResults(new URL('.', import.meta.url), 'retry-storm', { json, markdown });
}

await main();

/**
 * Benchmark for @corral/core, run by `pnpm bench` (node --expose-gc --import tsx bench/run.ts).
 *
 * A script, not a test: it measures, prints a table, writes bench/results.json and
 * bench/RESULTS.md, and exits non-zero only if a measured run was wrong (not if it was slow).
 * It imports the built package (`@corral/core` resolves to dist/ through the package's own
 * `exports`), so build first.
 *
 * 1. start + stop of 1,000 trivial services in a 10-deep dependency forest, through an
 *    orchestrator composed by `createCorral`, against doStart/doStop called directly.
 * 2. events/s delivered in total to 10 `for await` subscribers of an `EventBus`, against the
 *    same events to 10 synchronous `listen()` listeners and a plain loop over 10 callbacks.
 * 3. heap per registered idle service (10,000 services, not started).
 *
 * Every timing is repeated (RUNS runs after WARMUPS warm-ups) and reported as median and min–max:
 * this runs on small shared machines, so compare ratios to the same-run baselines.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';
import {
  check,
  envInt,
  gc,
  machineInfo,
  machineSummary,
  repeat as repeatRuns,
  round,
  roundStat,
  stat,
  targetsMet,
  textTable,
  writeResults,
  type Repeated,
  type Row,
  resultsMarkdown,
} from '@corral/bench-kit';
import {
  BaseService,
  createCorral,
  definePlugin,
  EventBus,
  silentLogger,
  systemClock,
  type Corral,
  type EventSubscription,
  type ServiceTransition,
  type StandardSchemaV1,
} from '@corral/core';

/**
 * Start/stop needs about five runs before V8 has optimised the orchestrator's paths (the first
 * run is 4-6x slower than the steady state), so warm up past that; the cold first run is
 * reported on its own row.
 */
// Overridable for exploring (e.g. CORRAL_BENCH_WARMUPS=0 CORRAL_BENCH_RUNS=30 pnpm bench).
const WARMUPS = Math.max(1, envInt('CORRAL_BENCH_WARMUPS', 5));
const RUNS = Math.max(1, envInt('CORRAL_BENCH_RUNS', 7));

const FOREST_DEPTH = 10;
const FOREST_WIDTH = 100; // services per level: 1,000 in all
const EVENTS = 200_000;
const SUBSCRIBERS = 10;
const PUBLISH_BATCH = 1_000;
const HEAP_SERVICES = 10_000;

const TARGET_START_STOP_MS = 250;
const TARGET_EVENTS_PER_SECOND = 500_000;
const TARGET_HEAP_BYTES_PER_SERVICE = 2_048;

// ---------------------------------------------------------------------------------------------
// The trivial service type

/** Starts and stops at once; `rawStart`/`rawStop` expose doStart/doStop for the baseline. */
class TrivialService extends BaseService {
  protected doStart(): Promise<void> {
    return Promise.resolve();
  }

  protected doStop(): Promise<void> {
    return Promise.resolve();
  }

  rawStart(): Promise<void> {
    return this.doStart();
  }

  rawStop(): Promise<void> {
    return this.doStop();
  }
}

const TYPE = 'bench-trivial';

const passthrough: StandardSchemaV1<unknown, Record<string, unknown>> = {
  '~standard': {
    version: 1,
    vendor: 'corral-bench',
    validate: (value) => ({ value: value as Record<string, unknown> }),
  },
};

const trivialPlugin = definePlugin({
  id: 'corral-bench',
  register(context) {
    context.registerServiceType<Record<string, unknown>>({
      type: TYPE,
      configSchema: passthrough,
      create: (ctx) =>
        new TrivialService({
          name: ctx.name,
          type: TYPE,
          dependencies: ctx.dependencies,
          autoStart: ctx.autoStart,
          restartPolicy: ctx.restartPolicy,
        }),
    });
  },
});

/** mulberry32: a seeded PRNG so the forest is the same on every run and machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ForestNode {
  readonly name: string;
  readonly level: number;
  readonly dependsOn: readonly string[];
}

/**
 * `depth` levels of `width` services. Level 0 has no dependencies; every other service depends
 * on one service of the level before, chosen at random (seeded): a forest of `width` trees of
 * depth `depth` with uneven fan-out (some parents have several dependents, some none).
 */
function forest(depth: number, width: number, seed = 42): ForestNode[] {
  const random = seeded(seed);
  const nodes: ForestNode[] = [];
  const name = (level: number, i: number): string =>
    `svc-${String(level)}-${String(i).padStart(5, '0')}`;
  for (let level = 0; level < depth; level++) {
    for (let i = 0; i < width; i++) {
      const dependsOn = level === 0 ? [] : [name(level - 1, Math.floor(random() * width))];
      nodes.push({ name: name(level, i), level, dependsOn });
    }
  }
  return nodes;
}

const startStopForest = forest(FOREST_DEPTH, FOREST_WIDTH);

function forestConfig(nodes: readonly ForestNode[]): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (const node of nodes) services[node.name] = { type: TYPE, dependsOn: node.dependsOn };
  return services;
}

function composeForest(): Promise<Corral> {
  return createCorral({
    plugins: [trivialPlugin],
    config: { services: forestConfig(startStopForest) },
    logger: silentLogger,
  });
}

function servicesByLevel(nodes: readonly ForestNode[]): TrivialService[][] {
  const levels: TrivialService[][] = [];
  for (const node of nodes) {
    const service = new TrivialService({
      name: node.name,
      type: TYPE,
      dependencies: node.dependsOn,
    });
    (levels[node.level] ??= []).push(service);
  }
  return levels;
}

// ---------------------------------------------------------------------------------------------
// Measuring

/** WARMUPS discarded runs, then RUNS measured ones; a full GC before each, outside the timing. */
function repeat<T>(label: string, run: () => Promise<T>): Promise<Repeated<T>> {
  return repeatRuns(label, run, { warmups: WARMUPS, runs: RUNS });
}

// ---------------------------------------------------------------------------------------------
// 1. Start and stop 1,000 services

interface StartStopSample {
  readonly startMs: number;
  readonly stopMs: number;
  readonly totalMs: number;
}

async function orchestratedStartStop(): Promise<StartStopSample> {
  const corral = await composeForest();
  const { orchestrator } = corral;
  check(corral.registry.size === startStopForest.length, 'not every service was registered');
  const t0 = performance.now();
  await orchestrator.start();
  const t1 = performance.now();
  for (const service of corral.registry.list()) {
    check(service.state === 'running', `${service.name} is ${service.state} after start()`);
  }
  const t2 = performance.now();
  await orchestrator.stop();
  const t3 = performance.now();
  for (const service of corral.registry.list()) {
    check(service.state === 'stopped', `${service.name} is ${service.state} after stop()`);
  }
  return { startMs: t1 - t0, stopMs: t3 - t2, totalMs: t1 - t0 + (t3 - t2) };
}

/** Baseline: doStart level by level (each level in parallel), doStop in reverse. */
async function directStartStop(): Promise<StartStopSample> {
  const levels = servicesByLevel(startStopForest);
  const t0 = performance.now();
  for (const level of levels) await Promise.all(level.map((s) => s.rawStart()));
  const t1 = performance.now();
  for (const level of [...levels].reverse()) await Promise.all(level.map((s) => s.rawStop()));
  const t2 = performance.now();
  return { startMs: t1 - t0, stopMs: t2 - t1, totalMs: t2 - t0 };
}

/** Middle reference: BaseService.start()/stop() (its state machine), no orchestrator. */
async function stateMachineStartStop(): Promise<StartStopSample> {
  const levels = servicesByLevel(startStopForest);
  let transitions = 0;
  for (const level of levels) {
    for (const service of level) {
      service.onTransition(() => {
        transitions++;
      });
    }
  }
  const t0 = performance.now();
  for (const level of levels) await Promise.all(level.map((s) => s.start()));
  const t1 = performance.now();
  for (const level of [...levels].reverse()) {
    await Promise.all(level.map((s) => s.stop('shutdown')));
  }
  const t2 = performance.now();
  check(transitions === 4 * startStopForest.length, `saw ${transitions} transitions`);
  return { startMs: t1 - t0, stopMs: t2 - t1, totalMs: t2 - t0 };
}

// ---------------------------------------------------------------------------------------------
// 2. Event delivery

const sampleTransitions: readonly ServiceTransition[] = [
  {
    name: 'svc',
    serviceType: TYPE,
    oldState: 'stopped',
    newState: 'starting',
    oldHealth: 'unknown',
    health: 'unknown',
    reason: 'start',
  },
  {
    name: 'svc',
    serviceType: TYPE,
    oldState: 'starting',
    newState: 'running',
    oldHealth: 'unknown',
    health: 'healthy',
    reason: 'start',
  },
  {
    name: 'svc',
    serviceType: TYPE,
    oldState: 'running',
    newState: 'stopping',
    oldHealth: 'healthy',
    health: 'healthy',
    reason: 'manual',
  },
  {
    name: 'svc',
    serviceType: TYPE,
    oldState: 'stopping',
    newState: 'stopped',
    oldHealth: 'healthy',
    health: 'unknown',
    reason: 'manual',
  },
];

function transitionAt(i: number): ServiceTransition {
  const transition = sampleTransitions[i & 3];
  if (!transition) throw new Error('unreachable');
  return transition;
}

interface Consumed {
  received: number;
  overflowed: number;
  outOfOrder: number;
}

/** Reads a subscription to its end the way a real consumer would: `for await`. */
async function consume(
  subscription: EventSubscription,
  tally: Consumed,
  onEvent: () => void,
): Promise<void> {
  let lastSeq = 0;
  for await (const event of subscription) {
    if (event.kind === 'overflow') {
      tally.overflowed += event.dropped;
      continue;
    }
    if (event.seq !== lastSeq + 1) tally.outOfOrder++;
    lastSeq = event.seq;
    tally.received++;
    onEvent();
  }
}

/** Total deliveries per second to SUBSCRIBERS `for await` consumers, consuming concurrently. */
async function busAsyncDelivery(): Promise<number> {
  // Twice a batch: consumers drain between batches, so this never fills.
  const bus = new EventBus(systemClock, { defaultQueueSize: 2 * PUBLISH_BATCH });
  const tallies: Consumed[] = [];
  const readers: Promise<void>[] = [];
  let delivered = 0;
  const onEvent = (): void => {
    delivered++;
  };
  for (let s = 0; s < SUBSCRIBERS; s++) {
    const tally: Consumed = { received: 0, overflowed: 0, outOfOrder: 0 };
    tallies.push(tally);
    readers.push(consume(bus.subscribe(), tally, onEvent));
  }
  const expected = EVENTS * SUBSCRIBERS;
  await nextMacrotask(); // every reader is parked in next()
  const t0 = performance.now();
  for (let sent = 0; sent < EVENTS;) {
    const end = Math.min(EVENTS, sent + PUBLISH_BATCH);
    for (; sent < end; sent++) bus.publish(transitionAt(sent));
    // Readers resume on microtasks, so by the next macrotask they have drained the batch.
    await nextMacrotask();
  }
  while (delivered < expected) await nextMacrotask();
  const elapsed = performance.now() - t0;
  bus.close();
  await Promise.all(readers);
  for (const tally of tallies) {
    check(tally.received === EVENTS, `a subscriber received ${tally.received} of ${EVENTS}`);
    check(tally.overflowed === 0, `a subscriber overflowed by ${tally.overflowed}`);
    check(tally.outOfOrder === 0, `a subscriber saw ${tally.outOfOrder} events out of order`);
  }
  check(delivered === expected, `delivered ${delivered} of ${expected}`);
  return expected / (elapsed / 1000);
}

/** Same publishes, to SUBSCRIBERS synchronous `listen()` listeners: the bus without queueing. */
function busSyncDelivery(): Promise<number> {
  const bus = new EventBus(systemClock);
  const counts = new Array<number>(SUBSCRIBERS).fill(0);
  let lastSeqSum = 0;
  for (let s = 0; s < SUBSCRIBERS; s++) {
    bus.listen((event) => {
      counts[s] = (counts[s] ?? 0) + 1;
      lastSeqSum += event.seq;
    });
  }
  const t0 = performance.now();
  for (let sent = 0; sent < EVENTS; sent++) bus.publish(transitionAt(sent));
  const elapsed = performance.now() - t0;
  bus.close();
  for (const count of counts) check(count === EVENTS, `a listener received ${count}`);
  check(lastSeqSum > 0, 'listeners saw no seq');
  return Promise.resolve((EVENTS * SUBSCRIBERS) / (elapsed / 1000));
}

/** Baseline: a plain loop calling SUBSCRIBERS plain callbacks with each transition. */
function plainCallbackDelivery(): Promise<number> {
  const counts = new Array<number>(SUBSCRIBERS).fill(0);
  let nameLengths = 0;
  const callbacks: ((transition: ServiceTransition) => void)[] = [];
  for (let s = 0; s < SUBSCRIBERS; s++) {
    callbacks.push((transition) => {
      counts[s] = (counts[s] ?? 0) + 1;
      nameLengths += transition.newState.length;
    });
  }
  const t0 = performance.now();
  for (let sent = 0; sent < EVENTS; sent++) {
    const transition = transitionAt(sent);
    for (const callback of callbacks) callback(transition);
  }
  const elapsed = performance.now() - t0;
  for (const count of counts) check(count === EVENTS, `a callback received ${count}`);
  check(nameLengths > 0, 'callbacks saw nothing');
  return Promise.resolve((EVENTS * SUBSCRIBERS) / (elapsed / 1000));
}

// ---------------------------------------------------------------------------------------------
// 3. Heap per registered idle service

interface HeapSample {
  /** Bytes per service for the TrivialService objects alone (names, dependency arrays). */
  readonly serviceObject: number;
  /** Bytes per service added by registering it (registry entry, orchestrator bookkeeping). */
  readonly registration: number;
  readonly total: number;
}

/** heapUsed after the current job has ended (WeakRef targets are kept until then) and two GCs. */
async function heapUsed(): Promise<number> {
  await nextMacrotask();
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Keeps what was measured reachable until the heap has been read. */
const keepAlive: unknown[] = [];

async function heapPerService(): Promise<HeapSample> {
  const corral = await createCorral({ logger: silentLogger });
  const nodes = forest(FOREST_DEPTH, HEAP_SERVICES / FOREST_DEPTH, 7);
  const h0 = await heapUsed();
  const services = nodes.map(
    (node) =>
      new TrivialService({
        name: `${node.name}-${String(node.level)}`, // a fresh string, owned by this service
        type: TYPE,
        dependencies: node.dependsOn.map((d) => `${d}-${String(node.level - 1)}`),
      }),
  );
  const h1 = await heapUsed();
  for (const service of services) corral.registry.register(service);
  const h2 = await heapUsed();
  check(corral.registry.size === HEAP_SERVICES, 'not every service was registered');
  check(
    corral.orchestrator.getAllServices().every((info) => info.state === 'unknown'),
    'a service left its idle state',
  );
  keepAlive.push(corral, services, nodes);
  keepAlive.length = 0;
  return {
    serviceObject: (h1 - h0) / HEAP_SERVICES,
    registration: (h2 - h1) / HEAP_SERVICES,
    total: (h2 - h0) / HEAP_SERVICES,
  };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const machine = machineInfo();
  process.stderr.write(
    `@corral/core bench: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}\n` +
      `  ${WARMUPS} warm-ups + ${RUNS} runs per measurement\n`,
  );

  // 1. start + stop
  const orchestrated = await repeat('start/stop through the orchestrator', orchestratedStartStop);
  const direct = await repeat('start/stop by calling doStart/doStop', directStartStop);
  const stateMachine = await repeat('start/stop through BaseService', stateMachineStartStop);
  const startStop = stat(orchestrated.measured.map((s) => s.totalMs));
  const startOnly = stat(orchestrated.measured.map((s) => s.startMs));
  const stopOnly = stat(orchestrated.measured.map((s) => s.stopMs));
  const coldStartStop = stat([orchestrated.cold.totalMs]);
  const directTotal = stat(direct.measured.map((s) => s.totalMs));
  const machineTotal = stat(stateMachine.measured.map((s) => s.totalMs));

  // 2. events
  const asyncRates = await repeat('events to for-await subscribers', busAsyncDelivery);
  const syncRates = await repeat('events to listen() listeners', busSyncDelivery);
  const plainRates = await repeat('events to plain callbacks', plainCallbackDelivery);
  const events = stat(asyncRates.measured);
  const eventsSync = stat(syncRates.measured);
  const eventsPlain = stat(plainRates.measured);

  // 3. heap
  const heap = await repeat('heap per idle service', heapPerService);
  const heapTotal = stat(heap.measured.map((h) => h.total));
  const heapObject = stat(heap.measured.map((h) => h.serviceObject));
  const heapRegistration = stat(heap.measured.map((h) => h.registration));

  const services = startStopForest.length;
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}×`;
  const rows: Row[] = [
    {
      measurement: `start+stop ${services} services, ${FOREST_DEPTH}-deep forest (orchestrator)`,
      unit: 'ms',
      stat: startStop,
      target: `< ${TARGET_START_STOP_MS} ms`,
      pass: startStop.median < TARGET_START_STOP_MS,
      note: `${ratio(startStop.median, directTotal.median)} direct, ${ratio(startStop.median, machineTotal.median)} BaseService`,
    },
    {
      sub: true,
      measurement: 'cold: the first run in the process (unoptimised code)',
      unit: 'ms',
      stat: coldStartStop,
      target: `< ${TARGET_START_STOP_MS} ms`,
      pass: coldStartStop.median < TARGET_START_STOP_MS,
      note: `start ${orchestrated.cold.startMs.toFixed(1)} + stop ${orchestrated.cold.stopMs.toFixed(1)} ms`,
    },
    { sub: true, measurement: 'of which orchestrator.start()', unit: 'ms', stat: startOnly },
    { sub: true, measurement: 'of which orchestrator.stop()', unit: 'ms', stat: stopOnly },
    {
      sub: true,
      measurement: 'baseline: doStart/doStop directly, level by level',
      unit: 'ms',
      stat: directTotal,
    },
    {
      sub: true,
      measurement: 'reference: BaseService.start()/stop(), level by level',
      unit: 'ms',
      stat: machineTotal,
    },
    {
      measurement: `events delivered, ${SUBSCRIBERS} for-await subscribers (total)`,
      unit: 'events/s',
      stat: events,
      target: `≥ ${TARGET_EVENTS_PER_SECOND / 1000} k/s`,
      pass: events.median >= TARGET_EVENTS_PER_SECOND,
      note: `1/${(eventsPlain.median / events.median).toFixed(0)} of plain, 1/${(eventsSync.median / events.median).toFixed(1)} of listen()`,
    },
    {
      sub: true,
      measurement: `reference: same publishes, ${SUBSCRIBERS} sync listen() listeners`,
      unit: 'events/s',
      stat: eventsSync,
    },
    {
      sub: true,
      measurement: `baseline: plain loop, ${SUBSCRIBERS} plain callbacks`,
      unit: 'events/s',
      stat: eventsPlain,
    },
    {
      measurement: `heap per registered idle service (${HEAP_SERVICES} services)`,
      unit: 'B',
      stat: heapTotal,
      target: `< ${TARGET_HEAP_BYTES_PER_SERVICE} B`,
      pass: heapTotal.median < TARGET_HEAP_BYTES_PER_SERVICE,
    },
    { sub: true, measurement: 'of which the service object', unit: 'B', stat: heapObject },
    { sub: true, measurement: 'of which registration', unit: 'B', stat: heapRegistration },
  ];

  const table = textTable(rows);
  console.log(`\n@corral/core benchmark — ${machineSummary(machine)}`);
  console.log(`median of ${RUNS} runs after ${WARMUPS} warm-ups; min – max over those runs\n`);
  console.log(table);
  const { met, total } = targetsMet(rows);
  console.log(
    `\n${met} of ${total} targets met` +
      `; cold start+stop ${coldStartStop.median < TARGET_START_STOP_MS ? 'also within' : 'over'} ${TARGET_START_STOP_MS} ms` +
      ` (load average at start: ${machine.loadAverageAtStart.join(' ')})`,
  );

  const results = {
    package: '@corral/core',
    machine,
    method: {
      warmups: WARMUPS,
      runs: RUNS,
      import: '@corral/core (built dist/)',
      startStop: `${services} trivial services, ${FOREST_DEPTH} levels of ${FOREST_WIDTH}, each depending on one random service of the level before; createCorral + orchestrator.start() + orchestrator.stop()`,
      events: `${EVENTS} transitions published in batches of ${PUBLISH_BATCH}, a macrotask between batches; ${SUBSCRIBERS} subscribers consuming with for await; rate = deliveries / elapsed`,
      heap: `${HEAP_SERVICES} trivial services registered (not started); heapUsed delta after gc / count`,
    },
    targets: {
      startStopMs: TARGET_START_STOP_MS,
      eventsPerSecond: TARGET_EVENTS_PER_SECOND,
      heapBytesPerService: TARGET_HEAP_BYTES_PER_SERVICE,
    },
    results: {
      startStop: {
        unit: 'ms',
        services,
        depth: FOREST_DEPTH,
        pass: startStop.median < TARGET_START_STOP_MS,
        total: roundStat(startStop, 3),
        start: roundStat(startOnly, 3),
        stop: roundStat(stopOnly, 3),
        cold: {
          total: round(orchestrated.cold.totalMs),
          start: round(orchestrated.cold.startMs),
          stop: round(orchestrated.cold.stopMs),
          pass: coldStartStop.median < TARGET_START_STOP_MS,
        },
        baselineDirect: roundStat(directTotal, 3),
        referenceBaseService: roundStat(machineTotal, 3),
        ratioToDirect: round(startStop.median / directTotal.median, 2),
        ratioToBaseService: round(startStop.median / machineTotal.median, 2),
      },
      events: {
        unit: 'events/s',
        events: EVENTS,
        subscribers: SUBSCRIBERS,
        pass: events.median >= TARGET_EVENTS_PER_SECOND,
        forAwaitSubscribers: roundStat(events, 0),
        referenceListen: roundStat(eventsSync, 0),
        baselinePlainCallbacks: roundStat(eventsPlain, 0),
        ratioToPlain: round(events.median / eventsPlain.median, 4),
        ratioToListen: round(events.median / eventsSync.median, 4),
      },
      heap: {
        unit: 'bytes per service',
        services: HEAP_SERVICES,
        pass: heapTotal.median < TARGET_HEAP_BYTES_PER_SERVICE,
        total: roundStat(heapTotal, 1),
        serviceObject: roundStat(heapObject, 1),
        registration: roundStat(heapRegistration, 1),
      },
    },
  };
  const markdown = resultsMarkdown({
    packageName: '@corral/core',
    script: 'packages/core/bench/run.ts',
    machine,
    method: `median of ${RUNS} runs after ${WARMUPS} warm-ups; min – max over those runs`,
    rows,
    notes: {
      'start+stop': results.method.startStop,
      events: results.method.events,
      heap: results.method.heap,
    },
  });
  await writeResults(new URL('.', import.meta.url), 'results', { json: results, markdown });
}

await main();

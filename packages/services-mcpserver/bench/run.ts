/**
 * Benchmark for @corral/services-mcpserver, run by `pnpm bench` (node --expose-gc --import tsx
 * bench/run.ts). It imports the built packages (`@corral/core`, `@corral/services-mcpserver`
 * through its own `exports`, `@corral/testing` for the fixture server), so build first.
 *
 * 1. Start-up: 1, 10 and 50 stdio fixture servers (10 tools each) brought up through
 *    `createCorral` + `corral.start()` until every one is `running` with its tools listed,
 *    against the same servers spawned and initialized by bare SDK clients — all at once, and
 *    2, 4 or 8 at a time — and Corral with its starts bounded the same way (through
 *    `startService`, as a `maxConcurrentStarts` option would). Variants alternate run by run.
 *    Baseline servers run under setsid(1), in a session of their own like Corral's (see SETSID).
 * 2. Memory: the orchestrator process's RSS with 50 servers running, in a fresh plain-node
 *    process (children excluded by construction; tsx excluded too), against bare SDK clients.
 * 3. Call latency: sequential `callTool('echo')` through `MCPServerService` against the same
 *    call through a bare SDK client to another instance of the fixture, interleaved in blocks.
 *
 * A script, not a test: it exits non-zero only if a measured run was wrong (not if it was slow).
 * Timings are medians with min–max over repeated runs: this runs on small shared machines, so
 * compare the ratios to the same-run baselines.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  check,
  childProcessCheck,
  envInt,
  interleave,
  machineInfo,
  machineSummary,
  round,
  roundStat,
  runInPlainNode,
  settle,
  stat,
  statOf,
  targetsMet,
  textTable,
  toolResultText,
  writeResults,
  type Row,
  type Stat,
  resultsMarkdown,
} from '@corral/bench-kit';
import { createCorral, silentLogger, type Corral } from '@corral/core';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { MCPServerService, mcpServerPlugin } from '@corral/services-mcpserver';
import {
  FIXTURE_BEHAVIOUR_TOOLS,
  descendantsOf,
  fixtureServer,
  fixtureToolNames,
  isProcessAlive,
  processGroupMembers,
} from '@corral/testing';
import type { ProbeInput, ProbeOutput } from './rss-probe.js';

// Overridable for exploring (e.g. CORRAL_BENCH_RUNS=10 pnpm bench).
const WARMUPS = envInt('CORRAL_BENCH_WARMUPS', 1);
const STARTUP_RUNS = Math.max(1, envInt('CORRAL_BENCH_RUNS', 5));
const STARTUP_RUNS_50 = Math.max(1, envInt('CORRAL_BENCH_RUNS_50', 3));
const RSS_RUNS = Math.max(1, envInt('CORRAL_BENCH_RSS_RUNS', 3));
/** How long the memory probe idles before the at-rest reading: V8's memory reducer runs by then. */
const REST_MS = envInt('CORRAL_BENCH_REST_MS', 10_000);
const CALLS = Math.max(100, envInt('CORRAL_BENCH_CALLS', 3_000));
const CALL_WARMUPS = envInt('CORRAL_BENCH_CALL_WARMUPS', 300);
const CALL_RUNS = Math.max(1, envInt('CORRAL_BENCH_CALL_RUNS', 5));
/** Calls per block; blocks of the two sides alternate. */
const CALL_BLOCK = 100;

const SERVER_COUNTS = [1, 10, 50] as const;
const CONCURRENCIES = [2, 4, 8] as const;
/** Tools each fixture lists: its plain tools (`echo`, `add`, fillers) plus the behaviour tools. */
const TOOLS = 10;
const PLAIN_TOOLS = TOOLS - FIXTURE_BEHAVIOUR_TOOLS.length;

const TARGET_P50_OVERHEAD_MS = 0.05;
const TARGET_STARTUP_RATIO = 1.1;
const TARGET_RSS_MB = 80;
const MB = 2 ** 20;

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function serverNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `fixture-${String(i + 1).padStart(2, '0')}`);
}

function fixtureFor(name: string): { command: string; args: string[] } {
  return fixtureServer({ name, tools: PLAIN_TOOLS });
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i];
      if (item !== undefined) results[i] = await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Our live descendants (zombies excluded) besides those we had before measuring anything (tsx's
 * esbuild service): none may outlive a run.
 */
const checkNoChildLeft = await childProcessCheck(() => descendantsOf(process.pid));

// ---------------------------------------------------------------------------------------------
// 1. Start-up

interface StartupSample {
  /** From nothing to every server running with its tools listed. */
  readonly upMs: number;
  /** Stopping them all (the orchestrator's stop, or every client's close). */
  readonly downMs: number;
  /** CPU time (user + system) of this process during `upMs`: the servers' own excluded. */
  readonly cpuMs: number;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

function corralConfig(names: readonly string[], autoStart: boolean): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (const name of names) {
    services[name] = {
      type: 'MCPServer',
      ...fixtureFor(name),
      ...(autoStart ? {} : { autoStart }),
    };
  }
  return services;
}

/** The services of `corral`, each checked: running, an `MCPServerService`, TOOLS tools. */
function checkedServices(corral: Corral, count: number): MCPServerService[] {
  const services = corral.registry.list();
  check(services.length === count, `${services.length} of ${count} services registered`);
  return services.map((service) => {
    check(service instanceof MCPServerService, `${service.name} is no MCPServerService`);
    check(service.state === 'running', `${service.name} is ${service.state} after start`);
    const tools = service.listTools().length;
    check(tools === TOOLS, `${service.name} lists ${tools} tools, not ${TOOLS}`);
    return service;
  });
}

/**
 * Corral: createCorral + start() until every server runs with its tools listed. With
 * `concurrency`, the services are registered `autoStart: false` and started through
 * `orchestrator.startService`, that many at a time — what a bounded fleet start would do.
 */
async function corralStartup(count: number, concurrency?: number): Promise<StartupSample> {
  const names = serverNames(count);
  const services = corralConfig(names, concurrency === undefined);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const corral = await createCorral({
    plugins: [mcpServerPlugin],
    logger: silentLogger,
    config: { services },
  });
  await corral.start();
  if (concurrency !== undefined) {
    await mapLimited(names, concurrency, (name) => corral.orchestrator.startService(name));
  }
  const t1 = performance.now();
  const cpuMs = cpuMsSince(cpu0);
  const pids = checkedServices(corral, count).map((service) => {
    const pid = service.getServiceData()['pid'];
    check(typeof pid === 'number', `${service.name} reports no pid`);
    return pid;
  });
  const t2 = performance.now();
  await corral.stop();
  const t3 = performance.now();
  for (const pid of pids) {
    const members = await processGroupMembers(pid);
    check(members.length === 0, `process group ${pid} still has ${members.join(' ')} after stop`);
  }
  await checkNoChildLeft('corral.stop()');
  return { upMs: t1 - t0, downMs: t3 - t2, cpuMs };
}

/**
 * Whether `setsid(1)` can run: baseline servers then get a session (and process group) of
 * their own, as Corral's detached spawn gives them. It matters: with the kernel's autogroup
 * scheduling, every session gets a fair share of CPU, so servers in the bench's own session
 * start slower than Corral's whenever anything else runs on the machine.
 */
const SETSID = process.platform === 'linux' && spawnSync('setsid', ['true']).status === 0;

/**
 * Baseline: a bare SDK client per server — connect (spawn + initialize) and listTools, all at
 * once or `concurrency` at a time; in a session of its own (see SETSID) unless `sameSession`.
 */
async function bareStartup(
  count: number,
  concurrency: number,
  sameSession: boolean,
): Promise<StartupSample> {
  const commands = serverNames(count).map((name) => {
    const { command, args } = fixtureFor(name);
    return sameSession || !SETSID
      ? { command, args }
      : { command: 'setsid', args: [command, ...args] };
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const clients = await mapLimited(commands, concurrency, async ({ command, args }) => {
    const client = new Client({ name: 'corral-bench', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command, args }));
    const { tools } = await client.listTools();
    return { client, tools: tools.length };
  });
  const t1 = performance.now();
  const cpuMs = cpuMsSince(cpu0);
  check(clients.length === count, `${clients.length} of ${count} clients connected`);
  for (const { tools } of clients) check(tools === TOOLS, `a server lists ${tools} tools`);
  const t2 = performance.now();
  await Promise.all(clients.map(({ client }) => client.close()));
  const t3 = performance.now();
  await checkNoChildLeft('closing the bare clients');
  return { upMs: t1 - t0, downMs: t3 - t2, cpuMs };
}

/** One way of bringing the servers up. */
interface StartupPlan {
  /** `corral`: as shipped; `corral-bounded`: what-if; `bare`: baseline; `reference`: not a baseline. */
  readonly kind: 'corral' | 'corral-bounded' | 'bare' | 'reference';
  readonly name: string;
  readonly label: string;
  readonly run: () => Promise<StartupSample>;
}

function startupPlans(count: number): StartupPlan[] {
  const bounded = CONCURRENCIES.filter((c) => c < count);
  return [
    {
      kind: 'corral',
      name: 'corral',
      label: 'createCorral + start (all at once)',
      run: () => corralStartup(count),
    },
    {
      kind: 'bare',
      name: 'bare',
      label: 'baseline: bare SDK clients, all at once',
      run: () => bareStartup(count, count, false),
    },
    ...bounded.flatMap((c): StartupPlan[] => [
      {
        kind: 'corral-bounded',
        name: `corral ×${c}`,
        label: `what-if: Corral, ${c} starts at a time (startService)`,
        run: () => corralStartup(count, c),
      },
      {
        kind: 'bare',
        name: `bare ×${c}`,
        label: `baseline: bare SDK clients, ${c} at a time`,
        run: () => bareStartup(count, c, false),
      },
    ]),
    ...(SETSID && count > 1
      ? [
          {
            kind: 'reference' as const,
            name: 'bare, same session',
            label: "reference: bare, all at once, servers in the bench's session",
            run: () => bareStartup(count, count, true),
          },
        ]
      : []),
  ];
}

interface PlanResult {
  readonly plan: StartupPlan;
  readonly up: Stat;
  readonly down: Stat;
  readonly cpu: Stat;
}

interface StartupResult {
  readonly count: number;
  readonly runs: number;
  readonly plans: readonly PlanResult[];
}

async function measureStartup(count: number): Promise<StartupResult> {
  const plans = startupPlans(count);
  // By 50 servers this process's code is warm from the smaller fleets; the servers are
  // always cold (fresh processes), so a warm-up round would only cost a minute.
  const large = count >= 50;
  const runs = large ? STARTUP_RUNS_50 : STARTUP_RUNS;
  const results = await interleave(
    `start-up of ${count} servers`,
    plans.map(({ name, run }) => ({ name, run })),
    { warmups: large ? 0 : WARMUPS, runs },
  );
  return {
    count,
    runs,
    plans: plans.map((plan) => {
      const measured = results.get(plan.name).measured;
      return {
        plan,
        up: statOf(measured, 'upMs'),
        down: statOf(measured, 'downMs'),
        cpu: statOf(measured, 'cpuMs'),
      };
    }),
  };
}

/** The fastest (lowest median) of the plans of these kinds. */
function fastest(result: StartupResult, kinds: readonly StartupPlan['kind'][]): PlanResult {
  let best: PlanResult | undefined;
  for (const p of result.plans) {
    if (!kinds.includes(p.plan.kind)) continue;
    if (best === undefined || p.up.median < best.up.median) best = p;
  }
  if (best === undefined) throw new Error(`no ${kinds.join('/')} plan`);
  return best;
}

// ---------------------------------------------------------------------------------------------
// 2. Memory, in a fresh plain-node process

interface MemoryResult {
  readonly corral: ProbeOutput[];
  readonly bare: ProbeOutput[];
}

async function probe(mode: ProbeInput['mode'], count: number): Promise<ProbeOutput> {
  const servers = serverNames(count).map((name) => ({ name, ...fixtureFor(name) }));
  const input: ProbeInput = { mode, servers, tools: TOOLS, restMs: REST_MS };
  const stdout = await runInPlainNode(new URL('./rss-probe.ts', import.meta.url), {
    cwd: packageDir,
    input,
    nodeOptions: ['--expose-gc'],
  });
  const output = JSON.parse(stdout) as ProbeOutput; // printed by rss-probe.ts from this type
  check(output.pids.length === count, `the ${mode} probe ran ${output.pids.length} servers`);
  for (const pid of output.pids) {
    check(!isProcessAlive(pid), `server ${pid} outlived the ${mode} probe`);
  }
  await checkNoChildLeft(`the ${mode} memory probe`);
  return output;
}

async function measureMemory(count: number): Promise<MemoryResult> {
  const results = await interleave(
    `RSS with ${count} servers (plain node)`,
    [
      { name: 'corral', run: () => probe('corral', count) },
      { name: 'bare', run: () => probe('bare', count) },
    ],
    { warmups: 0, runs: RSS_RUNS },
  );
  return { corral: results.get('corral').measured, bare: results.get('bare').measured };
}

function mb(samples: readonly ProbeOutput[], pick: (o: ProbeOutput) => number): Stat {
  return stat(samples.map((o) => pick(o) / MB));
}

// ---------------------------------------------------------------------------------------------
// 3. Call latency

interface LatencySample {
  readonly service: Stat;
  readonly bare: Stat;
}

type Call = () => Promise<void>;

async function timedBlock(call: Call, calls: number, into: number[]): Promise<void> {
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await call();
    into.push(performance.now() - t0);
  }
}

/** `calls` calls each, in alternating blocks (which side leads alternates too). */
async function interleavedCalls(a: Call, b: Call, calls: number): Promise<[number[], number[]]> {
  const aTimes: number[] = [];
  const bTimes: number[] = [];
  for (let done = 0, block = 0; done < calls; done += CALL_BLOCK, block++) {
    const n = Math.min(CALL_BLOCK, calls - done);
    if (block % 2 === 0) {
      await timedBlock(a, n, aTimes);
      await timedBlock(b, n, bTimes);
    } else {
      await timedBlock(b, n, bTimes);
      await timedBlock(a, n, aTimes);
    }
  }
  return [aTimes, bTimes];
}

async function measureLatency(): Promise<LatencySample[]> {
  const corral = await createCorral({
    plugins: [mcpServerPlugin],
    logger: silentLogger,
    config: { services: { 'echo-service': { type: 'MCPServer', ...fixtureFor('echo-service') } } },
  });
  await corral.start();
  const [service] = checkedServices(corral, 1);
  if (service === undefined) throw new Error('unreachable');
  const client = new Client({ name: 'corral-bench', version: '0.0.0' });
  await client.connect(new StdioClientTransport(fixtureFor('echo-bare')));
  const args = { text: 'x' };
  const viaService: Call = async () => {
    const result = await service.callTool('echo', args);
    check(toolResultText(result) === 'x', `the service echoed ${JSON.stringify(result)}`);
  };
  const viaBare: Call = async () => {
    const result = await client.callTool({ name: 'echo', arguments: args });
    check(toolResultText(result) === 'x', `the bare client echoed ${JSON.stringify(result)}`);
  };
  try {
    const samples: LatencySample[] = [];
    for (let run = 0; run < CALL_RUNS; run++) {
      await settle();
      await interleavedCalls(viaService, viaBare, CALL_WARMUPS);
      const [service, bare] = await interleavedCalls(viaService, viaBare, CALLS);
      samples.push({ service: stat(service), bare: stat(bare) });
    }
    if (process.env['CORRAL_BENCH_VERBOSE']) {
      const brief = samples.map((s) => ({ service: s.service.p50, bare: s.bare.p50 }));
      process.stderr.write(`  callTool p50s: ${JSON.stringify(brief)}\n`);
    }
    process.stderr.write('  measured: callTool latency, service vs bare client\n');
    return samples;
  } finally {
    await client.close();
    await corral.stop();
    await checkNoChildLeft('the latency runs');
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const machine = machineInfo();
  check(fixtureToolNames(PLAIN_TOOLS).length === TOOLS, 'the fixture lists a different count');
  process.stderr.write(
    `@corral/services-mcpserver bench: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}\n` +
      `  start-up: ${WARMUPS} warm-up round(s) + ${STARTUP_RUNS} runs (50 servers: ${STARTUP_RUNS_50} runs, no warm-up); ` +
      `memory: ${RSS_RUNS} runs; calls: ${CALL_RUNS} runs of ${CALLS} after ${CALL_WARMUPS}\n`,
  );

  const startups: StartupResult[] = [];
  for (const count of SERVER_COUNTS) startups.push(await measureStartup(count));
  const memory = await measureMemory(50);
  const latency = await measureLatency();

  // Start-up rows
  const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;
  const rows: Row[] = [];
  const startupJson: Record<string, unknown>[] = [];
  let fiftyPass = false;
  for (const result of startups) {
    const { count } = result;
    const corral = fastest(result, ['corral']);
    const bestBare = fastest(result, ['bare']);
    const bestCorral = fastest(result, ['corral', 'corral-bounded']);
    const target = count === 50;
    const pass = corral.up.median <= TARGET_STARTUP_RATIO * bestBare.up.median;
    if (target) fiftyPass = pass;
    rows.push({
      measurement: `${count} server${count === 1 ? '' : 's'} up: ${corral.plan.label}`,
      unit: 'ms',
      stat: corral.up,
      ...(target ? { target: `≤ ${TARGET_STARTUP_RATIO}× best bare`, pass } : {}),
      note: `${ratio(corral.up.median, bestBare.up.median)} best bare (${bestBare.plan.name})`,
    });
    for (const p of result.plans) {
      if (p === corral) continue;
      const notes = [
        p === bestBare ? 'best baseline' : '',
        p === bestCorral ? 'fastest Corral' : '',
        p.plan.kind === 'corral-bounded'
          ? `${ratio(p.up.median, bestBare.up.median)} best bare`
          : '',
      ];
      rows.push({
        sub: true,
        measurement: p.plan.label,
        unit: 'ms',
        stat: p.up,
        note: notes.filter((n) => n !== '').join(', '),
      });
    }
    const bareAll = result.plans.find((p) => p.plan.name === 'bare');
    rows.push({
      sub: true,
      measurement: "this process's CPU time during start-up (servers excluded)",
      unit: 'ms',
      stat: corral.cpu,
      note: bareAll
        ? `${ratio(corral.cpu.median, bareAll.cpu.median)} bare all at once (${bareAll.cpu.median.toFixed(1)} ms)`
        : '',
    });
    rows.push({
      sub: true,
      measurement: 'stop: corral.stop(), every process group empty',
      unit: 'ms',
      stat: corral.down,
      note: bareAll ? `bare clients' close(): ${bareAll.down.median.toFixed(1)} ms` : '',
    });
    startupJson.push({
      servers: count,
      runs: result.runs,
      pass: target ? pass : null,
      ratioToBestBare: round(corral.up.median / bestBare.up.median, 3),
      bestBare: bestBare.plan.name,
      fastestCorral: bestCorral.plan.name,
      upMs: Object.fromEntries(result.plans.map((p) => [p.plan.name, roundStat(p.up, 1)])),
      downMs: Object.fromEntries(result.plans.map((p) => [p.plan.name, roundStat(p.down, 1)])),
      cpuMs: Object.fromEntries(result.plans.map((p) => [p.plan.name, roundStat(p.cpu, 1)])),
    });
  }

  // Memory rows
  const rss = mb(memory.corral, (o) => o.rest.rss);
  const rssPass = rss.median < TARGET_RSS_MB;
  const rssPeak = mb(memory.corral, (o) => o.running.rss);
  const bareRss = mb(memory.bare, (o) => o.rest.rss);
  const bareRssPeak = mb(memory.bare, (o) => o.running.rss);
  const emptyRss = mb(memory.corral, (o) => o.empty.rss);
  const importedRss = mb(memory.corral, (o) => o.imported.rss);
  const bareImportedRss = mb(memory.bare, (o) => o.imported.rss);
  const heapUsed = mb(memory.corral, (o) => o.rest.heapUsed);
  const heapUsedImported = mb(memory.corral, (o) => o.imported.heapUsed);
  const bareHeapUsed = mb(memory.bare, (o) => o.rest.heapUsed);
  const bareHeapUsedImported = mb(memory.bare, (o) => o.imported.heapUsed);
  const perServerKiB = (samples: readonly ProbeOutput[]): Stat =>
    stat(samples.map((o) => (o.rest.heapUsed - o.imported.heapUsed) / 1024 / 50));
  const corralPerServer = perServerKiB(memory.corral);
  const barePerServer = perServerKiB(memory.bare);
  const plus = (a: Stat, b: Stat): string =>
    `${a.median >= b.median ? '+' : ''}${(a.median - b.median).toFixed(1)}`;
  rows.push(
    {
      measurement: `orchestrator RSS, 50 servers running, at rest (${REST_MS / 1000} s after start)`,
      unit: 'MB',
      stat: rss,
      target: `< ${TARGET_RSS_MB} MB`,
      pass: rssPass,
      note: `bare SDK clients ${bareRss.median.toFixed(1)} MB (${plus(rss, bareRss)} MB)`,
    },
    {
      sub: true,
      measurement: "just after start-up, before V8's memory reducer ran",
      unit: 'MB',
      stat: rssPeak,
      target: `< ${TARGET_RSS_MB} MB`,
      pass: rssPeak.median < TARGET_RSS_MB,
      note: `bare SDK clients ${bareRssPeak.median.toFixed(1)} MB (${plus(rssPeak, bareRssPeak)} MB)`,
    },
    { sub: true, measurement: 'an empty node process', unit: 'MB', stat: emptyRss },
    {
      sub: true,
      measurement: 'after importing @corral/core and @corral/services-mcpserver',
      unit: 'MB',
      stat: importedRss,
      note: `bare: the SDK client ${bareImportedRss.median.toFixed(1)} MB (${plus(importedRss, bareImportedRss)} MB)`,
    },
    {
      sub: true,
      measurement: 'heapUsed at rest, 50 servers',
      unit: 'MB',
      stat: heapUsed,
      note: `imported ${heapUsedImported.median.toFixed(1)}; bare ${bareHeapUsed.median.toFixed(1)} (imported ${bareHeapUsedImported.median.toFixed(1)})`,
    },
    {
      sub: true,
      measurement: 'heapUsed per running server: (at rest − imported) / 50',
      unit: 'KiB',
      stat: corralPerServer,
      note: `bare SDK client ${barePerServer.median.toFixed(1)} KiB`,
    },
    {
      sub: true,
      measurement: 'baseline: bare SDK clients, 50 servers, at rest',
      unit: 'MB',
      stat: bareRss,
    },
  );

  // Latency rows
  const delta = stat(latency.map((s) => s.service.p50 - s.bare.p50));
  const serviceP50 = stat(latency.map((s) => s.service.p50));
  const bareP50 = stat(latency.map((s) => s.bare.p50));
  const serviceP99 = stat(latency.map((s) => s.service.p99));
  const bareP99 = stat(latency.map((s) => s.bare.p99));
  const p50Ratio = stat(latency.map((s) => s.service.p50 / s.bare.p50));
  const latencyPass = delta.median <= TARGET_P50_OVERHEAD_MS;
  rows.push(
    {
      measurement: `callTool echo, p50 added by the service (paired per run of ${CALLS})`,
      unit: 'ms',
      digits: 3,
      stat: delta,
      target: `≤ ${TARGET_P50_OVERHEAD_MS} ms`,
      pass: latencyPass,
      note: `p50 ${p50Ratio.median.toFixed(2)}× bare (median of per-run ratios)`,
    },
    {
      sub: true,
      measurement: 'p50 through MCPServerService',
      unit: 'ms',
      digits: 3,
      stat: serviceP50,
    },
    {
      sub: true,
      measurement: 'p50 through a bare SDK client',
      unit: 'ms',
      digits: 3,
      stat: bareP50,
    },
    {
      sub: true,
      measurement: 'p99 through MCPServerService',
      unit: 'ms',
      digits: 3,
      stat: serviceP99,
      note: `${ratio(serviceP99.median, bareP99.median)} bare`,
    },
    {
      sub: true,
      measurement: 'p99 through a bare SDK client',
      unit: 'ms',
      digits: 3,
      stat: bareP99,
    },
  );

  console.log(`\n@corral/services-mcpserver benchmark — ${machineSummary(machine)}`);
  console.log(
    `medians with min – max over runs; start-up variants alternate run by run (${WARMUPS} warm-up round below 50 servers)\n`,
  );
  console.log(textTable(rows));
  const { met, total } = targetsMet(rows);
  console.log(
    `\n${met} of ${total} targets met (load average at start: ${machine.loadAverageAtStart.join(' ')})`,
  );

  const method = {
    startup:
      `N stdio fixture servers (${TOOLS} tools each: ${PLAIN_TOOLS} plain + ${FIXTURE_BEHAVIOUR_TOOLS.length} behaviour tools), ` +
      'timed from createCorral to every service running with its tools listed (Corral: spawn, ' +
      'initialize, list tools, resources and prompts), or from the first spawn to every bare SDK ' +
      'client connected (initialize) with listTools answered (baseline; each server started ' +
      "through setsid(1) so that, like Corral's, it has a session of its own and the same CPU " +
      "share under the kernel's autogroup scheduling); variants alternate run by run; every " +
      'run ends with no child process left',
    memory:
      'a fresh plain-node process (no tsx) per run brings 50 servers up and reads its own ' +
      'process.memoryUsage() after two full GCs, right away and again after idling ' +
      `${REST_MS / 1000} s (V8's memory reducer shrinks the heap grown during start-up); ` +
      'RSS is per process, so the servers are excluded',
    latency:
      `sequential callTool('echo', { text: 'x' }): ${CALL_RUNS} runs of ${CALLS} calls per side after ` +
      `${CALL_WARMUPS} warm-up calls, in alternating blocks of ${CALL_BLOCK}, each side to its own ` +
      'fixture instance; the delta is service p50 − bare p50 within each run',
  };
  const json = {
    package: '@corral/services-mcpserver',
    machine,
    method: {
      warmups: WARMUPS,
      startupRuns: STARTUP_RUNS,
      startupRuns50: STARTUP_RUNS_50,
      memoryRuns: RSS_RUNS,
      callRuns: CALL_RUNS,
      calls: CALLS,
      callWarmups: CALL_WARMUPS,
      import: '@corral/core, @corral/services-mcpserver, @corral/testing (built dist/)',
      ...method,
    },
    targets: {
      p50OverheadMs: TARGET_P50_OVERHEAD_MS,
      startupRatioToBestBaseline: TARGET_STARTUP_RATIO,
      rssMB: TARGET_RSS_MB,
    },
    results: {
      startup: startupJson,
      memory: {
        unit: 'MB',
        servers: 50,
        restMs: REST_MS,
        pass: rssPass,
        rssAtRest: roundStat(rss, 1),
        rssJustAfterStart: roundStat(rssPeak, 1),
        emptyProcessRss: roundStat(emptyRss, 1),
        importedRss: roundStat(importedRss, 1),
        heapUsedAtRest: roundStat(heapUsed, 2),
        heapUsedImported: roundStat(heapUsedImported, 2),
        heapUsedPerServerKiB: roundStat(corralPerServer, 1),
        baselineBareRssAtRest: roundStat(bareRss, 1),
        baselineBareRssJustAfterStart: roundStat(bareRssPeak, 1),
        baselineBareImportedRss: roundStat(bareImportedRss, 1),
        baselineBareHeapUsedAtRest: roundStat(bareHeapUsed, 2),
        baselineBareHeapUsedPerServerKiB: roundStat(barePerServer, 1),
      },
      latency: {
        unit: 'ms',
        pass: latencyPass,
        p50Delta: roundStat(delta, 4),
        p50Ratio: roundStat(p50Ratio, 3),
        serviceP50: roundStat(serviceP50, 4),
        bareP50: roundStat(bareP50, 4),
        serviceP99: roundStat(serviceP99, 4),
        bareP99: roundStat(bareP99, 4),
      },
      startup50Pass: fiftyPass,
    },
  };
  const markdown = resultsMarkdown({
    packageName: '@corral/services-mcpserver',
    script: 'packages/services-mcpserver/bench/run.ts',
    machine,
    method: 'medians with min – max over repeated runs; start-up variants alternate run by run',
    rows,
    notes: { 'start-up': method.startup, memory: method.memory, latency: method.latency },
  });
  await writeResults(new URL('.', import.meta.url), 'results', { json, markdown });
}

await main();

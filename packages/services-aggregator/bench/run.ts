/**
 * Benchmark for @corral/services-aggregator, run by `pnpm bench` (node --expose-gc --import tsx
 * bench/run.ts). It imports the built packages, so build first.
 *
 * The gateway (bench/gateway.ts) runs in a process of its own, as in production: the fixture
 * MCP server over stdio behind an aggregator on 127.0.0.1. This process is the client.
 *
 * 1. Latency: sequential `echo` calls through the aggregator over streamable HTTP
 *    (`x_bench_echo`), against the same call made directly to another fixture instance over
 *    stdio by a bare SDK client — the baseline — in alternating blocks within each run.
 * 2. Throughput: calls per second at concurrency 1, 16 and 64, on one session and spread over 8
 *    sessions, from SDK clients and from minimal HTTP clients (no SDK: what the gateway sustains
 *    when the client costs little), with CPU per call of both processes at 64, and the direct
 *    stdio client's throughput at the same concurrency for reference.
 *
 * A script, not a test: it exits non-zero only if a measured run was wrong (a wrong answer, a
 * failed call), never because it was slow. Medians with min–max over repeated runs: this runs
 * on small shared machines, so read the ratios to the same-run baseline.
 */
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  check,
  envInt,
  machineInfo,
  machineSummary,
  roundStat,
  settle,
  stat,
  targetsMet,
  textTable,
  toolResultText,
  writeResults,
  type Row,
  type Stat,
  resultsMarkdown,
} from '@corral/bench-kit';
import { fixtureServer } from '@corral/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { MinimalClient } from './minimal-client.js';

// The SDK's HTTP client adds an abort listener per request to one long-lived signal (undici
// drops each once its request is collected): at concurrency 64 that is a warning, not a leak.
setMaxListeners(0);

const CALLS = Math.max(100, envInt('CORRAL_BENCH_CALLS', 2_000));
const CALL_WARMUPS = envInt('CORRAL_BENCH_CALL_WARMUPS', 300);
const CALL_RUNS = Math.max(1, envInt('CORRAL_BENCH_CALL_RUNS', 5));
/** Calls per block; blocks of the two sides alternate. */
const CALL_BLOCK = 100;
const THROUGHPUT_CALLS = Math.max(100, envInt('CORRAL_BENCH_THROUGHPUT_CALLS', 3_000));
const THROUGHPUT_RUNS = Math.max(1, envInt('CORRAL_BENCH_THROUGHPUT_RUNS', 3));
const CONCURRENCIES = [1, 16, 64] as const;
const SESSIONS = 8;

/** USER_HZ on Linux: /proc reports CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

const TARGET_P50_RATIO = 2.5;
const TARGET_CALLS_PER_SECOND = 2_000;

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const args = { text: 'x' };

interface Gateway {
  readonly url: string;
  /** CPU time (user + system) the gateway process has used, in µs; undefined without /proc. */
  cpuMicros(): number | undefined;
  stop(): Promise<void>;
}

/** A process's CPU time (user + system) in µs from /proc (Linux), or undefined. */
function processCpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command's closing paren: state is [0], utime [11], stime [12], in ticks.
    const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
      .split(') ')[1]
      ?.split(' ');
    const ticks = Number(fields?.[11]) + Number(fields?.[12]);
    return Number.isFinite(ticks) ? ticks * (1_000_000 / CLOCK_TICKS_PER_SECOND) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts bench/gateway.ts and waits for the URL it prints. */
async function startGateway(): Promise<Gateway> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/gateway.ts'], {
    cwd: packageDir,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const stdout = child.stdout;
  const url = await Promise.race([
    new Promise<string>((resolve) => createInterface({ input: stdout }).once('line', resolve)),
    exited.then(() => ''),
  ]);
  check(url.startsWith('http://127.0.0.1:'), `the gateway printed ${JSON.stringify(url)}`);
  return {
    url,
    cpuMicros: () => processCpuMicros(child.pid),
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

type Call = () => Promise<void>;

function caller(client: Client, name: string): Call {
  return async () => {
    const result = await client.callTool({ name, arguments: args });
    check(toolResultText(result) === 'x', `${name} answered ${JSON.stringify(result)}`);
  };
}

/** An echo call from a minimal HTTP client (no SDK), checked by its text. */
function minimalCaller(client: MinimalClient): Call {
  return async () => {
    const text = await client.request('tools/call', { name: 'x_bench_echo', arguments: args });
    check(text.includes('"text":"x"'), `the minimal client got ${text}`);
  };
}

// ---------------------------------------------------------------------------------------------
// 1. Latency

interface LatencySample {
  readonly aggregator: Stat;
  readonly direct: Stat;
  /** `ping` through the aggregator's streamable HTTP: the SDK transport's own round trip. */
  readonly ping: Stat;
  /** `echo` and `ping` through the aggregator from the minimal HTTP client (no SDK client). */
  readonly minimalEcho: Stat;
  readonly minimalPing: Stat;
}

/** `count` calls per side, in alternating blocks; per-call latencies in ms. */
async function interleavedCalls(a: Call, b: Call, count: number): Promise<[number[], number[]]> {
  const timesA: number[] = [];
  const timesB: number[] = [];
  for (let done = 0; done < count; done += CALL_BLOCK) {
    const block = Math.min(CALL_BLOCK, count - done);
    for (const [call, times] of [
      [a, timesA],
      [b, timesB],
    ] as const) {
      for (let i = 0; i < block; i++) {
        const start = performance.now();
        await call();
        times.push(performance.now() - start);
      }
    }
  }
  return [timesA, timesB];
}

async function measureLatency(
  viaAggregator: Call,
  direct: Call,
  ping: Call,
  minimal: MinimalClient,
): Promise<LatencySample[]> {
  const minimalEcho = minimalCaller(minimal);
  const minimalPing: Call = async () => {
    const text = await minimal.request('ping');
    check(text.includes('"result"'), `the minimal client's ping got ${text}`);
  };
  const samples: LatencySample[] = [];
  for (let run = 0; run < CALL_RUNS; run++) {
    await settle();
    await interleavedCalls(viaAggregator, direct, CALL_WARMUPS);
    const [aggregator, bare] = await interleavedCalls(viaAggregator, direct, CALLS);
    const [pings, minimalPings] = await interleavedCalls(ping, minimalPing, CALLS);
    const [minimalEchoes] = await interleavedCalls(minimalEcho, () => Promise.resolve(), CALLS);
    samples.push({
      aggregator: stat(aggregator),
      direct: stat(bare),
      ping: stat(pings),
      minimalEcho: stat(minimalEchoes),
      minimalPing: stat(minimalPings),
    });
  }
  process.stderr.write('  measured: sequential echo latency, aggregator vs direct stdio\n');
  return samples;
}

// ---------------------------------------------------------------------------------------------
// 2. Throughput

/** One timed run: calls per second, and CPU per call (µs) of the gateway and of this process. */
interface Run {
  readonly rate: number;
  readonly gatewayCpu: number | undefined;
  readonly clientCpu: number;
}

/** `total` calls by `concurrency` workers, spread over `calls` round-robin. */
async function throughput(
  calls: readonly Call[],
  concurrency: number,
  total: number,
  gateway: Gateway,
): Promise<Run> {
  let next = 0;
  const gatewayBefore = gateway.cpuMicros();
  const clientBefore = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const call = calls[worker % calls.length];
      check(call !== undefined, 'no caller');
      while (next++ < total) await call();
    }),
  );
  const rate = total / ((performance.now() - start) / 1000);
  const gatewayAfter = gateway.cpuMicros();
  const client = process.cpuUsage(clientBefore);
  return {
    rate,
    gatewayCpu:
      gatewayBefore === undefined || gatewayAfter === undefined
        ? undefined
        : (gatewayAfter - gatewayBefore) / total,
    clientCpu: (client.user + client.system) / total,
  };
}

/** The callers one throughput variant spreads its workers over. */
interface Variants {
  /** SDK clients over streamable HTTP: one session, and 8. */
  readonly oneSession: readonly Call[];
  readonly eightSessions: readonly Call[];
  /** Minimal HTTP clients (no SDK): one session over 64 sockets, and 8 sessions over 8 each. */
  readonly minimalOne: readonly Call[];
  readonly minimalEight: readonly Call[];
  readonly direct: readonly Call[];
}

type VariantName = keyof Variants;
const VARIANTS: readonly VariantName[] = [
  'oneSession',
  'eightSessions',
  'minimalOne',
  'minimalEight',
  'direct',
];

interface ThroughputResult {
  readonly concurrency: number;
  readonly rates: Record<VariantName, Stat>;
  /** CPU µs per call of the gateway process and of this (client) process, per variant. */
  readonly gatewayCpu: Record<VariantName, Stat | undefined>;
  readonly clientCpu: Record<VariantName, Stat>;
}

async function measureThroughput(
  variants: Variants,
  gateway: Gateway,
): Promise<ThroughputResult[]> {
  const results: ThroughputResult[] = [];
  for (const concurrency of CONCURRENCIES) {
    const runs = new Map<VariantName, Run[]>(VARIANTS.map((name) => [name, []]));
    // One warm-up round, then variants in turn each run.
    for (let run = 0; run <= THROUGHPUT_RUNS; run++) {
      for (const name of VARIANTS) {
        await settle();
        const measured = await throughput(variants[name], concurrency, THROUGHPUT_CALLS, gateway);
        if (run > 0) runs.get(name)?.push(measured);
      }
    }
    const of = (name: VariantName): Run[] => runs.get(name) ?? [];
    const byVariant = <T>(f: (name: VariantName) => T): Record<VariantName, T> => ({
      oneSession: f('oneSession'),
      eightSessions: f('eightSessions'),
      minimalOne: f('minimalOne'),
      minimalEight: f('minimalEight'),
      direct: f('direct'),
    });
    results.push({
      concurrency,
      rates: byVariant((name) => stat(of(name).map((r) => r.rate))),
      gatewayCpu: byVariant((name) => {
        const cpu = of(name).map((r) => r.gatewayCpu);
        return cpu.every((c) => c !== undefined) ? stat(cpu) : undefined;
      }),
      clientCpu: byVariant((name) => stat(of(name).map((r) => r.clientCpu))),
    });
    process.stderr.write(`  measured: throughput at concurrency ${String(concurrency)}\n`);
  }
  return results;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const machine = machineInfo();
  process.stderr.write(
    `@corral/services-aggregator bench: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}\n` +
      `  latency: ${CALL_RUNS} runs of ${CALLS} calls per side after ${CALL_WARMUPS}; ` +
      `throughput: ${THROUGHPUT_RUNS} runs of ${THROUGHPUT_CALLS} calls per variant\n`,
  );
  const gateway = await startGateway();
  const { command, args: fixtureArgs } = fixtureServer({ name: 'bench', tools: 4 });
  const bare = new Client({ name: 'bench-direct', version: '1.0.0' });
  await bare.connect(new StdioClientTransport({ command, args: fixtureArgs }));
  const clients: Client[] = [];
  const minimalClients: MinimalClient[] = [];
  try {
    for (let i = 0; i < SESSIONS; i++) {
      const client = new Client({ name: `bench-${String(i)}`, version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
      clients.push(client);
    }
    const sessions = clients.map((client) => caller(client, 'x_bench_echo'));
    const viaAggregator = sessions[0];
    check(viaAggregator !== undefined, 'no session');
    const direct = caller(bare, 'echo');

    const first = clients[0];
    check(first !== undefined, 'no client');
    const ping: Call = async () => {
      await first.ping();
    };
    const minimal = new MinimalClient(new URL(gateway.url));
    await minimal.initialize();
    const latency = await measureLatency(viaAggregator, direct, ping, minimal);
    minimal.close();
    // Light load: minimal clients, enough sockets for the highest concurrency.
    const maxConcurrency = Math.max(...CONCURRENCIES);
    const loadOne = new MinimalClient(new URL(gateway.url), maxConcurrency);
    minimalClients.push(loadOne);
    await loadOne.initialize();
    for (let i = 0; i < SESSIONS; i++) {
      const load = new MinimalClient(new URL(gateway.url), Math.ceil(maxConcurrency / SESSIONS));
      minimalClients.push(load);
      await load.initialize();
    }
    const [, ...loadEight] = minimalClients;
    const rates = await measureThroughput(
      {
        oneSession: [viaAggregator],
        eightSessions: sessions,
        minimalOne: [minimalCaller(loadOne)],
        minimalEight: loadEight.map(minimalCaller),
        direct: [direct],
      },
      gateway,
    );
    await report(machine, latency, rates);
  } finally {
    for (const m of minimalClients) m.close();
    await Promise.all(clients.map((c) => c.close()));
    await bare.close();
    await gateway.stop();
  }
}

async function report(
  machine: ReturnType<typeof machineInfo>,
  latency: readonly LatencySample[],
  rates: readonly ThroughputResult[],
): Promise<void> {
  const ratio = stat(latency.map((s) => s.aggregator.p50 / s.direct.p50));
  const aggP50 = stat(latency.map((s) => s.aggregator.p50));
  const directP50 = stat(latency.map((s) => s.direct.p50));
  const aggP99 = stat(latency.map((s) => s.aggregator.p99));
  const directP99 = stat(latency.map((s) => s.direct.p99));
  const pingP50 = stat(latency.map((s) => s.ping.p50));
  const minimalEchoP50 = stat(latency.map((s) => s.minimalEcho.p50));
  const minimalPingP50 = stat(latency.map((s) => s.minimalPing.p50));
  const minimalRatio = stat(latency.map((s) => s.minimalEcho.p50 / s.direct.p50));
  const latencyPass = ratio.median <= TARGET_P50_RATIO;
  const rows: Row[] = [
    {
      measurement: `echo p50 through the aggregator ÷ direct stdio (per run of ${CALLS})`,
      unit: '×',
      digits: 2,
      stat: ratio,
      target: `≤ ${TARGET_P50_RATIO}×`,
      pass: latencyPass,
    },
    {
      sub: true,
      measurement: 'p50 through the aggregator (streamable HTTP)',
      unit: 'ms',
      digits: 3,
      stat: aggP50,
    },
    {
      sub: true,
      measurement: 'p50 direct (bare SDK client, stdio)',
      unit: 'ms',
      digits: 3,
      stat: directP50,
    },
    {
      sub: true,
      measurement: 'p99 through the aggregator',
      unit: 'ms',
      digits: 3,
      stat: aggP99,
      note: `${(aggP99.median / directP99.median).toFixed(2)}× direct`,
    },
    { sub: true, measurement: 'p99 direct', unit: 'ms', digits: 3, stat: directP99 },
    {
      sub: true,
      measurement: 'reference: ping p50 through the aggregator (the SDK HTTP round trip alone)',
      unit: 'ms',
      digits: 3,
      stat: pingP50,
      note: `${(pingP50.median / directP50.median).toFixed(2)}× direct echo`,
    },
    {
      sub: true,
      measurement: 'reference: echo p50 through the aggregator from a minimal HTTP client (no SDK)',
      unit: 'ms',
      digits: 3,
      stat: minimalEchoP50,
      note: `${minimalRatio.median.toFixed(2)}× direct echo`,
    },
    {
      sub: true,
      measurement: 'reference: ping p50 through the aggregator from the minimal HTTP client',
      unit: 'ms',
      digits: 3,
      stat: minimalPingP50,
    },
  ];
  const atTarget = (r: ThroughputResult, name: VariantName): boolean =>
    r.rates[name].median >= TARGET_CALLS_PER_SECOND;
  const target64 = rates.find((r) => r.concurrency === 64);
  const sdkThroughputPass =
    target64 !== undefined &&
    atTarget(target64, 'oneSession') &&
    atTarget(target64, 'eightSessions');
  const gatewayThroughputPass =
    target64 !== undefined &&
    atTarget(target64, 'minimalOne') &&
    atTarget(target64, 'minimalEight');
  const cpuNote = (cpu: Stat | undefined): string =>
    cpu === undefined ? '' : `gateway ${cpu.median.toFixed(0)} µs CPU/call`;
  for (const r of rates) {
    const target = r.concurrency === 64;
    const c = String(r.concurrency);
    const row = (name: VariantName, measurement: string): Row => ({
      measurement,
      unit: 'calls/s',
      digits: 0,
      stat: r.rates[name],
      ...(target
        ? { target: `≥ ${String(TARGET_CALLS_PER_SECOND)}`, pass: atTarget(r, name) }
        : {}),
      note: `${(r.rates[name].median / r.rates.direct.median).toFixed(2)}× direct stdio`,
    });
    const best = Math.max(
      r.rates.oneSession.median,
      r.rates.eightSessions.median,
      r.rates.minimalOne.median,
      r.rates.minimalEight.median,
    );
    rows.push(
      row('oneSession', `calls/s at concurrency ${c}, one session (SDK client)`),
      row(
        'eightSessions',
        `calls/s at concurrency ${c}, ${String(SESSIONS)} sessions (SDK clients)`,
      ),
      row('minimalOne', `calls/s at concurrency ${c}, one session (minimal HTTP client, no SDK)`),
      row(
        'minimalEight',
        `calls/s at concurrency ${c}, ${String(SESSIONS)} sessions (minimal HTTP clients)`,
      ),
      {
        sub: true,
        measurement: `reference: direct stdio client at concurrency ${c}`,
        unit: 'calls/s',
        digits: 0,
        stat: r.rates.direct,
        note: best >= r.rates.direct.median ? 'the aggregator is faster' : '',
      },
    );
    if (target) {
      rows.push(
        {
          sub: true,
          measurement: `CPU per call of the SDK client (this process), concurrency ${c}, one session`,
          unit: 'µs',
          digits: 0,
          stat: r.clientCpu.oneSession,
          note: cpuNote(r.gatewayCpu.oneSession),
        },
        {
          sub: true,
          measurement: `CPU per call of the minimal client (this process), concurrency ${c}, one session`,
          unit: 'µs',
          digits: 0,
          stat: r.clientCpu.minimalOne,
          note: cpuNote(r.gatewayCpu.minimalOne),
        },
      );
      const sdkClient = r.clientCpu.oneSession;
      const sdkGateway = r.gatewayCpu.oneSession;
      if (sdkGateway !== undefined) {
        // Every call costs the client and the gateway this much CPU on the same cores (the
        // backend's share left out, so this is an upper bound): no server can do better.
        const ceiling = (machine.cores * 1e6) / (sdkClient.median + sdkGateway.median);
        rows.push({
          sub: true,
          measurement: `most calls/s one SDK client process can reach here: ${String(machine.cores)} cores ÷ (client + gateway CPU per call)`,
          unit: 'calls/s',
          digits: 0,
          stat: stat([ceiling]),
          note: ceiling < TARGET_CALLS_PER_SECOND ? 'below the target, whatever the gateway' : '',
        });
      }
    }
  }

  console.log(`\n@corral/services-aggregator benchmark — ${machineSummary(machine)}`);
  console.log('medians with min – max over runs\n');
  console.log(textTable(rows));
  const { met, total } = targetsMet(rows);
  console.log(
    `\n${met} of ${total} targets met (load average at start: ${machine.loadAverageAtStart.join(' ')})`,
  );

  const method = {
    setup:
      'the gateway (bench/gateway.ts: createCorral with the MCP server and aggregator plugins, the fixture ' +
      'server over stdio, the aggregator on 127.0.0.1) runs in a process of its own; this process is the ' +
      'client: SDK clients over streamable HTTP to the aggregator, and a bare SDK client over stdio to another ' +
      'fixture instance as the baseline, and minimal HTTP clients (no SDK) as a light load; three processes ' +
      'on the machine’s cores (four with the fixture behind the gateway)',
    latency:
      `sequential callTool echo { text: 'x' }: ${CALL_RUNS} runs of ${CALLS} calls per side after ${CALL_WARMUPS} ` +
      `warm-up calls, in alternating blocks of ${CALL_BLOCK}; the ratio is aggregator p50 ÷ direct p50 within each run; ` +
      `then ${CALLS} pings on the same session (the aggregator answers them itself: no server behind), and ` +
      `${CALLS} pings and echoes from a minimal HTTP client (bench/minimal-client.ts: node:http, one keep-alive ` +
      'socket, no SDK) to see the aggregator apart from the SDK client',
    throughput:
      `${THROUGHPUT_CALLS} echo calls by N concurrent workers, on one session or round-robin over ${SESSIONS} sessions, ` +
      `${THROUGHPUT_RUNS} runs after one warm-up round, variants in turn; the direct stdio client at the same ` +
      'concurrency for reference. Two kinds of client, both in this process: SDK clients (Client + ' +
      'StreamableHTTPClientTransport — what an SDK client sees) and minimal HTTP clients (bench/minimal-client.ts ' +
      `with up to ${String(Math.max(...CONCURRENCIES))} keep-alive sockets per run, no SDK — what the gateway sustains ` +
      'when the client costs little). The ≥ 2000 calls/s target is held against both at concurrency 64: the ' +
      'minimal-client rows measure the gateway’s capacity (what the target is about: the peers it is compared ' +
      'with are gateways); the SDK-client rows show what one SDK client process sharing the same 2 cores gets, ' +
      'where the client’s own CPU per call (measured, from process.cpuUsage; the gateway’s from /proc) caps the rate',
  };
  const json = {
    package: '@corral/services-aggregator',
    machine,
    method: {
      calls: CALLS,
      callWarmups: CALL_WARMUPS,
      callRuns: CALL_RUNS,
      throughputCalls: THROUGHPUT_CALLS,
      throughputRuns: THROUGHPUT_RUNS,
      sessions: SESSIONS,
      import:
        '@corral/core, @corral/services-mcpserver, @corral/services-aggregator, @corral/testing (built dist/)',
      ...method,
    },
    targets: {
      p50RatioToDirect: TARGET_P50_RATIO,
      callsPerSecondAtConcurrency64: TARGET_CALLS_PER_SECOND,
    },
    results: {
      latency: {
        unit: 'ms',
        pass: latencyPass,
        p50Ratio: roundStat(ratio, 3),
        aggregatorP50: roundStat(aggP50, 4),
        directP50: roundStat(directP50, 4),
        aggregatorP99: roundStat(aggP99, 4),
        directP99: roundStat(directP99, 4),
        pingP50ThroughAggregator: roundStat(pingP50, 4),
        minimalClientEchoP50: roundStat(minimalEchoP50, 4),
        minimalClientEchoP50Ratio: roundStat(minimalRatio, 3),
        minimalClientPingP50: roundStat(minimalPingP50, 4),
      },
      throughput: {
        unit: 'calls/s',
        /** The SDK-client rows at concurrency 64 (client and gateway share the cores). */
        pass: sdkThroughputPass,
        /** The minimal-client rows at concurrency 64: what the gateway sustains. */
        gatewayPass: gatewayThroughputPass,
        byConcurrency: rates.map((r) => ({
          concurrency: r.concurrency,
          oneSession: roundStat(r.rates.oneSession, 0),
          eightSessions: roundStat(r.rates.eightSessions, 0),
          minimalClientOneSession: roundStat(r.rates.minimalOne, 0),
          minimalClientEightSessions: roundStat(r.rates.minimalEight, 0),
          direct: roundStat(r.rates.direct, 0),
          cpuMicrosPerCall: Object.fromEntries(
            VARIANTS.map((name) => [
              name,
              {
                gateway: r.gatewayCpu[name] && roundStat(r.gatewayCpu[name], 0),
                client: roundStat(r.clientCpu[name], 0),
              },
            ]),
          ),
        })),
      },
    },
  };
  const markdown = resultsMarkdown({
    packageName: '@corral/services-aggregator',
    script: 'packages/services-aggregator/bench/run.ts',
    machine,
    method: 'medians with min – max over repeated runs',
    rows,
    notes: { setup: method.setup, latency: method.latency, throughput: method.throughput },
  });
  await writeResults(new URL('.', import.meta.url), 'results', { json, markdown });
}

await main();

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
 *    sessions, with the direct stdio client's throughput at the same concurrency for reference.
 *
 * A script, not a test: it exits non-zero only if a measured run was wrong (a wrong answer, a
 * failed call), never because it was slow. Medians with min–max over repeated runs: this runs
 * on small shared machines, so read the ratios to the same-run baseline.
 */
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
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

const TARGET_P50_RATIO = 2.5;
const TARGET_CALLS_PER_SECOND = 2_000;

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const args = { text: 'x' };

interface Gateway {
  readonly url: string;
  stop(): Promise<void>;
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
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

function echoText(result: unknown): string {
  if (typeof result !== 'object' || result === null || !('content' in result)) return '';
  const first: unknown = Array.isArray(result.content) ? result.content[0] : undefined;
  return typeof first === 'object' &&
    first !== null &&
    'text' in first &&
    typeof first.text === 'string'
    ? first.text
    : '';
}

type Call = () => Promise<void>;

function caller(client: Client, name: string): Call {
  return async () => {
    const result = await client.callTool({ name, arguments: args });
    check(echoText(result) === 'x', `${name} answered ${JSON.stringify(result)}`);
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
  const minimalEcho: Call = async () => {
    const text = await minimal.request('tools/call', { name: 'x_bench_echo', arguments: args });
    check(text.includes('"text":"x"'), `the minimal client got ${text}`);
  };
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

/** `total` calls by `concurrency` workers, spread over `calls` round-robin; calls per second. */
async function throughput(
  calls: readonly Call[],
  concurrency: number,
  total: number,
): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const call = calls[worker % calls.length];
      check(call !== undefined, 'no caller');
      while (next++ < total) await call();
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

interface ThroughputResult {
  readonly concurrency: number;
  readonly oneSession: Stat;
  readonly eightSessions: Stat;
  readonly direct: Stat;
}

async function measureThroughput(
  oneSession: Call,
  sessions: readonly Call[],
  direct: Call,
): Promise<ThroughputResult[]> {
  const results: ThroughputResult[] = [];
  for (const concurrency of CONCURRENCIES) {
    const one: number[] = [];
    const eight: number[] = [];
    const bare: number[] = [];
    // One warm-up round, then variants in turn each run.
    for (let run = 0; run <= THROUGHPUT_RUNS; run++) {
      for (const [calls, into] of [
        [[oneSession], one],
        [sessions, eight],
        [[direct], bare],
      ] as const) {
        await settle();
        const rate = await throughput(calls, concurrency, THROUGHPUT_CALLS);
        if (run > 0) into.push(rate);
      }
    }
    results.push({
      concurrency,
      oneSession: stat(one),
      eightSessions: stat(eight),
      direct: stat(bare),
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
    const rates = await measureThroughput(viaAggregator, sessions, direct);
    await report(machine, latency, rates);
  } finally {
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
  let throughputPass = true;
  for (const r of rates) {
    const target = r.concurrency === 64;
    const best = Math.max(r.oneSession.median, r.eightSessions.median);
    if (target)
      throughputPass =
        r.oneSession.median >= TARGET_CALLS_PER_SECOND &&
        r.eightSessions.median >= TARGET_CALLS_PER_SECOND;
    rows.push(
      {
        measurement: `calls/s at concurrency ${String(r.concurrency)}, one session`,
        unit: 'calls/s',
        digits: 0,
        stat: r.oneSession,
        ...(target
          ? {
              target: `≥ ${String(TARGET_CALLS_PER_SECOND)}`,
              pass: r.oneSession.median >= TARGET_CALLS_PER_SECOND,
            }
          : {}),
        note: `${(r.oneSession.median / r.direct.median).toFixed(2)}× direct stdio`,
      },
      {
        measurement: `calls/s at concurrency ${String(r.concurrency)}, ${String(SESSIONS)} sessions`,
        unit: 'calls/s',
        digits: 0,
        stat: r.eightSessions,
        ...(target
          ? {
              target: `≥ ${String(TARGET_CALLS_PER_SECOND)}`,
              pass: r.eightSessions.median >= TARGET_CALLS_PER_SECOND,
            }
          : {}),
        note: `${(r.eightSessions.median / r.direct.median).toFixed(2)}× direct stdio`,
      },
      {
        sub: true,
        measurement: `reference: direct stdio client at concurrency ${String(r.concurrency)}`,
        unit: 'calls/s',
        digits: 0,
        stat: r.direct,
        note: best >= r.direct.median ? 'the aggregator is faster' : '',
      },
    );
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
      'fixture instance as the baseline; three processes on the machine’s cores',
    latency:
      `sequential callTool echo { text: 'x' }: ${CALL_RUNS} runs of ${CALLS} calls per side after ${CALL_WARMUPS} ` +
      `warm-up calls, in alternating blocks of ${CALL_BLOCK}; the ratio is aggregator p50 ÷ direct p50 within each run; ` +
      `then ${CALLS} pings on the same session (the aggregator answers them itself: no server behind), and ` +
      `${CALLS} pings and echoes from a minimal HTTP client (bench/minimal-client.ts: node:http, one keep-alive ` +
      'socket, no SDK) to see the aggregator apart from the SDK client',
    throughput:
      `${THROUGHPUT_CALLS} echo calls by N concurrent workers, on one session or round-robin over ${SESSIONS} sessions ` +
      `(each an SDK client), ${THROUGHPUT_RUNS} runs after one warm-up round, variants in turn; the direct stdio ` +
      'client at the same concurrency for reference',
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
        pass: throughputPass,
        byConcurrency: rates.map((r) => ({
          concurrency: r.concurrency,
          oneSession: roundStat(r.oneSession, 0),
          eightSessions: roundStat(r.eightSessions, 0),
          direct: roundStat(r.direct, 0),
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

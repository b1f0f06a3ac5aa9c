/**
 * Crash-recovery benchmark, run by `pnpm bench` (node --expose-gc --import tsx bench/recovery.ts;
 * alone: `pnpm --filter @corral/services-aggregator bench:recovery`). It lives here because it
 * needs the whole stack — core, services-mcpserver and the aggregator — and this package is the
 * one that may depend on all three. It imports the built packages, so build first.
 *
 * A gateway (core + services-mcpserver + the aggregator on a free port of 127.0.0.1) runs one
 * stdio fixture server; an SDK client is connected to the gateway over streamable HTTP. Each run
 * SIGKILLs the server and times, from the kill, until the first successful call of its tool
 * through the gateway (`x_crashy_echo`) — what a user sees. The parts come from core's event
 * stream and a readiness hook: detection (kill → failed), backoff wait (failed → starting),
 * restart (starting → running: spawn, initialize, list), registration (running → the
 * aggregator's `registered` signal) and the client's first success after that.
 * Variants alternate run by run:
 * - core's default backoff (first retry within 1 s, full jitter): what a user gets;
 * - backoff 0 (random source pinned to 0): Corral's own overhead;
 * - baseline: a bare SDK client spawning the same server and listing its tools (cold start).
 *
 * A script, not a test: it exits non-zero only if a measured run was wrong (not if it was slow).
 */
import { setTimeout as sleep } from 'node:timers/promises';
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
  statOf,
  targetsMet,
  textTable,
  toolResultText,
  writeResults,
  type Row,
  type Stat,
} from '@corral/bench-kit';
import {
  createCorral,
  defaultOrchestratorOptions,
  mathRandom,
  silentLogger,
  type RandomSource,
} from '@corral/core';
import { MCPServerService, mcpServerPlugin } from '@corral/services-mcpserver';
import { aggregatorPlugin, AggregatorService } from '@corral/services-aggregator';
import { descendantsOf, fixtureServer, isProcessAlive } from '@corral/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

// Overridable for exploring (e.g. CORRAL_BENCH_RECOVERY_RUNS=30 pnpm bench).
const WARMUPS = envInt('CORRAL_BENCH_RECOVERY_WARMUPS', 2);
const RUNS = Math.max(1, envInt('CORRAL_BENCH_RECOVERY_RUNS', 15));
/**
 * Pause between the client's attempts: long while the server is not yet running again (no call
 * can succeed then, and a busy client would slow the restart it measures), short after.
 */
const POLL_MS = 1;
const IDLE_POLL_MS = 25;
/** A run not recovered after this long is wrong, not slow. */
const DEADLINE_MS = 60_000;
const SERVER = 'crashy';
const TOOL = `x_${SERVER}_echo`;
const INITIAL_DELAY_MS = defaultOrchestratorOptions.retry.initialDelayMs;
const SERVER_COMMAND = fixtureServer({ name: SERVER, tools: 4 });

/** Times (performance.now()) of one recovery, from the kill to the first successful call. */
interface Timeline {
  kill: number;
  failed?: number;
  starting?: number;
  running?: number;
  registered?: number;
  callable?: number;
  /** Calls the client made, the successful one included. */
  attempts: number;
  /** Calls begun after registration that still failed. */
  failedAfterRegistered: number;
  /** How long the successful call itself took. */
  successfulCallMs?: number;
}

/** A timeline starting now; its other times are set by the event listener and the hook. */
function newTimeline(): Timeline {
  return { kill: performance.now(), attempts: 0, failedAfterRegistered: 0 };
}

interface RecoverySample {
  readonly totalMs: number;
  readonly detectMs: number;
  readonly backoffMs: number;
  readonly restartMs: number;
  readonly registerMs: number;
  readonly gatewayMs: number;
  readonly attempts: number;
  readonly failedAfterRegistered: number;
  readonly successfulCallMs: number;
}

/** Whether `result` is a successful echo of 'x' (a tool error while the server is down is not). */
function succeeded(result: unknown): boolean {
  const isError =
    typeof result === 'object' && result !== null && 'isError' in result && result.isError === true;
  return !isError && toolResultText(result) === 'x';
}

/** The random source core draws jitter from: pinned to 0 (no backoff) or Math.random. */
class SwitchableRandom implements RandomSource {
  zero = false;
  next(): number {
    return this.zero ? 0 : mathRandom.next();
  }
}

interface Gateway {
  readonly recover: (variant: 'default' | 'zero') => Promise<RecoverySample>;
  readonly stop: () => Promise<void>;
}

async function startGateway(): Promise<Gateway> {
  const random = new SwitchableRandom();
  const corral = await createCorral({
    plugins: [mcpServerPlugin, aggregatorPlugin],
    logger: silentLogger,
    random,
    config: {
      services: {
        [SERVER]: { type: 'MCPServer', ...SERVER_COMMAND },
        gateway: { type: 'Aggregator', port: 0 },
      },
    },
  });
  let timeline: Timeline | undefined;
  let wake: (() => void) | undefined;
  corral.events.listen((event) => {
    if (event.name !== SERVER || event.oldState === event.newState || !timeline) return;
    const now = performance.now();
    if (event.newState === 'failed') timeline.failed ??= now;
    if (event.newState === 'starting' && timeline.failed !== undefined) timeline.starting ??= now;
    if (event.newState === 'running' && timeline.starting !== undefined) {
      timeline.running ??= now;
      wake?.();
    }
  });
  await corral.start();
  // Called right after the aggregator's own hook, which registers the tools synchronously.
  corral.orchestrator.addReadinessHook({
    name: 'bench: registration time',
    waitFor: (service) => {
      if (service.name === SERVER && timeline?.running !== undefined) {
        timeline.registered ??= performance.now();
      }
      return undefined;
    },
  });
  const server = corral.registry.get(SERVER);
  const gateway = corral.registry.get('gateway');
  check(server instanceof MCPServerService, `${SERVER} is no MCPServerService`);
  check(gateway instanceof AggregatorService, 'the gateway is no AggregatorService');
  const url = gateway.url;
  check(url !== undefined, `the gateway is not serving HTTP: ${gateway.lastError?.message ?? ''}`);
  const client = new Client({ name: 'corral-bench', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const call = async (): Promise<boolean> => {
    try {
      return succeeded(await client.callTool({ name: TOOL, arguments: { text: 'x' } }));
    } catch {
      return false; // unknown tool or a dropped request while the server is down
    }
  };
  check(await call(), `${TOOL} does not answer before the first kill`);

  return {
    async recover(variant) {
      check(server.state === 'running', `${SERVER} is ${server.state} before the kill`);
      const pid = server.pid;
      check(pid !== undefined, `${SERVER} reports no pid`);
      random.zero = variant === 'zero';
      const t = newTimeline();
      timeline = t;
      process.kill(pid, 'SIGKILL');
      const deadline = t.kill + DEADLINE_MS;
      for (;;) {
        check(
          performance.now() < deadline,
          `${TOOL} not callable ${DEADLINE_MS} ms after the kill`,
        );
        t.attempts++;
        const begun = performance.now();
        const afterRegistration = t.registered !== undefined;
        // Only a success after the failure was seen counts: never one that left before the kill.
        if ((await call()) && t.failed !== undefined) {
          t.callable = performance.now();
          t.successfulCallMs = t.callable - begun;
          break;
        }
        if (afterRegistration) t.failedAfterRegistered++;
        if (t.running !== undefined) {
          await sleep(POLL_MS);
          continue;
        }
        const idle = new AbortController();
        wake = () => {
          idle.abort();
        };
        await sleep(IDLE_POLL_MS, undefined, { signal: idle.signal }).catch(() => undefined);
        wake = undefined;
      }
      timeline = undefined;
      check(!isProcessAlive(pid), `the killed server ${pid} is alive`);
      check(server.pid !== pid, 'the server was not restarted');
      const { failed, starting, running, registered, callable } = t;
      check(
        starting !== undefined && running !== undefined && registered !== undefined,
        `incomplete timeline ${JSON.stringify(t)}`,
      );
      return {
        totalMs: callable - t.kill,
        detectMs: failed - t.kill,
        backoffMs: starting - failed,
        restartMs: running - starting,
        registerMs: registered - running,
        gatewayMs: callable - registered,
        attempts: t.attempts,
        failedAfterRegistered: t.failedAfterRegistered,
        successfulCallMs: t.successfulCallMs ?? Number.NaN,
      };
    },
    async stop() {
      await client.close();
      await corral.stop();
    },
  };
}

/**
 * Baseline: a bare SDK client spawns the same server and lists its tools (a cold start), then
 * makes its first call — a fresh server's first call is slow, behind the gateway or not.
 */
async function bareColdStart(): Promise<RecoverySample> {
  const client = new Client({ name: 'corral-bench', version: '0.0.0' });
  const t0 = performance.now();
  await client.connect(new StdioClientTransport(SERVER_COMMAND));
  const { tools } = await client.listTools();
  const t1 = performance.now();
  const result = await client.callTool({ name: 'echo', arguments: { text: 'x' } });
  const t2 = performance.now();
  check(tools.length > 0, 'the bare client listed no tools');
  check(succeeded(result), `the bare client's echo answered ${JSON.stringify(result)}`);
  await client.close();
  return {
    totalMs: t1 - t0,
    detectMs: 0,
    backoffMs: 0,
    restartMs: t1 - t0,
    registerMs: 0,
    gatewayMs: 0,
    attempts: 1,
    failedAfterRegistered: 0,
    successfulCallMs: t2 - t1,
  };
}

async function main(): Promise<void> {
  const machine = machineInfo();
  process.stderr.write(
    `@corral/services-aggregator crash-recovery bench: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}\n` +
      `  kill -9 → first successful call through the gateway; ${WARMUPS} warm-up round(s) + ${RUNS} runs per variant\n`,
  );
  const checkNoChildLeft = await childProcessCheck(() => descendantsOf(process.pid));
  const gateway = await startGateway();
  let results;
  try {
    results = await interleave(
      'crash recovery',
      [
        { name: 'default', run: () => gateway.recover('default') },
        { name: 'zero', run: () => gateway.recover('zero') },
        { name: 'bare', run: bareColdStart },
      ] as const,
      { warmups: WARMUPS, runs: RUNS },
    );
  } finally {
    await gateway.stop();
  }
  await checkNoChildLeft('the gateway');

  const byDefault = results.get('default').measured;
  const zero = results.get('zero').measured;
  const bare = results.get('bare').measured;
  const coldStart = statOf(bare, 'totalMs');
  const bareFirstCall = statOf(bare, 'successfulCallMs');
  const vsCold = (s: Stat): string =>
    `${(s.median / coldStart.median).toFixed(2)}× bare cold start`;
  const rows: Row[] = [];
  const variantRows = (label: string, samples: readonly RecoverySample[]): void => {
    const total = statOf(samples, 'totalMs');
    rows.push(
      {
        measurement: `kill -9 → tool callable through the gateway, ${label}`,
        unit: 'ms',
        stat: total,
        note: vsCold(total),
      },
      {
        sub: true,
        measurement: 'detection: kill → failed',
        unit: 'ms',
        stat: statOf(samples, 'detectMs'),
      },
      {
        sub: true,
        measurement: 'backoff wait: failed → starting',
        unit: 'ms',
        stat: statOf(samples, 'backoffMs'),
      },
      {
        sub: true,
        measurement: 'restart: starting → running (spawn, initialize, list)',
        unit: 'ms',
        stat: statOf(samples, 'restartMs'),
        note: vsCold(statOf(samples, 'restartMs')),
      },
      {
        sub: true,
        measurement: "registration: running → the aggregator's registered signal",
        unit: 'ms',
        digits: 3,
        stat: statOf(samples, 'registerMs'),
      },
      {
        sub: true,
        measurement: `gateway: registered → first successful call (polled every ${POLL_MS} ms)`,
        unit: 'ms',
        stat: statOf(samples, 'gatewayMs'),
        note: `calls failed after registration: ${statOf(samples, 'failedAfterRegistered').max} at most`,
      },
      {
        sub: true,
        measurement: 'of which the successful call itself',
        unit: 'ms',
        stat: statOf(samples, 'successfulCallMs'),
        note: `bare client's first call ${bareFirstCall.median.toFixed(1)} ms`,
      },
    );
  };
  variantRows(
    `default backoff (first retry within ${INITIAL_DELAY_MS / 1000} s, jittered)`,
    byDefault,
  );
  variantRows('backoff 0 (Corral’s own overhead)', zero);
  rows.push(
    {
      sub: true,
      measurement: 'baseline: bare SDK client spawns the server and lists tools (cold start)',
      unit: 'ms',
      stat: coldStart,
    },
    {
      sub: true,
      measurement: "baseline: that client's first callTool echo to the fresh server",
      unit: 'ms',
      stat: bareFirstCall,
    },
  );

  console.log(`\n@corral/services-aggregator crash recovery — ${machineSummary(machine)}`);
  console.log(`medians with min – max over ${RUNS} runs; variants alternate run by run\n`);
  console.log(textTable(rows));
  const { met, total } = targetsMet(rows);
  console.log(
    `\n${met} of ${total} targets met (load average at start: ${machine.loadAverageAtStart.join(' ')})`,
  );

  const method =
    'a gateway in this process (createCorral with services-mcpserver and the aggregator on ' +
    '127.0.0.1, port 0) runs one stdio fixture server (4 plain tools); an SDK client is connected ' +
    'to it over streamable HTTP. Each run sends SIGKILL to the server process and calls ' +
    `${TOOL} until one call succeeds (a tool error or a failed request while the server is down ` +
    `counts as not yet; ${IDLE_POLL_MS} ms between attempts until the running event, ${POLL_MS} ms ` +
    'after it, so the client does not load the restart it measures; only a success after the ' +
    'failed event ' +
    'counts). The parts are timed by a synchronous listener on core’s event stream (failed, ' +
    'starting, running) and a readiness hook added after the aggregator’s (registered); every ' +
    'time is performance.now() in this process, and the parts add up to the total. The baseline ' +
    'is a bare SDK client connecting (spawn + initialize) and listing tools of the same server, ' +
    'then timing its first call to it';
  const variantJson = (samples: readonly RecoverySample[]): Record<string, unknown> => {
    const part = (key: keyof RecoverySample, digits = 1): unknown =>
      roundStat(statOf(samples, key), digits);
    return {
      totalMs: part('totalMs'),
      detectMs: part('detectMs', 2),
      backoffMs: part('backoffMs'),
      restartMs: part('restartMs'),
      registerMs: part('registerMs', 3),
      gatewayMs: part('gatewayMs', 2),
      attempts: part('attempts', 0),
      failedAfterRegistered: part('failedAfterRegistered', 0),
      successfulCallMs: part('successfulCallMs', 2),
      ratioToColdStart: round(statOf(samples, 'totalMs').median / coldStart.median, 3),
    };
  };
  const json = {
    package: '@corral/services-aggregator',
    bench: 'recovery',
    machine,
    method: {
      warmups: WARMUPS,
      runs: RUNS,
      pollMs: POLL_MS,
      idlePollMs: IDLE_POLL_MS,
      initialDelayMs: INITIAL_DELAY_MS,
      import:
        '@corral/core, @corral/services-mcpserver, @corral/services-aggregator, @corral/testing (built dist/)',
      description: method,
    },
    targets: {},
    results: {
      defaultBackoff: variantJson(byDefault),
      zeroBackoff: variantJson(zero),
      bareColdStartMs: roundStat(coldStart, 1),
      bareFirstCallMs: roundStat(bareFirstCall, 2),
    },
  };
  const markdown = resultsMarkdown({
    packageName: '@corral/services-aggregator — crash recovery',
    script: 'packages/services-aggregator/bench/recovery.ts',
    machine,
    method: 'medians with min – max over repeated runs; the three variants alternate run by run',
    rows,
    notes: {
      'crash recovery': method,
      'backoff 0':
        'core’s random source is pinned to 0, so the first retry (full jitter over 0–1 s by ' +
        'default) is due at once: what is left is detection, restart, registration and the call',
    },
  });
  await writeResults(new URL('.', import.meta.url), 'recovery', { json, markdown });
}

await main();

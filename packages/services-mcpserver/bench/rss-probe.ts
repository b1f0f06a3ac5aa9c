/**
 * The memory probe of `run.ts`: one fresh, plain `node` process (no tsx) that brings N stdio
 * servers up — through Corral, or through bare SDK clients — and prints its own memory as one
 * JSON line. RSS is per process, so the servers' own memory is excluded by construction.
 * Run by `runInPlainNode` (it imports packages only, and takes its input from the environment).
 */
import { setImmediate as nextMacrotask, setTimeout as sleep } from 'node:timers/promises';

export interface ProbeInput {
  readonly mode: 'corral' | 'bare';
  readonly servers: readonly { name: string; command: string; args: string[] }[];
  readonly tools: number;
  /** Idle this long after start-up before the `rest` reading. */
  readonly restMs: number;
}

export interface MemoryFigures {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
}

export interface ProbeOutput {
  /** A bare node process, before anything is imported. */
  readonly empty: MemoryFigures;
  /** After importing what the mode needs (Corral and the plugin, or the SDK client). */
  readonly imported: MemoryFigures;
  /** With every server up and its tools listed, right away. */
  readonly running: MemoryFigures;
  /** The same, `restMs` later: what a long-running orchestrator holds. */
  readonly rest: MemoryFigures;
  /** The servers' pids, for the parent to check that none outlived the stop. */
  readonly pids: number[];
}

function readInput(): ProbeInput {
  const raw = process.env['CORRAL_BENCH_INPUT'];
  if (raw === undefined) throw new Error('rss-probe needs CORRAL_BENCH_INPUT');
  return JSON.parse(raw) as ProbeInput; // written by run.ts from the type above
}

/** Memory after the current job has ended and two full collections. */
async function memory(): Promise<MemoryFigures> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with --expose-gc');
  await nextMacrotask();
  gc();
  gc();
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external };
}

function fail(message: string): never {
  throw new Error(`rss-probe: ${message}`);
}

async function viaCorral(input: ProbeInput, empty: MemoryFigures): Promise<ProbeOutput> {
  const { createCorral, silentLogger } = await import('@corral/core');
  const { mcpServerPlugin, MCPServerService } = await import('@corral/services-mcpserver');
  const imported = await memory();
  const services: Record<string, unknown> = {};
  for (const { name, command, args } of input.servers) {
    services[name] = { type: 'MCPServer', command, args };
  }
  const corral = await createCorral({
    plugins: [mcpServerPlugin],
    logger: silentLogger,
    config: { services },
  });
  await corral.start();
  const pids: number[] = [];
  for (const service of corral.registry.list()) {
    if (!(service instanceof MCPServerService)) fail(`${service.name} is no MCPServerService`);
    if (service.state !== 'running') fail(`${service.name} is ${service.state}`);
    if (service.listTools().length !== input.tools) fail(`${service.name} lists the wrong tools`);
    if (service.pid === undefined) fail(`${service.name} has no pid`);
    pids.push(service.pid);
  }
  if (pids.length !== input.servers.length) fail('not every server was registered');
  const running = await memory();
  await sleep(input.restMs);
  const rest = await memory();
  await corral.stop();
  return { empty, imported, running, rest, pids };
}

async function viaBareClients(input: ProbeInput, empty: MemoryFigures): Promise<ProbeOutput> {
  const { Client } = await import('@modelcontextprotocol/client');
  const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
  const imported = await memory();
  const up = await Promise.all(
    input.servers.map(async ({ command, args }) => {
      const transport = new StdioClientTransport({ command, args });
      const client = new Client({ name: 'corral-bench', version: '0.0.0' });
      await client.connect(transport);
      const { tools } = await client.listTools();
      if (tools.length !== input.tools) fail('a server lists the wrong tools');
      return { client, pid: transport.pid ?? fail('a server has no pid') };
    }),
  );
  const running = await memory();
  await sleep(input.restMs);
  const rest = await memory();
  await Promise.all(up.map(({ client }) => client.close()));
  return { empty, imported, running, rest, pids: up.map((u) => u.pid) };
}

const empty = await memory();
const input = readInput();
const output =
  input.mode === 'corral' ? await viaCorral(input, empty) : await viaBareClients(input, empty);
process.stdout.write(`${JSON.stringify(output)}\n`);

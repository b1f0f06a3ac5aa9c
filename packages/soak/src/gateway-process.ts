import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { waitFor } from '@corral/testing';

const require = createRequire(import.meta.url);

/** The built `corral` CLI (`apps/gateway/dist/cli.js`). */
export function corralCliPath(): string {
  return join(dirname(require.resolve('@corral/gateway/package.json')), 'dist', 'cli.js');
}

/**
 * Loaded into the gateway with `--import`: it writes `process.memoryUsage()` to a file every
 * second, and after two full GCs when sent SIGUSR2 — `/metrics` has no heap figures (the
 * registry holds only Corral's own metrics), so this is how the soak sees the JS heap.
 */
const HEAP_PROBE = `import { renameSync, writeFileSync } from 'node:fs';
const file = process.env.CORRAL_SOAK_HEAP_FILE;
if (file) {
  const write = (collected) => {
    if (collected && typeof globalThis.gc === 'function') { globalThis.gc(); globalThis.gc(); }
    const m = process.memoryUsage();
    const target = collected ? file + '.gc' : file;
    writeFileSync(target + '.tmp', JSON.stringify({ at: Date.now(), heapUsed: m.heapUsed, rss: m.rss }));
    renameSync(target + '.tmp', target);
  };
  setInterval(() => write(false), 1000).unref();
  process.on('SIGUSR2', () => write(true));
}
`;

export interface HeapSample {
  readonly at: number;
  readonly heapUsed: number;
  readonly rss: number;
}

/** A running `corral serve --json` process. */
export class GatewayProcess {
  private gone = false;
  private stdout = '';
  private stderrTail: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    private readonly heapFile: string,
    readonly logPath: string,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.gone = true;
        resolve({ code, signal });
      });
    });
  }

  /** Spawns `node cli.js serve --config … --port 0 --json --no-watch`, with the heap probe. */
  static async start(configPath: string, workDir: string): Promise<GatewayProcess> {
    const probePath = join(workDir, 'heap-probe.mjs');
    await writeFile(probePath, HEAP_PROBE);
    const heapFile = join(workDir, 'heap.json');
    const logPath = join(workDir, 'gateway.log');
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        pathToFileURL(probePath).href,
        corralCliPath(),
        'serve',
        '--config',
        configPath,
        '--port',
        '0',
        '--json',
        '--no-watch',
      ],
      {
        env: { ...process.env, NO_COLOR: '1', CORRAL_SOAK_HEAP_FILE: heapFile },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const pid = child.pid;
    if (pid === undefined) throw new Error('corral serve did not start');
    const gateway = new GatewayProcess(child, pid, heapFile, logPath);
    const log = createWriteStream(logPath);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (gateway.stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      log.write(chunk);
      gateway.stderrTail.push(chunk);
      if (gateway.stderrTail.length > 200) gateway.stderrTail.shift();
    });
    child.once('exit', () => log.end());
    await gateway.banner();
    return gateway;
  }

  /** `http://127.0.0.1:PORT/mcp`, read from the ready banner. */
  url = '';

  get origin(): string {
    return new URL(this.url).origin;
  }

  private async banner(): Promise<void> {
    try {
      this.url = await waitFor(
        () => {
          if (this.gone) throw new Error('corral serve exited early');
          return /MCP endpoint \(streamable HTTP\):\s+(\S+)/.exec(this.stdout)?.[1];
        },
        { timeoutMs: 120_000, intervalMs: 50, description: 'the ready banner' },
      );
    } catch (error) {
      this.child.kill('SIGKILL');
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}\n${this.stderrTail.join('')}`,
        { cause: error },
      );
    }
  }

  get running(): boolean {
    return !this.gone;
  }

  /** The last sample the probe wrote (no GC). */
  async heap(): Promise<HeapSample | undefined> {
    return readSample(this.heapFile);
  }

  /** Two full GCs, then the heap and RSS: what the process really holds. */
  async heapAfterGc(): Promise<HeapSample> {
    const asked = Date.now();
    this.child.kill('SIGUSR2');
    return waitFor(
      async () => {
        const sample = await readSample(`${this.heapFile}.gc`);
        return sample !== undefined && sample.at >= asked ? sample : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50, description: 'the heap probe to answer SIGUSR2' },
    );
  }

  /** Sends `signal` and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
  }> {
    if (!this.gone) this.child.kill(signal);
    return this.exited;
  }

  /** What it last wrote to stderr, for a failure message. */
  stderr(): string {
    return this.stderrTail.join('');
  }
}

async function readSample(path: string): Promise<HeapSample | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as HeapSample;
  } catch {
    return undefined;
  }
}

/**
 * Runs the built `corral` CLI as a user would: a real process, real ports, real MCP clients.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { descendantsOf, isProcessAlive, waitFor } from '@corral/testing';

export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `corral <args>` to completion. */
export function corral(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      {
        cwd: options.cwd,
        env: { ...process.env, NO_COLOR: '1', ...options.env },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A `corral serve` process. */
export interface ServeProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** `http://127.0.0.1:<port>/mcp`, read from the ready banner. */
  readonly url: string;
  /** `--port`/`--url` arguments for `corral status` and friends. */
  readonly urlArgs: readonly string[];
  stdout(): string;
  stderr(): string;
  /** Parsed pino lines from stderr. */
  logs(): Record<string, unknown>[];
  /** Resolves with the exit code once it has exited. */
  readonly exited: Promise<number | null>;
  /** Every process it had started, as of now (its descendants). */
  descendants(): Promise<number[]>;
  /** Sends `signal` and waits for the exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `corral serve <args>` on a free port and waits for its ready banner. */
export async function serve(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; readyTimeoutMs?: number } = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let gone = false;
  void exited.then(() => (gone = true));
  const pid = child.pid;
  if (pid === undefined) throw new Error('corral serve did not start');
  let url: string;
  try {
    url = await waitFor(
      () => {
        if (gone) throw new Error(`corral serve exited early:\n${stderr}`);
        return /MCP endpoint \(streamable HTTP\):\s+(\S+)/.exec(stdout)?.[1];
      },
      { timeoutMs: options.readyTimeoutMs ?? 60_000, description: 'the ready banner' },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\nstdout:\n${stdout}\nstderr:\n${stderr}`,
      { cause: error },
    );
  }
  const base = new URL(url);
  return {
    child,
    pid,
    url,
    urlArgs: ['--url', base.origin],
    stdout: () => stdout,
    stderr: () => stderr,
    logs: () =>
      stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exited,
    descendants: () => descendantsOf(pid),
    async stop(signal = 'SIGTERM') {
      if (!gone) child.kill(signal);
      return exited;
    },
  };
}

/** An SDK client connected to the gateway over streamable HTTP. */
export async function connect(url: string): Promise<Client> {
  const client = new Client({ name: 'gateway-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** A temporary directory, removed by `dispose`. */
export async function tempDir(): Promise<{ dir: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'corral-gateway-e2e-'));
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeConfig(dir: string, name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

/** Waits until none of `pids` is alive. */
export async function allGone(pids: readonly number[]): Promise<void> {
  await waitFor(() => pids.every((pid) => !isProcessAlive(pid)), {
    timeoutMs: 10_000,
    description: `processes ${pids.join(', ')} to be gone`,
  });
}

/** GET a JSON route of the gateway's management API. */
export async function api<T>(url: string, path: string): Promise<T> {
  const response = await fetch(new URL(path, url));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export interface ServiceView {
  readonly name: string;
  readonly state: string;
  readonly data?: { readonly pid?: number | null };
}

export async function services(url: string): Promise<Map<string, ServiceView>> {
  const body = await api<{ services: ServiceView[] }>(url, '/api/services');
  return new Map(body.services.map((service) => [service.name, service]));
}

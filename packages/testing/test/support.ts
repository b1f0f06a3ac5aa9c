import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  Client,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type CallToolResult,
  type ClientOptions,
} from '@modelcontextprotocol/client';
import {
  StdioClientTransport,
  type StdioServerParameters,
} from '@modelcontextprotocol/client/stdio';
import type { Readable } from 'node:stream';
import type { ProcessExit } from '../src/index.js';

const cleanups: (() => Promise<unknown>)[] = [];

/** Runs `fn` in `runCleanups` (call that from afterEach), last registered first. */
export function onCleanup(fn: () => Promise<unknown>): void {
  cleanups.push(fn);
}

export async function runCleanups(): Promise<void> {
  const errors: unknown[] = [];
  for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) {
    await fn().catch((error: unknown) => errors.push(error));
  }
  if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed');
}

/** A client that can answer sampling, elicitation and roots requests. */
export function newClient(options: ClientOptions = {}): Client {
  return new Client(
    { name: 'corral-testing', version: '0.0.0' },
    {
      capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } },
      ...options,
    },
  );
}

/** Collects a stream's lines, for assertions on what a server wrote to stderr. */
export class Lines {
  readonly all: string[] = [];
  constructor(stream: Readable | null) {
    if (stream) createInterface({ input: stream }).on('line', (line) => this.all.push(line));
  }
  has(text: string): boolean {
    return this.all.some((line) => line.includes(text));
  }
}

/** Connects `client` to a stdio server (stderr piped and collected); closed in cleanup. */
export async function connectStdio(
  params: StdioServerParameters,
  client: Client = newClient(),
): Promise<{ client: Client; transport: StdioClientTransport; stderr: Lines }> {
  const transport = new StdioClientTransport({ ...params, stderr: 'pipe' });
  const stderr = new Lines(transport.stderr as Readable | null);
  onCleanup(() => client.close());
  await client.connect(transport);
  return { client, transport, stderr };
}

/** Connects `client` to `url` over streamable HTTP or legacy SSE; closed in cleanup. */
export async function connectHttp(
  kind: 'streamable-http' | 'sse',
  url: string,
  client: Client = newClient(),
): Promise<Client> {
  const transport =
    kind === 'sse'
      ? // eslint-disable-next-line @typescript-eslint/no-deprecated -- SSE servers are what we test
        new SSEClientTransport(new URL(url))
      : new StreamableHTTPClientTransport(new URL(url));
  onCleanup(() => client.close());
  await client.connect(transport);
  return client;
}

/**
 * A process in its own group with stdin kept open, for what the SDK's stdio transport does not
 * show: exit codes, and process groups that outlive their leader. Killed in cleanup.
 */
export function spawnGroup(command: string, args: string[]) {
  const child = spawn(command, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const { pid } = child;
  if (pid === undefined) throw new Error(`could not spawn ${command}`);
  const exited = new Promise<ProcessExit>((resolve) => {
    // 'close', not 'exit': by then everything it wrote has been read.
    child.once('close', (code, signal) => {
      resolve({ code, signal });
    });
  });
  onCleanup(async () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
  });
  return {
    pid,
    exited,
    stdout: new Lines(child.stdout),
    stderr: new Lines(child.stderr),
    /** Calls `listener` with each chunk read from stdout, as it arrives. */
    onStdout(listener: (chunk: Buffer) => void) {
      child.stdout.on('data', listener);
    },
    /** Writes JSON-RPC messages, one per line, as a stdio client would. */
    send(...messages: object[]) {
      for (const message of messages) child.stdin.write(`${JSON.stringify(message)}\n`);
    },
    endStdin() {
      child.stdin.end();
    },
  };
}

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw', version: '0' },
  },
};
export const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };

/** The text of a tool result's text blocks, joined. */
export function textOf(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

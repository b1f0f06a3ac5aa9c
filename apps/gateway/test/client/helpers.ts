import type { Corral } from '@corral/core';
import { waitFor } from '@corral/testing';
import { type ClientOptions, resolveClientOptions } from '../../src/client/index.js';
import type { Io } from '../../src/io.js';
import { startInProcessGateway } from '../in-process-gateway.js';

/** Generous: the machine is small and shared. Tests wait for things, never for a time. */
export const WAIT = { timeoutMs: 30_000 };

/** What a command wrote, as strings. */
export interface CapturedIo extends Io {
  readonly out: () => string;
  readonly err: () => string;
}

export function captureIo(
  options: { env?: Record<string, string>; tty?: boolean; columns?: number } = {},
): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: {
      write: (text: string) => (out += text),
      ...(options.tty === true ? { isTTY: true } : {}),
      ...(options.columns !== undefined ? { columns: options.columns } : {}),
    },
    stderr: { write: (text: string) => (err += text) },
    env: options.env ?? {},
    cwd: process.cwd(),
    out: () => out,
    err: () => err,
  };
}

/** A real gateway in-process: fixture MCP servers and the aggregator on a free 127.0.0.1 port. */
export interface TestGateway {
  readonly corral: Corral;
  /** What `corral serve` prints for MCP clients: `http://127.0.0.1:PORT/mcp`. */
  readonly mcpUrl: string;
  /** Client options for it (through `resolveClientOptions`, as the CLI builds them). */
  readonly client: (flags?: { token?: string }) => ClientOptions;
  close(): Promise<void>;
}

export async function startGateway(
  options: { servers?: readonly string[]; token?: string } = {},
): Promise<TestGateway> {
  const { corral, mcpUrl } = await startInProcessGateway({
    servers: options.servers ?? ['fx'],
    aggregator: options.token !== undefined ? { token: options.token } : {},
  });
  return {
    corral,
    mcpUrl,
    client: (flags = {}) => resolveClientOptions({ url: mcpUrl, ...flags }, {}),
    close: () => corral.stop(),
  };
}

/** Resolves once the gateway holds `count` more event-stream subscribers than `before`. */
export async function streamsOpen(corral: Corral, before: number, count = 1): Promise<void> {
  await waitFor(() => corral.events.subscriberCount >= before + count, {
    ...WAIT,
    description: 'the event stream to be open',
  });
}

/** The lines a command printed, without the trailing empty one. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

import { type Corral, createCorral } from '@corral/core';
import { AggregatorService } from '@corral/services-aggregator';
import { capturingLogger, fixtureServer, waitFor } from '@corral/testing';
import { type ClientOptions, resolveClientOptions } from '../../src/client/index.js';
import type { Io } from '../../src/io.js';
import { builtinPlugins, GATEWAY_SERVICE_NAME } from '../../src/plugins.js';

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
  const services: Record<string, unknown> = {};
  for (const name of options.servers ?? ['fx']) {
    const { command, args } = fixtureServer({ name, tools: 3 });
    services[name] = { type: 'MCPServer', command, args };
  }
  services[GATEWAY_SERVICE_NAME] = {
    type: 'Aggregator',
    port: 0,
    ...(options.token !== undefined ? { token: options.token } : {}),
  };
  const corral = await createCorral({
    plugins: builtinPlugins(),
    config: { services },
    orchestrator: { stopTimeoutMs: 10_000 },
    logger: capturingLogger(),
  });
  try {
    await corral.start();
    const aggregator = corral.registry.get(GATEWAY_SERVICE_NAME);
    if (!(aggregator instanceof AggregatorService)) throw new Error('no aggregator service');
    const mcpUrl = await waitFor(() => aggregator.url, {
      ...WAIT,
      description: 'the aggregator URL',
    });
    return {
      corral,
      mcpUrl,
      client: (flags = {}) => resolveClientOptions({ url: mcpUrl, ...flags }, {}),
      close: () => corral.stop(),
    };
  } catch (error) {
    await corral.stop();
    throw error;
  }
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

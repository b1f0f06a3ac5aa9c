import { createServer, type Server } from 'node:http';
import { type Corral, createCorral, type ServiceStateChangedEvent } from '@corral/core';
import {
  fixtureServer,
  type FixtureOptions,
  referenceServer,
  type RunningServer,
  waitFor,
} from '@corral/testing';
import { mcpServerPlugin, MCPServerService } from '../src/index.js';

/** Generous: the machine is small and shared. Tests wait for events, never for a time. */
export const WAIT = { timeoutMs: 30_000 };

/** An MCPServer entry for server-everything over stdio, run with this very node binary. */
export function everythingStdio(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { command, args } = referenceServer('everything');
  return { type: 'MCPServer', command, args, ...extra };
}

/** An MCPServer entry for the misbehaving fixture server over stdio. */
export function fixture(
  options: FixtureOptions = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const { command, args } = fixtureServer(options);
  return { type: 'MCPServer', command, args, ...extra };
}

/** Matches the event of service `name` entering `state` (not a health change while in it). */
export function becomes(name: string, state: string): (event: ServiceStateChangedEvent) => boolean {
  return (event) =>
    event.name === name && event.newState === state && event.oldState !== event.newState;
}

/** Every corral and server a test made, stopped after each test whatever happened. */
const live: Corral[] = [];
const servers: { close(): Promise<void> }[] = [];

export async function stopAll(): Promise<void> {
  await Promise.all(live.splice(0).map((corral) => corral.stop()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
}

/** Closes `server` with the test's other resources. */
export function closeAfterTest<T extends RunningServer | { close(): Promise<void> }>(server: T): T {
  servers.push(server);
  return server;
}

/** An HTTP server on 127.0.0.1 that answers every request 401 Unauthorized. */
export async function unauthorizedServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' });
    response.end('unauthorized');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return closeAfterTest({
    url: `http://127.0.0.1:${address.port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  });
}

import { capturingLogger } from '@corral/testing';

export { capturingLogger };

export interface Harness {
  readonly corral: Corral;
  readonly events: ServiceStateChangedEvent[];
  readonly logs: string[];
  /** Waits for an event after index `from` that matches, and returns it. */
  waitForEvent(
    description: string,
    match: (event: ServiceStateChangedEvent) => boolean,
    from?: number,
  ): Promise<ServiceStateChangedEvent>;
  /** The service itself, for its capabilities. */
  service(name: string): MCPServerService;
  /** The running stdio server's pid (and process group), from its status data. */
  pidOf(name: string): number;
}

/** A corral with the MCP server plugin, quick retries, and every event and log line recorded. */
export async function harness(
  services: Record<string, unknown>,
  options: { invalidServices?: 'throw' | 'skip' } = {},
): Promise<Harness> {
  const logger = capturingLogger();
  const corral = await createCorral({
    plugins: [mcpServerPlugin],
    config: { services },
    orchestrator: { retry: { initialDelayMs: 100 }, stopTimeoutMs: 10_000 },
    logger,
    ...options,
  });
  live.push(corral);
  const events: ServiceStateChangedEvent[] = [];
  corral.events.listen((event) => {
    events.push(event);
  });
  return {
    corral,
    events,
    logs: logger.lines,
    waitForEvent: (description, match, from = 0) =>
      waitFor(() => events.slice(from).find(match), { ...WAIT, description }),
    service: (name) => {
      const service = corral.registry.get(name);
      if (!(service instanceof MCPServerService)) throw new Error(`'${name}' is no MCPServer`);
      return service;
    },
    pidOf: (name) => {
      const pid = corral.orchestrator.getServiceInfo(name).data?.['pid'];
      // Never let a missing pid become kill(-0): that is our own process group.
      if (typeof pid !== 'number' || pid <= 1) throw new Error(`service '${name}' has no pid`);
      return pid;
    },
  };
}

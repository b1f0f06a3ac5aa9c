import {
  type Corral,
  createCorral,
  type ServiceStateChangedEvent,
  silentLogger,
} from '@corral/core';
import { waitFor } from '@corral/testing';
import { processPlugin } from '../src/index.js';

/** Generous: the machine is small and shared. Tests wait for events, never for a time. */
export const WAIT = { timeoutMs: 15_000 };

/** A `process` entry that runs `script` with this very node binary. */
export function nodeService(
  script: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { type: 'process', command: process.execPath, args: ['-e', script], ...extra };
}

/** A TCP server on PORT that answers and closes; careful with resets like a real server. */
export const tcpServerScript = `
const net = require('node:net');
net.createServer((s) => { s.on('error', () => {}); s.end('hi\\n'); })
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
`;

export { freePort } from '@corral/testing';

/** Every corral a test made, stopped after each test whatever happened. */
const live: Corral[] = [];

export async function stopAll(): Promise<void> {
  await Promise.all(live.splice(0).map((corral) => corral.stop()));
}

export interface Harness {
  readonly corral: Corral;
  readonly events: ServiceStateChangedEvent[];
  /** Waits for an event after index `from` that matches, and returns it. */
  waitForEvent(
    description: string,
    match: (event: ServiceStateChangedEvent) => boolean,
    from?: number,
  ): Promise<ServiceStateChangedEvent>;
  /** The running process's pid (and process group), from the service's status data. */
  pidOf(name: string): number;
}

/** A corral with the process plugin, quick retries, and every event recorded. */
export async function harness(services: Record<string, unknown>): Promise<Harness> {
  const corral = await createCorral({
    plugins: [processPlugin],
    config: { services },
    orchestrator: { retry: { initialDelayMs: 200 }, stopTimeoutMs: 5_000 },
    logger: silentLogger,
  });
  live.push(corral);
  const events: ServiceStateChangedEvent[] = [];
  corral.events.listen((event) => {
    events.push(event);
  });
  return {
    corral,
    events,
    waitForEvent: (description, match, from = 0) =>
      waitFor(() => events.slice(from).find(match), { ...WAIT, description }),
    pidOf: (name) => {
      const pid = corral.orchestrator.getServiceInfo(name).data?.['pid'];
      // Never let a missing pid become kill(-0): that is our own process group.
      if (typeof pid !== 'number' || pid <= 1) throw new Error(`service '${name}' has no pid`);
      return pid;
    },
  };
}

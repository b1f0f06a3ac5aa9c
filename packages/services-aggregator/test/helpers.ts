import {
  type Corral,
  type CorralPlugin,
  createCorral,
  type ServiceStateChangedEvent,
} from '@corral/core';
import { mcpServerPlugin } from '@corral/services-mcpserver';
import { fixtureServer, type FixtureOptions, referenceServer, waitFor } from '@corral/testing';
import {
  Client,
  type ClientCapabilities,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { type AggregatorConfig, aggregatorPlugin, AggregatorService } from '../src/index.js';
import { OrderedDeliveryTransport } from '@corral/services-mcpserver';

/** Generous: the machine is small and shared. Tests wait for events, never for a time. */
export const WAIT = { timeoutMs: 30_000 };

export const TOKEN = 'a-long-enough-test-token-0123456789';

/** An MCPServer entry for the fixture over stdio. */
export function fixture(
  options: FixtureOptions = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const { command, args } = fixtureServer(options);
  return { type: 'MCPServer', command, args, ...extra };
}

/** An MCPServer entry for a reference server over stdio, run with this node binary. */
export function reference(
  name: 'everything' | 'memory',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const { command, args, env } = referenceServer(name);
  return { type: 'MCPServer', command, args, env, ...extra };
}

import { capturingLogger } from '@corral/testing';

export { capturingLogger };

const live: { close(): Promise<void> }[] = [];

/** Closes every gateway and client a test opened, clients first. */
export async function closeAll(): Promise<void> {
  for (const thing of live.splice(0).reverse()) await thing.close().catch(() => undefined);
}

/** Closes `thing` after the test. */
export function closeAfterTest<T extends { close(): Promise<void> }>(thing: T): T {
  live.push(thing);
  return thing;
}

export interface Gateway {
  readonly corral: Corral;
  readonly aggregator: AggregatorService;
  readonly url: string;
  readonly logs: string[];
  readonly events: ServiceStateChangedEvent[];
}

/**
 * A corral with the MCP server and aggregator plugins, the given services, and an aggregator
 * named `gateway` on a free port; started.
 */
export async function gateway(
  services: Record<string, unknown>,
  config: AggregatorConfig & Record<string, unknown> = {},
  options: { plugins?: CorralPlugin[]; start?: boolean } = {},
): Promise<Gateway> {
  const logger = capturingLogger();
  const corral = await createCorral({
    plugins: [mcpServerPlugin, aggregatorPlugin, ...(options.plugins ?? [])],
    config: {
      services: { ...services, gateway: { type: 'Aggregator', port: 0, ...config } },
    },
    orchestrator: { retry: { initialDelayMs: 100 }, stopTimeoutMs: 10_000 },
    logger,
  });
  closeAfterTest({ close: () => corral.stop() });
  const events: ServiceStateChangedEvent[] = [];
  corral.events.listen((event) => {
    events.push(event);
  });
  if (options.start !== false) await corral.start();
  const aggregator = corral.registry.get('gateway');
  if (!(aggregator instanceof AggregatorService)) throw new Error('no aggregator');
  return {
    corral,
    aggregator,
    get url() {
      const url = aggregator.url;
      if (url === undefined) throw new Error(`the aggregator is ${aggregator.state}`);
      return url;
    },
    logs: logger.lines,
    events,
  };
}

export interface TestClient extends Client {
  /** `list_changed` notifications received, by kind, in order. */
  readonly changes: string[];
}

/**
 * An SDK client over streamable HTTP, on a transport that keeps the wire's order (so the last
 * progress report is never dropped by the client's own dispatch order).
 */
export async function connect(
  url: string,
  options: { capabilities?: ClientCapabilities; headers?: Record<string, string> } = {},
): Promise<TestClient> {
  const changes: string[] = [];
  const client = Object.assign(
    new Client(
      { name: 'aggregator-test', version: '1.0.0' },
      { capabilities: options.capabilities ?? {} },
    ),
    { changes },
  );
  for (const kind of ['tools', 'resources', 'prompts'] as const) {
    client.setNotificationHandler(`notifications/${kind}/list_changed`, () => {
      changes.push(kind);
    });
  }
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    ...(options.headers ? { requestInit: { headers: options.headers } } : {}),
  });
  await client.connect(new OrderedDeliveryTransport(transport));
  closeAfterTest(client);
  return client;
}

/** Tool names a client lists, sorted. */
export async function toolNames(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((t) => t.name).sort();
}

/** Waits until `client` lists (or stops listing) `name`. */
export async function waitForTool(client: Client, name: string, present = true): Promise<void> {
  await waitFor(async () => (await toolNames(client)).includes(name) === present, {
    ...WAIT,
    description: `tool ${name} to ${present ? 'appear' : 'vanish'}`,
  });
}

/** The text of a tool result's text blocks. */
export function textOf(result: unknown): string {
  if (typeof result !== 'object' || result === null || !('content' in result)) return '';
  const content = result.content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block: unknown) =>
      typeof block === 'object' &&
      block !== null &&
      'text' in block &&
      typeof block.text === 'string'
        ? block.text
        : '',
    )
    .join('');
}

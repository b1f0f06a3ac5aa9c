import { createServer, type Server } from 'node:http';
import {
  BaseService,
  CoreTokens,
  CorralError,
  type Corral,
  type CorralPlugin,
  createCorral,
  type HttpRouteProvider,
  type JsonObject,
  type RestartPolicy,
  type ServiceDataProvider,
  type ServiceStateChangedEvent,
  type ToolCallResult,
} from '@corral/core';
import { getRequestListener } from '@hono/node-server';
import { waitFor } from '@corral/testing';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import {
  type ApiAdapter,
  type ApiAdapterOptions,
  ApiAdapterTokens,
  createApiAdapterPlugin,
} from '../src/index.js';

/** Generous: the machine is small and shared. Tests wait for things, never for a time. */
export const WAIT = { timeoutMs: 30_000 };

export class MemoryStartError extends CorralError {
  readonly code = 'MEMORY_START_REFUSED';
}

/**
 * A service that lives in memory: starts and stops at once, deterministically. `failStarts`
 * makes the next starts fail with `failure`. It reports status data of its own.
 */
export class MemoryService extends BaseService implements ServiceDataProvider {
  failStarts = 0;
  failure = 'the memory service refused to start: port 4242 is taken';
  starts = 0;

  constructor(
    name: string,
    options: {
      type?: string;
      dependencies?: readonly string[];
      autoStart?: boolean;
      restartPolicy?: RestartPolicy;
    } = {},
  ) {
    super({
      name,
      type: options.type ?? 'Memory',
      dependencies: options.dependencies ?? [],
      autoStart: options.autoStart ?? true,
      restartPolicy: options.restartPolicy ?? 'never',
    });
  }

  protected doStart(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    this.starts++;
    if (this.failStarts > 0) {
      this.failStarts--;
      return Promise.reject(new MemoryStartError(this.failure));
    }
    return Promise.resolve();
  }

  protected doStop(): Promise<void> {
    return Promise.resolve();
  }

  getServiceData(): JsonObject {
    return { starts: this.starts };
  }
}

import { capturingLogger } from '@corral/testing';

export { capturingLogger };

// ---------------------------------------------------------------------------------------------
// Cleanup: every corral, server and stream a test made is closed after it.

const cleanups: (() => Promise<void>)[] = [];

export async function closeAll(): Promise<void> {
  const pending = cleanups.splice(0).reverse();
  for (const cleanup of pending) await cleanup();
}

// ---------------------------------------------------------------------------------------------
// A corral with the API adapter.

export interface Harness {
  readonly corral: Corral;
  readonly adapter: ApiAdapter;
  /** Every event, as the bus published it. */
  readonly events: ServiceStateChangedEvent[];
  readonly logs: string[];
  memory(name: string): MemoryService;
  /** Calls a tool by its own name and returns the result. */
  tool(name: string, args?: JsonObject): Promise<ToolCallResult>;
  /** Waits for an event at or after index `from` that matches. */
  waitForEvent(
    description: string,
    match: (event: ServiceStateChangedEvent) => boolean,
    from?: number,
  ): Promise<ServiceStateChangedEvent>;
}

export interface HarnessOptions {
  readonly services?: readonly MemoryService[];
  readonly config?: Record<string, unknown>;
  readonly plugins?: readonly CorralPlugin[];
  readonly adapter?: ApiAdapterOptions;
  /** Start the corral (default true). */
  readonly start?: boolean;
}

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const logger = capturingLogger();
  const corral = await createCorral({
    plugins: [createApiAdapterPlugin(options.adapter), ...(options.plugins ?? [])],
    config: { services: options.config ?? {} },
    orchestrator: { retry: { initialDelayMs: 100 }, stopTimeoutMs: 10_000 },
    logger,
  });
  cleanups.push(() => corral.stop());
  for (const service of options.services ?? []) corral.registry.register(service);
  const events: ServiceStateChangedEvent[] = [];
  corral.events.listen((event) => {
    events.push(event);
  });
  if (options.start ?? true) await corral.start();
  const adapter = corral.resolve(ApiAdapterTokens.Adapter);
  return {
    corral,
    adapter,
    events,
    logs: logger.lines,
    memory: (name) => {
      const service = corral.registry.get(name);
      if (!(service instanceof MemoryService)) throw new Error(`'${name}' is no MemoryService`);
      return service;
    },
    tool: (name, args = {}) => adapter.executeTool(name, args),
    waitForEvent: (description, match, from = 0) =>
      waitFor(() => events.slice(from).find(match), { ...WAIT, description }),
  };
}

/** Matches service `name` entering `state`. */
export function becomes(name: string, state: string): (event: ServiceStateChangedEvent) => boolean {
  return (event) =>
    event.name === name && event.newState === state && event.oldState !== event.newState;
}

/** The one provider the corral's root container holds for the adapter's routes. */
export function routesOf(corral: Corral): HttpRouteProvider {
  const [routes, ...others] = corral.container.resolveAll<HttpRouteProvider>(CoreTokens.HttpRoutes);
  if (!routes || others.length > 0) throw new Error('expected exactly one HttpRouteProvider');
  return routes;
}

// ---------------------------------------------------------------------------------------------
// Real HTTP: the provider's fetch on 127.0.0.1, port 0.

export interface Served {
  readonly url: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string): Promise<Response>;
}

export async function serve(routes: HttpRouteProvider): Promise<Served> {
  const listener = getRequestListener((request) => routes.fetch(request));
  const server: Server = createServer((request, response) => {
    void listener(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  );
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    get: (path, headers = {}) => fetch(`${url}${path}`, { headers }),
    post: (path) => fetch(`${url}${path}`, { method: 'POST' }),
  };
}

/** The body's JSON, checked to be an object. */
export async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error(`expected a JSON object, got ${JSON.stringify(body)}`);
  }
  return body as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Server-Sent Events over a real fetch stream, parsed with eventsource-parser.

export interface EventStreamClient {
  readonly response: Response;
  readonly messages: EventSourceMessage[];
  readonly comments: string[];
  /** Every byte received, for secret checks. */
  readonly raw: () => string;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  readonly isEnded: () => boolean;
  waitForMessages(count: number, description: string): Promise<EventSourceMessage[]>;
  close(): void;
}

export async function openEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStreamClient> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const body = response.body;
  if (!body) throw new Error('the event stream has no body');
  const messages: EventSourceMessage[] = [];
  const comments: string[] = [];
  let raw = '';
  let ended = false;
  const parser = createParser({
    onEvent: (message) => {
      messages.push(message);
    },
    onComment: (comment) => {
      comments.push(comment);
    },
  });
  const reading = (async () => {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        raw += value;
        parser.feed(value);
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      ended = true;
    }
  })();
  cleanups.push(async () => {
    controller.abort();
    await reading.catch(() => undefined);
  });
  return {
    response,
    messages,
    comments,
    raw: () => raw,
    ended: reading,
    isEnded: () => ended,
    waitForMessages: (count, description) =>
      waitFor(() => (messages.length >= count ? messages.slice(0, count) : undefined), {
        ...WAIT,
        description: `${description} (have ${messages.length} of ${count})`,
      }),
    close: () => {
      controller.abort();
    },
  };
}

/** The `data` of a message, parsed. */
export function dataOf(message: EventSourceMessage): Record<string, unknown> {
  const data: unknown = JSON.parse(message.data);
  if (typeof data !== 'object' || data === null) throw new Error(`bad data ${message.data}`);
  return data as Record<string, unknown>;
}

/**
 * A real gateway in-process for the bad-input suites: two fixture MCP servers (`a`, `b`) behind
 * the aggregator on a free 127.0.0.1 port, the management API beside it, one tool denylisted —
 * plus raw HTTP helpers that send exactly the bytes a misbehaving client would.
 */
import { request as httpRequest } from 'node:http';
import type { Corral } from '@corral/core';
import type { AggregatorService } from '@corral/services-aggregator';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startInProcessGateway } from '../in-process-gateway.js';

/** Generous: the machine is small and shared. Tests wait for things, never for a time. */
export const WAIT = { timeoutMs: 30_000 };

/** The tool the gateway's denylist refuses (by exposed name). */
export const DENIED_TOOL = 'x_a_tool_1';

export interface BadInputGateway {
  readonly corral: Corral;
  readonly aggregator: AggregatorService;
  /** `http://127.0.0.1:PORT/mcp`. */
  readonly url: string;
  /** Client sessions the aggregator holds now. */
  sessions(): number;
  /** `POST /api/services/<name>/<action>`, as `corral start|stop NAME` sends it. */
  act(name: string, action: 'start' | 'stop'): Promise<void>;
  close(): Promise<void>;
}

export async function startBadInputGateway(): Promise<BadInputGateway> {
  const {
    corral,
    aggregator,
    mcpUrl: url,
  } = await startInProcessGateway({
    servers: ['a', 'b'],
    aggregator: { denylist: { add: [DENIED_TOOL] } },
  });
  return {
    corral,
    aggregator,
    url,
    sessions: () => aggregator.sessionCount,
    async act(name, action) {
      const response = await fetch(new URL(`/api/services/${name}/${action}`, url), {
        method: 'POST',
      });
      if (!response.ok) throw new Error(`${action} ${name}: HTTP ${response.status}`);
      await response.body?.cancel();
    },
    close: () => corral.stop(),
  };
}

/** A well-behaved SDK client session. */
export async function connectClient(url: string): Promise<Client> {
  const client = new Client({ name: 'bad-input-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

/** Ends the client's session on the gateway (DELETE), then closes it. */
export async function disconnect(client: Client): Promise<void> {
  const transport = client.transport;
  if (transport instanceof StreamableHTTPClientTransport) await transport.terminateSession();
  await client.close();
}

/** The text of a tool result's first text block. */
export function firstText(result: { content?: unknown }): string {
  const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
  const block = content.find(
    (b): b is { type: 'text'; text: string } =>
      typeof b === 'object' && b !== null && 'text' in b && typeof b.text === 'string',
  );
  return block?.text ?? '';
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * A request with exactly the headers and body given (fetch adds its own Accept and
 * Content-Type). An event stream's first chunk is enough: the stream is then dropped.
 */
export function raw(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      // A connection of its own: one the server closed after a refusal is never reused.
      { method: options.method ?? 'POST', headers: options.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        const done = (): void => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (String(res.headers['content-type']).includes('text/event-stream')) {
            res.destroy();
            done();
          }
        });
        res.on('end', done);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The JSON-RPC error code and message of a JSON error answer. */
export function rpcError(response: RawResponse): { code: number; message: string } | undefined {
  try {
    const parsed = JSON.parse(response.body) as { error?: { code: number; message: string } };
    return parsed.error;
  } catch {
    return undefined;
  }
}

/** What a streamable-HTTP client sends with every POST. */
export const MCP_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1.0.0' },
  },
});

/** Opens a session with raw requests (initialize, then initialized); resolves with its id. */
export async function rawSession(url: string): Promise<string> {
  const init = await raw(url, { headers: { ...MCP_HEADERS }, body: INITIALIZE });
  const id = init.headers['mcp-session-id'];
  if (init.status !== 200 || typeof id !== 'string') {
    throw new Error(`initialize: HTTP ${init.status} ${init.body}`);
  }
  const initialized = await raw(url, {
    headers: { ...MCP_HEADERS, 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  if (initialized.status !== 202) throw new Error(`initialized: HTTP ${initialized.status}`);
  return id;
}

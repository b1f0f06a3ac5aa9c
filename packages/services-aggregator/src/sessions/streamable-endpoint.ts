import { randomUUID } from 'node:crypto';
import type { Clock } from '@corral/core';
import type { RequestId } from '@modelcontextprotocol/server';
import { AnswerShapingTransport } from './answer-shaping-transport.js';
import type { ClientSession } from './client-session.js';
import type { SessionHub } from './session-hub.js';

/** Opens a session (its SDK server, not yet connected) under the given id. */
export type SessionFactory = (id: string) => ClientSession;

/** Largest request body accepted (the SDK's default is 4 MiB; tool arguments can be big). */
const MAX_REQUEST_BODY_BYTES = 64 * 1024 * 1024;

/**
 * MCP over streamable HTTP at one path: an `initialize` POST without a session id opens a
 * session (its own SDK server and transport); later requests carry `Mcp-Session-Id` and go to
 * it; `DELETE` ends it. A request for a session that is gone gets 404, so the client starts a
 * new one.
 */
export class StreamableEndpoint {
  private readonly transports = new Map<string, AnswerShapingTransport>();

  constructor(
    private readonly hub: SessionHub,
    private readonly open: SessionFactory,
    private readonly clock: Clock,
  ) {}

  /** Transports held, for leak checks: always the hub's sessions, no more. */
  get size(): number {
    return this.transports.size;
  }

  async handle(request: Request): Promise<Response> {
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId !== null) {
      const session = this.hub.get(sessionId);
      const transport = this.transports.get(sessionId);
      if (!session || !transport || session.closed) {
        return jsonRpcError(
          404,
          -32001,
          'Session not found: it was closed or expired. Initialize a new session.',
        );
      }
      session.touch(this.clock.now());
      const read = await readJsonBody(request);
      if (read.response) return read.response;
      const parsedBody = read.options?.parsedBody;
      const id = singleRequestId(parsedBody);
      return id === undefined
        ? transport.handleRequest(read.request, read.options)
        : transport.respond(read.request, parsedBody, id);
    }
    if (request.method !== 'POST') {
      return jsonRpcError(
        400,
        -32000,
        'Bad Request: send an initialize request first; every other request needs the ' +
          'Mcp-Session-Id header it returns.',
      );
    }
    const read = await readJsonBody(request);
    if (read.response) return read.response;
    const id = randomUUID();
    const session = this.open(id);
    const transport = new AnswerShapingTransport(
      {
        sessionIdGenerator: () => id,
        maxRequestBodySize: MAX_REQUEST_BODY_BYTES,
        onsessioninitialized: () => {
          this.transports.set(id, transport);
          this.hub.add(session);
        },
        onsessionclosed: () => {
          void session.close();
        },
      },
      this.clock,
    );
    session.onClosed(() => {
      this.transports.delete(id);
      this.hub.remove(session);
    });
    await session.server.connect(transport);
    const response = await transport.handleRequest(read.request, read.options);
    // Anything but an initialize was refused by the transport: nothing to keep.
    if (transport.sessionId === undefined) await session.close();
    return response;
  }

  /** Closes every session's transport. */
  async closeAll(): Promise<void> {
    const transports = [...this.transports.values()];
    this.transports.clear();
    await Promise.all(transports.map((t) => t.close().catch(() => undefined)));
  }
}

interface ReadBody {
  /** The request to hand the transport: the original, or a replay of a body that did not parse. */
  readonly request: Request;
  /** `parsedBody` when the body was read and parsed here. */
  readonly options?: { parsedBody: unknown };
  /** The answer already, when the body could not be read at all. */
  readonly response?: Response;
}

/**
 * Reads and parses a POST body of declared length up to the limit, so the transport gets it as
 * `parsedBody` instead of reading the web stream it would otherwise build for every request
 * (the costliest step of a call). Everything else goes to the transport untouched: no body, a
 * chunked body (the transport reads it under the limit), a declared length over the limit (the
 * transport answers 413 unread). A body that is not JSON is handed back as a fresh request, so
 * the transport's own checks (Accept, Content-Type) and its parse-error answer apply as before.
 */
async function readJsonBody(request: Request): Promise<ReadBody> {
  if (request.method !== 'POST') return { request };
  const length = request.headers.get('content-length');
  if (length === null || !(Number(length) <= MAX_REQUEST_BODY_BYTES)) return { request };
  let text: string;
  try {
    text = await request.text();
  } catch {
    // The client went away mid-body: answer as the transport does when its own read fails.
    return { request, response: jsonRpcError(400, -32700, 'Parse error: Invalid JSON') };
  }
  try {
    const parsedBody: unknown = JSON.parse(text);
    return { request, options: { parsedBody } };
  } catch {
    return {
      request: new Request(request.url, { method: 'POST', headers: request.headers, body: text }),
    };
  }
}

/** The id of a body that is one JSON-RPC request (not a batch, notification or response). */
function singleRequestId(body: unknown): RequestId | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  if (!('method' in body) || !('id' in body)) return undefined;
  const id = body.id;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });
}

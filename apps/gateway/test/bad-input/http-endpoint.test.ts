/**
 * Bad input at the MCP endpoint of a real gateway: malformed bodies, wrong headers, oversized
 * bodies, sessions that do not exist (any more), slow-loris clients. Each gets the status the
 * MCP streamable-HTTP transport specifies (and the SDK answers), leaves no session behind, and a
 * well-behaved SDK client keeps being served throughout.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { request as httpRequest } from 'node:http';
import type { Client } from '@modelcontextprotocol/client';
import { waitFor } from '@corral/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type BadInputGateway,
  connectClient,
  disconnect,
  firstText,
  INITIALIZE,
  MCP_HEADERS,
  raw,
  rawSession,
  rpcError,
  startBadInputGateway,
  WAIT,
} from './bad-input-gateway.js';

/** The aggregator's request body limit (packages/services-aggregator/README.md, HTTP). */
const BODY_LIMIT = 64 * 1024 * 1024;

let gateway: BadInputGateway;
let client: Client;

beforeAll(async () => {
  gateway = await startBadInputGateway();
  client = await connectClient(gateway.url);
}, 60_000);

afterAll(async () => {
  await disconnect(client);
  await gateway.close();
});

/** After every bad request: the well-behaved client is served, and no stray session is kept. */
afterEach(async () => {
  const result = await client.callTool({ name: 'x_a_echo', arguments: { text: 'still here' } });
  expect(result.isError).not.toBe(true);
  expect(firstText(result)).toContain('still here');
  await waitFor(() => gateway.sessions() === 1, {
    ...WAIT,
    description: 'only the well-behaved session to remain',
  });
}, 60_000);

/** Runs `test` in a raw session, which is deleted afterwards whatever happens. */
async function inRawSession(test: (id: string) => Promise<void>): Promise<void> {
  const id = await rawSession(gateway.url);
  try {
    await test(id);
  } finally {
    await raw(gateway.url, { method: 'DELETE', headers: sessionHeaders(id) });
  }
}

const sessionHeaders = (id: string): Record<string, string> => ({
  ...MCP_HEADERS,
  'mcp-session-id': id,
  'mcp-protocol-version': '2025-11-25',
});

const listTools = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });

describe('malformed bodies', () => {
  it('JSON that does not parse is 400 with a JSON-RPC parse error, with or without a session', async () => {
    await inRawSession(async (id) => {
      for (const body of ['{"jsonrpc": "2.0", "id": 1, "method": ', '{]', 'null x', '\u0000']) {
        const fresh = await raw(gateway.url, { headers: { ...MCP_HEADERS }, body });
        const inSession = await raw(gateway.url, { headers: sessionHeaders(id), body });
        for (const response of [fresh, inSession]) {
          expect(response.status, body).toBe(400);
          expect(rpcError(response)).toMatchObject({ code: -32700 });
        }
      }
    });
  });

  it('JSON that is not JSON-RPC is 400', async () => {
    await inRawSession(async (id) => {
      for (const body of ['{}', '"text"', '42', '{"jsonrpc": "1.0", "method": "x"}']) {
        const response = await raw(gateway.url, { headers: sessionHeaders(id), body });
        expect(response.status, body).toBe(400);
        expect(rpcError(response)?.code, body).toBeLessThan(0);
      }
      // A batch of more than 100 messages is refused as a whole.
      const batch = JSON.stringify(
        Array.from({ length: 101 }, (_, i) => ({ jsonrpc: '2.0', id: i + 10, method: 'ping' })),
      );
      const response = await raw(gateway.url, { headers: sessionHeaders(id), body: batch });
      expect(response.status).toBe(400);
      expect(rpcError(response)).toMatchObject({ code: -32600 });
    });
  });
});

describe('headers', () => {
  it('a Content-Type other than application/json is 415', async () => {
    await inRawSession(async (id) => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const fresh = await raw(gateway.url, {
          headers: { ...MCP_HEADERS, 'content-type': type },
          body: INITIALIZE,
        });
        const inSession = await raw(gateway.url, {
          headers: { ...sessionHeaders(id), 'content-type': type },
          body: listTools,
        });
        for (const response of [fresh, inSession]) {
          expect(response.status, type).toBe(415);
          expect(rpcError(response)?.message).toMatch(/Content-Type must be application\/json/);
        }
      }
      const none = await raw(gateway.url, {
        headers: { accept: MCP_HEADERS['accept'] ?? '' },
        body: INITIALIZE,
      });
      expect(none.status).toBe(415);
    });
  });

  it('an Accept without both application/json and text/event-stream is 406', async () => {
    await inRawSession(async (id) => {
      for (const accept of [undefined, 'application/json', 'text/event-stream', '*/*']) {
        const headers = { ...sessionHeaders(id) };
        delete headers['accept'];
        if (accept !== undefined) headers['accept'] = accept;
        const response = await raw(gateway.url, { headers, body: listTools });
        expect(response.status, String(accept)).toBe(406);
        expect(rpcError(response)?.message).toMatch(/Not Acceptable/);
      }
      // A GET (the event stream) must accept text/event-stream.
      const get = await raw(gateway.url, {
        method: 'GET',
        headers: { 'mcp-session-id': id, accept: 'application/json' },
      });
      expect(get.status).toBe(406);
    });
  });
});

describe('oversized bodies', () => {
  it('a declared Content-Length over the limit is 413, answered before the body is sent', async () => {
    await inRawSession(async (id) => {
      for (const session of [undefined, id]) {
        const head =
          'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          'Accept: application/json, text/event-stream\r\n' +
          (session === undefined ? '' : `Mcp-Session-Id: ${session}\r\n`) +
          `Content-Length: ${BODY_LIMIT + 1}\r\n\r\n{"jsonrpc": "2.0", `;
        const status = await statusOf(head);
        expect(status, String(session)).toBe(413);
      }
    });
  });

  it('a chunked body that grows over the limit is 413', async () => {
    await inRawSession(async (id) => {
      const response = await chunkedUpload(
        gateway.url,
        sessionHeaders(id),
        BODY_LIMIT + 1024 * 1024,
      );
      expect(response.status).toBe(413);
      expect(response.body).toMatch(
        /Payload Too Large: Request body must not exceed 67108864 bytes/,
      );
    });
  });
});

describe('sessions', () => {
  it('an unknown session id is 404 for POST, GET and DELETE', async () => {
    for (const unknown of [
      'no-such-session',
      '00000000-0000-0000-0000-000000000000',
      'x'.repeat(4000),
    ]) {
      for (const method of ['POST', 'GET', 'DELETE']) {
        const response = await raw(gateway.url, {
          method,
          headers: sessionHeaders(unknown),
          ...(method === 'POST' ? { body: listTools } : {}),
        });
        expect(response.status, `${method} ${unknown.slice(0, 40)}`).toBe(404);
        expect(rpcError(response)).toMatchObject({ code: -32001 });
        expect(rpcError(response)?.message).toMatch(/Initialize a new session/);
      }
    }
  });

  it('after DELETE the session is 404, and a new one can be opened', async () => {
    const id = await rawSession(gateway.url);
    const deleted = await raw(gateway.url, { method: 'DELETE', headers: sessionHeaders(id) });
    expect(deleted.status).toBe(200);
    for (const method of ['POST', 'GET', 'DELETE']) {
      const response = await raw(gateway.url, {
        method,
        headers: sessionHeaders(id),
        ...(method === 'POST' ? { body: listTools } : {}),
      });
      expect(response.status, method).toBe(404);
    }
    await inRawSession(async (again) => {
      expect(again).not.toBe(id);
      const response = await raw(gateway.url, { headers: sessionHeaders(again), body: listTools });
      expect(response.status).toBe(200);
    });
  });

  it('GET, DELETE and non-initialize POSTs without a session id are 400', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await raw(gateway.url, {
        method,
        headers: { accept: 'text/event-stream' },
      });
      expect(response.status, method).toBe(400);
      expect(rpcError(response)?.message).toMatch(/send an initialize request first/);
    }
    const post = await raw(gateway.url, { headers: { ...MCP_HEADERS }, body: listTools });
    expect(post.status).toBe(400);
  });

  it('a second initialize in a session is refused; methods the transport does not serve are 405', async () => {
    await inRawSession(async (id) => {
      const again = await raw(gateway.url, { headers: sessionHeaders(id), body: INITIALIZE });
      expect(again.status).toBe(400);
      for (const method of ['PUT', 'PATCH']) {
        const response = await raw(gateway.url, {
          method,
          headers: sessionHeaders(id),
          body: '{}',
        });
        expect(response.status, method).toBe(405);
        expect(response.headers['allow']).toBe('GET, POST, DELETE');
      }
    });
  });
});

describe('slow-loris clients', () => {
  it('connections that trickle headers or bodies do not keep a well-behaved client waiting', async () => {
    await inRawSession(async (id) => {
      const port = new URL(gateway.url).port;
      const sockets: Socket[] = [];
      const open = (head: string): Socket => {
        const socket = netConnect(Number(port), '127.0.0.1');
        socket.on('error', () => undefined);
        socket.write(head);
        sockets.push(socket);
        return socket;
      };
      const request = (headers: string, length: number): string =>
        `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
        `Accept: application/json, text/event-stream\r\n${headers}Content-Length: ${length}\r\n\r\n`;
      for (let i = 0; i < 10; i++) {
        open(''); // connects, sends nothing
        open(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`); // headers never end
        open(request('', 1000) + '{"jsonrpc": "2.0", '); // body never ends
        open(request(`Mcp-Session-Id: ${id}\r\n`, 1000) + '{"jsonrpc"'); // the same, in a session
      }
      // Trickle a byte now and then on every connection, as a slow-loris client does.
      const trickle = setInterval(() => {
        sockets.forEach((socket, index) => {
          if (!socket.destroyed) socket.write(index % 4 === 1 ? 'X-Slow: 1\r\n' : ' ');
        });
      }, 100);
      try {
        await waitFor(() => sockets.every((s) => !s.connecting), {
          ...WAIT,
          description: 'the slow connections to be open',
        });
        // While they hang on: the open session and a brand-new one are served.
        const fresh = await connectClient(gateway.url);
        try {
          const { tools } = await fresh.listTools();
          expect(tools.map((t) => t.name)).toContain('x_b_echo');
          const results = await Promise.all([
            fresh.callTool({ name: 'x_b_echo', arguments: { text: 'fresh' } }),
            client.callTool({ name: 'x_a_echo', arguments: { text: 'old' } }),
          ]);
          expect(results.map(firstText)).toEqual([
            expect.stringContaining('fresh'),
            expect.stringContaining('old'),
          ]);
        } finally {
          await disconnect(fresh);
        }
        // The session the slow bodies name is still usable by a well-behaved request.
        const inSession = await raw(gateway.url, { headers: sessionHeaders(id), body: listTools });
        expect(inSession.status).toBe(200);
      } finally {
        clearInterval(trickle);
        for (const socket of sockets) socket.destroy();
      }
    });
  });
});

/** Writes `head` on a raw connection and resolves with the status of the answer. */
function statusOf(head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(Number(new URL(gateway.url).port), '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
      if (status !== undefined) {
        socket.destroy();
        resolve(Number(status));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      reject(new Error(`closed without an answer: ${received}`));
    });
    socket.write(head);
  });
}

/** POSTs a chunked body of `size` bytes, stopping as soon as the server answers. */
function chunkedUpload(
  url: string,
  headers: Record<string, string>,
  size: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const more = (): void => {
      while (!answered && sent < size) {
        sent += chunk.length;
        if (!req.write(sent === chunk.length ? Buffer.concat([Buffer.from('"'), chunk]) : chunk)) {
          req.once('drain', more);
          return;
        }
      }
      if (!answered) req.end('"');
    };
    more();
  });
}

/**
 * A raw HTTP client for the gateway: sends exactly the headers and bytes a test gives and returns
 * the status, headers and body, to check what goes over the wire (shapes, errors, refusals)
 * where fetch or an SDK client would hide it.
 */
import { request as httpRequest } from 'node:http';
import { expect } from 'vitest';
import { fixture, gateway } from '../helpers.js';

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** The headers an MCP client sends with a POST. */
export const mcpHeaders = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/**
 * One request with exactly the headers given (fetch will not send a foreign Host), read to the
 * end — except the event stream a GET opens, which stays open: what arrived first is enough.
 * `chunks` sends the body with chunked transfer encoding, piece by piece, without a length.
 */
export function raw(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | { chunks: string[] };
  } = {},
): Promise<Answer> {
  const { method = 'GET', headers = {}, body } = options;
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      if (method === 'GET' && (res.headers['content-type'] ?? '').includes('text/event-stream')) {
        res.once('data', () => {
          res.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
        });
      }
    });
    req.on('error', reject);
    if (body === undefined || typeof body === 'string') {
      req.end(body);
      return;
    }
    for (const chunk of body.chunks) req.write(chunk);
    req.end();
  });
}

/**
 * One POST to the MCP endpoint with an MCP client's headers, read to the end (a POST's event
 * stream ends after its answer).
 */
export function post(
  url: string,
  body: string | { chunks: string[] },
  headers: Record<string, string> = {},
): Promise<Answer> {
  return raw(url, {
    method: 'POST',
    headers: {
      ...mcpHeaders,
      ...(typeof body === 'string' ? {} : { 'transfer-encoding': 'chunked' }),
      ...headers,
    },
    body,
  });
}

export const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1.0.0' },
  },
});

export const echoCall = (id: number, text: string): string =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'x_fx_echo', arguments: { text } },
  });

/** The fixture's answer to an echo call. */
export const echoed = (id: number, text: string): unknown => ({
  jsonrpc: '2.0',
  id,
  result: { content: [{ type: 'text', text }], structuredContent: { text } },
});

/** The JSON-RPC messages of an answer: a JSON body, or the events of an event stream. */
export function messages(answer: Answer): unknown[] {
  if (answer.headers['content-type']?.includes('application/json') === true) {
    return [JSON.parse(answer.body)];
  }
  return answer.body
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line): unknown => JSON.parse(line.slice('data: '.length)));
}

/** A gateway with the fixture behind it and an initialized session's headers. */
export async function session(): Promise<{ url: string; headers: Record<string, string> }> {
  const g = await gateway({ fx: fixture() });
  const opened = await post(g.url, initialize);
  expect(opened.status).toBe(200);
  const id = opened.headers['mcp-session-id'];
  if (typeof id !== 'string') throw new Error('no session id');
  const headers = { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' };
  const initialized = await post(
    g.url,
    JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    headers,
  );
  expect(initialized.status).toBe(202);
  return { url: g.url, headers };
}

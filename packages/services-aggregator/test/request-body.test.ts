import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, fixture, gateway } from './helpers.js';

afterEach(closeAll);

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * One POST to the MCP endpoint, read to the end (a POST's event stream ends after its answer).
 * `chunks` sends the body with chunked transfer encoding, piece by piece, without a length.
 */
function post(
  url: string,
  body: string | { chunks: string[] },
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(typeof body === 'string' ? {} : { 'transfer-encoding': 'chunked' }),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    if (typeof body === 'string') {
      req.end(body);
      return;
    }
    for (const chunk of body.chunks) req.write(chunk);
    req.end();
  });
}

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'raw', version: '1.0.0' },
  },
});

const echoCall = (id: number, text: string): string =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'x_fx_echo', arguments: { text } },
  });

/** The fixture's answer to an echo call. */
const echoed = (id: number, text: string): unknown => ({
  jsonrpc: '2.0',
  id,
  result: { content: [{ type: 'text', text }], structuredContent: { text } },
});

/** The JSON-RPC messages of an event-stream body. */
function events(body: string): unknown[] {
  return body
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line): unknown => JSON.parse(line.slice('data: '.length)));
}

/** A gateway with the fixture behind it and an initialized session's headers. */
async function session(): Promise<{ url: string; headers: Record<string, string> }> {
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

const parseError = {
  jsonrpc: '2.0',
  error: { code: -32700, message: 'Parse error: Invalid JSON' },
  id: null,
};

describe('request bodies on the MCP endpoint', () => {
  it('answers a call sent with a content length on its event stream', async () => {
    const { url, headers } = await session();
    const answer = await post(url, echoCall(7, 'hello'), headers);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/event-stream');
    expect(events(answer.body)).toEqual([echoed(7, 'hello')]);
  });

  it('answers a call whose body arrives in chunks, without a length', async () => {
    const { url, headers } = await session();
    const body = echoCall(8, 'chunked');
    const answer = await post(url, { chunks: [body.slice(0, 10), body.slice(10)] }, headers);
    expect(answer.status).toBe(200);
    expect(events(answer.body)).toEqual([echoed(8, 'chunked')]);
  });

  it('answers malformed JSON with a JSON-RPC parse error and 400, in a session or not', async () => {
    const { url, headers } = await session();
    for (const [body, withSession] of [
      ['{"jsonrpc": "2.0", "id": 9, "method": ', true],
      ['not json at all', false],
    ] as const) {
      const answer = await post(url, body, withSession ? headers : {});
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toContain('application/json');
      expect(JSON.parse(answer.body)).toEqual(parseError);
    }
    const chunked = await post(url, { chunks: ['{"jsonrpc": ', '"2.0", "id"'] }, headers);
    expect(chunked.status).toBe(400);
    expect(JSON.parse(chunked.body)).toEqual(parseError);
    // The session survives a bad request.
    const after = await post(url, echoCall(10, 'still here'), headers);
    expect(events(after.body)).toEqual([echoed(10, 'still here')]);
  });

  it('checks Accept and Content-Type before the body, as the SDK does', async () => {
    const { url, headers } = await session();
    const wrongType = await post(url, 'not json', { ...headers, 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
    const wrongAccept = await post(url, 'not json', { ...headers, accept: 'application/json' });
    expect(wrongAccept.status).toBe(406);
  });

  it('refuses a body declared over 64 MiB with 413, without reading it', async () => {
    const { url, headers } = await session();
    const answer = await post(url, '', {
      ...headers,
      'content-length': String(64 * 1024 * 1024 + 1),
    });
    expect(answer.status).toBe(413);
    const error: unknown = JSON.parse(answer.body);
    expect(error).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
    expect(answer.body).toContain('Payload Too Large');
  });
});

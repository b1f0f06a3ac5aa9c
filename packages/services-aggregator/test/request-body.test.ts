import { afterEach, describe, expect, it } from 'vitest';
import { closeAll } from './helpers.js';
import { echoCall, echoed, messages, post, session } from './support/raw-http.js';

afterEach(closeAll);

const parseError = {
  jsonrpc: '2.0',
  error: { code: -32700, message: 'Parse error: Invalid JSON' },
  id: null,
};

describe('request bodies on the MCP endpoint', () => {
  it('answers a call sent with a content length', async () => {
    const { url, headers } = await session();
    const answer = await post(url, echoCall(7, 'hello'), headers);
    expect(answer.status).toBe(200);
    expect(messages(answer)).toEqual([echoed(7, 'hello')]);
  });

  it('answers a call whose body arrives in chunks, without a length', async () => {
    const { url, headers } = await session();
    const body = echoCall(8, 'chunked');
    const answer = await post(url, { chunks: [body.slice(0, 10), body.slice(10)] }, headers);
    expect(answer.status).toBe(200);
    expect(messages(answer)).toEqual([echoed(8, 'chunked')]);
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
    expect(messages(after)).toEqual([echoed(10, 'still here')]);
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

import { afterEach, describe, expect, it } from 'vitest';
import { JSON_ANSWER_WINDOW_MS } from '../src/sessions/answer-shaping-transport.js';
import { closeAll } from './helpers.js';
import { type Answer, echoCall, echoed, messages, post, session } from './support/raw-http.js';

afterEach(closeAll);

const progressCall = (id: number, steps: number, intervalMs: number, token?: string): string =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: {
      name: 'x_fx_progress',
      arguments: { steps, intervalMs },
      ...(token === undefined ? {} : { _meta: { progressToken: token } }),
    },
  });

const done = (id: number, steps: number): unknown => ({
  jsonrpc: '2.0',
  id,
  result: { content: [{ type: 'text', text: `done ${String(steps)}` }] },
});

function contentType(answer: Answer): string | undefined {
  const value = answer.headers['content-type'];
  return typeof value === 'string' ? value : undefined;
}

describe('the shape of an answer on the MCP endpoint', () => {
  it('is plain JSON with the session id when the answer is all there is to send', async () => {
    const { url, headers } = await session();
    const answer = await post(url, echoCall(3, 'quick'), headers);
    expect(answer.status).toBe(200);
    expect(contentType(answer)).toBe('application/json');
    expect(answer.headers['mcp-session-id']).toBe(headers['mcp-session-id']);
    expect(JSON.parse(answer.body)).toEqual(echoed(3, 'quick'));
  });

  it('is an event stream, everything in order, when progress comes before the answer', async () => {
    const { url, headers } = await session();
    const answer = await post(url, progressCall(4, 3, 0, 'tok'), headers);
    expect(contentType(answer)).toBe('text/event-stream');
    expect(messages(answer)).toEqual([
      ...[1, 2, 3].map((progress) => ({
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: 'tok', progress, total: 3 },
      })),
      done(4, 3),
    ]);
  });

  it('is an event stream when the answer takes longer than the JSON window', async () => {
    const { url, headers } = await session();
    // No progress token: the call says nothing until it answers, after the window.
    const answer = await post(url, progressCall(5, 1, JSON_ANSWER_WINDOW_MS + 500), headers);
    expect(contentType(answer)).toBe('text/event-stream');
    expect(messages(answer)).toEqual([done(5, 1)]);
  });

  it('is an event stream with every answer for a batch of requests', async () => {
    const { url, headers } = await session();
    const batch = `[${echoCall(6, 'one')},${echoCall(7, 'two')}]`;
    const answer = await post(url, batch, headers);
    expect(contentType(answer)).toBe('text/event-stream');
    expect(messages(answer)).toEqual(
      expect.arrayContaining([echoed(6, 'one'), echoed(7, 'two')]) as unknown,
    );
    expect(messages(answer)).toHaveLength(2);
  });

  it('keeps the session serving both shapes, one after the other', async () => {
    const { url, headers } = await session();
    for (let i = 0; i < 3; i++) {
      const quick = await post(url, echoCall(10 + i, `q${String(i)}`), headers);
      expect(contentType(quick)).toBe('application/json');
      expect(JSON.parse(quick.body)).toEqual(echoed(10 + i, `q${String(i)}`));
      const streamed = await post(url, progressCall(20 + i, 1, 0, `t${String(i)}`), headers);
      expect(contentType(streamed)).toBe('text/event-stream');
      expect(messages(streamed).at(-1)).toEqual(done(20 + i, 1));
    }
  });
});

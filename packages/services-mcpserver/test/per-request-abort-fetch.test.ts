import { getEventListeners } from 'node:events';
import { startFixtureServer, waitFor } from '@corral/testing';
import type { FetchLike } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { perRequestAbortFetch } from '../src/remote/per-request-abort-fetch.js';
import { closeAfterTest, stopAll, WAIT } from './helpers.js';

afterEach(stopAll);

const POST_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

function initialize(signal: AbortSignal): RequestInit {
  const body = {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'abort-test', version: '1.0.0' },
    },
  };
  return { method: 'POST', headers: POST_HEADERS, body: JSON.stringify(body), signal };
}

function echo(headers: Record<string, string>, id: number, signal: AbortSignal): RequestInit {
  const params = { name: 'echo', arguments: { text: `call ${id}` } };
  const body = { jsonrpc: '2.0', id, method: 'tools/call', params };
  return { method: 'POST', headers, body: JSON.stringify(body), signal };
}

/** `initialize` and `notifications/initialized` over raw HTTP; the headers of the session. */
async function openSession(
  fetch: FetchLike,
  url: string,
  signal: AbortSignal,
): Promise<Record<string, string>> {
  const response = await fetch(url, initialize(signal));
  expect(response.status).toBe(200);
  await response.text();
  const headers = {
    ...POST_HEADERS,
    'mcp-session-id': response.headers.get('mcp-session-id') ?? '',
    'mcp-protocol-version': '2025-06-18',
  };
  const body = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const initialized = await fetch(url, { method: 'POST', headers, body, signal });
  expect(initialized.status).toBe(202);
  await initialized.text();
  return headers;
}

/** The session's GET event stream, open. */
async function eventStream(
  fetch: FetchLike,
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const response = await fetch(url, {
    method: 'GET',
    headers: { ...headers, accept: 'text/event-stream' },
    signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  if (response.body === null) throw new Error('the event stream has no body');
  return response.body;
}

function abortListeners(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}

describe('perRequestAbortFetch against a real streamable-HTTP server', () => {
  it("leaves no listener on the caller's signal, however many requests it carried", async () => {
    const server = closeAfterTest(await startFixtureServer({ transport: 'streamable-http' }));
    const isolated = perRequestAbortFetch();
    const caller = new AbortController();
    const headers = await openSession(isolated, server.url, caller.signal);

    for (let id = 1; id <= 500; id++) {
      const response = await isolated(server.url, echo(headers, id, caller.signal));
      expect(await response.text()).toContain(`"structuredContent":{"text":"call ${id}"}`);
    }
    expect(abortListeners(caller.signal)).toBe(0);

    // The event stream stays open meanwhile: it keeps the one listener, no more.
    const stream = await eventStream(isolated, server.url, headers, caller.signal);
    const concurrent = Array.from({ length: 50 }, (_, i) =>
      isolated(server.url, echo(headers, 1_000 + i, caller.signal)).then((r) => r.text()),
    );
    expect(abortListeners(caller.signal)).toBe(1);
    const texts = await Promise.all(concurrent);
    texts.forEach((text, i) => {
      expect(text).toContain(`"structuredContent":{"text":"call ${1_000 + i}"}`);
    });
    expect(abortListeners(caller.signal)).toBe(1);

    await stream.cancel();
    expect(abortListeners(caller.signal)).toBe(0);
    expect(caller.signal.aborted).toBe(false);
  });

  it("rejects a request the server never answers with the caller's abort reason", async () => {
    const server = closeAfterTest(
      await startFixtureServer({ transport: 'streamable-http', ignoreInitialize: true }),
    );
    const isolated = perRequestAbortFetch();
    const caller = new AbortController();
    // Whether or not the headers came first, the answer never comes.
    const pending = isolated(server.url, initialize(caller.signal)).then((r) => r.text());
    await waitFor(() => server.stderr().includes('fixture: ignoring initialize'), {
      ...WAIT,
      description: 'the fixture to receive initialize',
    });
    expect(abortListeners(caller.signal)).toBe(1);

    const reason = new Error('the caller gave up');
    caller.abort(reason);

    await expect(pending).rejects.toBe(reason);
    expect(abortListeners(caller.signal)).toBe(0);
  });

  it("ends event streams being read when the caller's signal aborts", async () => {
    // Answers nothing after `initialized`: the call's event stream stays open, empty.
    const server = closeAfterTest(
      await startFixtureServer({ transport: 'streamable-http', hangAfter: 0 }),
    );
    const isolated = perRequestAbortFetch();
    const caller = new AbortController();
    const headers = await openSession(isolated, server.url, caller.signal);
    const call = await isolated(server.url, echo(headers, 1, caller.signal));
    expect(call.status).toBe(200);
    expect(call.headers.get('content-type')).toContain('text/event-stream');
    const stream = await eventStream(isolated, server.url, headers, caller.signal);
    const reads = [call.text(), stream.getReader().read()];
    expect(abortListeners(caller.signal)).toBe(1);

    const reason = new Error('transport closed');
    caller.abort(reason);

    for (const read of reads) await expect(read).rejects.toBe(reason);
    expect(abortListeners(caller.signal)).toBe(0);
  });

  it('rejects at once, as fetch does, when the signal is already aborted', async () => {
    const server = closeAfterTest(await startFixtureServer({ transport: 'streamable-http' }));
    const reason = new Error('aborted before it began');
    const signal = AbortSignal.abort(reason);

    await expect(perRequestAbortFetch()(server.url, initialize(signal))).rejects.toBe(reason);
    expect(abortListeners(signal)).toBe(0);
  });
});

import { createServer, type IncomingHttpHeaders } from 'node:http';
import { startFixtureServer, waitFor } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { becomes, closeAfterTest, harness, stopAll, WAIT } from './helpers.js';

afterEach(stopAll);

/** Every process warning emitted until `stop()`; a leak shows as a `MaxListenersExceededWarning`. */
function recordWarnings(): { warnings: Error[]; stop(): void } {
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => {
    warnings.push(warning);
  };
  process.on('warning', onWarning);
  return {
    warnings,
    stop: () => {
      process.off('warning', onWarning);
    },
  };
}

/** Node emits a warning on the next tick: give it one macrotask to arrive before we look. */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

describe.each(['streamable-http', 'sse'] as const)(
  'sustained traffic to a remote server over %s',
  (transport) => {
    it(
      '2,100 calls, 500 of them concurrent, and no MaxListenersExceededWarning',
      { timeout: 120_000 },
      async () => {
        const server = closeAfterTest(await startFixtureServer({ transport }));
        const h = await harness({ remote: { type: 'MCPServer', url: server.url, transport } });
        await h.corral.start();
        const service = h.service('remote');
        const recorder = recordWarnings();
        try {
          for (let i = 0; i < 1_600; i++) {
            const echo = await service.callTool('echo', { text: `seq ${i}` });
            expect(echo.structuredContent).toEqual({ text: `seq ${i}` });
          }
          // Concurrent calls: more than Node's default of 10 listeners on one signal at a time.
          for (let batch = 0; batch < 10; batch++) {
            const texts = Array.from({ length: 50 }, (_, i) => `batch ${batch} call ${i}`);
            const results = await Promise.all(
              texts.map((text) => service.callTool('echo', { text })),
            );
            expect(results.map((r) => r.structuredContent)).toEqual(
              texts.map((text) => ({ text })),
            );
          }
          await nextMacrotask();
        } finally {
          recorder.stop();
        }
        const leaks = recorder.warnings.filter((w) => w.name === 'MaxListenersExceededWarning');
        expect({ leaks: leaks.length, first: leaks[0]?.message }).toEqual({
          leaks: 0,
          first: undefined,
        });
        expect(h.corral.orchestrator.getServiceInfo('remote').state).toBe('running');
      },
    );
  },
);

/** Sockets that keep this process alive: an open request or event stream (idle ones do not). */
function openSockets(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
}

describe.each(['streamable-http', 'sse'] as const)(
  'stopping a remote server over %s',
  (transport) => {
    // A polite stop ends a streamable-HTTP session with a DELETE, and the server then closes the
    // stream too; a hurried stop sends none, so only our abort can end the stream.
    it.each(['polite', 'hurried'] as const)(
      'ends the open event stream and leaves no connection behind (%s stop)',
      async (how) => {
        const server = closeAfterTest(await startFixtureServer({ transport }));
        const h = await harness({ remote: { type: 'MCPServer', url: server.url, transport } });
        await h.corral.start();
        const service = h.service('remote');
        expect((await service.callTool('echo', { text: 'hi' })).structuredContent).toEqual({
          text: 'hi',
        });
        // The GET event stream the transport keeps open for the server's messages.
        await waitFor(() => openSockets() > 0, {
          ...WAIT,
          description: 'the event stream to open',
        });

        if (how === 'polite') await h.corral.stop();
        else await service.stop('manual', { signal: AbortSignal.abort() });

        expect(h.corral.orchestrator.getServiceInfo('remote').state).toBe('stopped');
        // The server still runs: only our side can have closed the stream.
        await waitFor(() => openSockets() === 0, { ...WAIT, description: 'no open socket left' });
      },
    );
  },
);

/** An HTTP server on 127.0.0.1 that answers 401 and keeps the headers of every request. */
async function recordingServer(): Promise<{ url: string; requests: IncomingHttpHeaders[] }> {
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    requests.push(request.headers);
    request.resume();
    response.writeHead(401, { 'content-type': 'text/plain' });
    response.end('unauthorized');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  closeAfterTest({
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  });
  return { url: `http://127.0.0.1:${address.port}`, requests };
}

describe.each(['streamable-http', 'sse'] as const)(
  'what a request over %s carries',
  (transport) => {
    it('sends URL credentials as Basic authentication, and the configured headers', async () => {
      const server = await recordingServer();
      const url = `${server.url.replace('//', '//al%20ice:s3cret@')}/${transport === 'sse' ? 'sse' : 'mcp'}`;
      const h = await harness({
        locked: {
          type: 'MCPServer',
          url,
          transport,
          headers: { 'X-Team': 'blue' },
          restart: 'never',
        },
      });
      await h.corral.start();
      await h.waitForEvent('locked to need auth', becomes('locked', 'auth_required'));

      expect(server.requests.length).toBeGreaterThan(0);
      for (const headers of server.requests) {
        expect(headers['authorization']).toBe(
          `Basic ${Buffer.from('al ice:s3cret').toString('base64')}`,
        );
        expect(headers['x-team']).toBe('blue');
      }
    });
  },
);

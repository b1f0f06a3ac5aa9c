import { freePort } from '@corral/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GatewayClient,
  GatewayClientError,
  resolveClientOptions,
  runAction,
  runEvents,
  runStatus,
} from '../../src/client/index.js';
import { captureIo, startGateway, type TestGateway } from './helpers.js';

describe('no gateway at the URL', () => {
  it('status, actions and events exit 1 saying how to start or find one', async () => {
    const port = await freePort();
    const options = resolveClientOptions({ port }, {});
    const expected =
      `corral: no Corral gateway answering at http://127.0.0.1:${String(port)} (connection ` +
      'refused): start one with `corral serve`, or point at it with --url or CORRAL_URL\n';
    const status = captureIo();
    expect(await runStatus(options, status)).toBe(1);
    expect(status.err()).toBe(expected);
    const stop = captureIo();
    expect(await runAction('stop', 'memory', options, stop)).toBe(1);
    expect(stop.err()).toBe(expected);
    const events = captureIo();
    expect(await runEvents(options, events)).toBe(1);
    expect(events.err()).toBe(expected);
  });
});

const TOKEN = 'secret-token-for-corral-tests';

describe('a gateway with a token', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ servers: ['fx'], token: TOKEN });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('without one: exit 2 saying to pass --token or set CORRAL_TOKEN', async () => {
    const io = captureIo();
    expect(await runStatus(gateway.client(), io)).toBe(2);
    expect(io.err()).toContain('needs a token (401): pass it with --token or set CORRAL_TOKEN');
    const action = captureIo();
    expect(await runAction('stop', 'fx', gateway.client(), action)).toBe(2);
    expect(action.err()).toContain('needs a token (401)');
    const events = captureIo();
    expect(await runEvents(gateway.client(), events)).toBe(2);
    expect(events.err()).toContain('needs a token (401)');
  });

  it('with a wrong one: says the token was refused', async () => {
    const io = captureIo();
    expect(await runStatus(gateway.client({ token: 'guess' }), io)).toBe(2);
    expect(io.err()).toContain('refused the token (401): check --token or CORRAL_TOKEN');
  });

  it('with --token or CORRAL_TOKEN: works', async () => {
    const io = captureIo();
    expect(await runStatus(gateway.client({ token: TOKEN }), io)).toBe(0);
    expect(io.out()).toMatch(/^fx +MCPServer +running/m);
    const fromEnv = resolveClientOptions({ url: gateway.mcpUrl }, { CORRAL_TOKEN: TOKEN });
    const viaEnv = captureIo();
    expect(await runAction('start', 'fx', fromEnv, viaEnv)).toBe(0);
    expect(viaEnv.out()).toBe("service 'fx' is already running\n");
  });

  it('a refused Origin (DNS-rebinding guard) is a 403 that says so', async () => {
    // A browser page elsewhere would send this Origin; the gateway refuses it before the token.
    const fromElsewhere: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('origin', 'http://evil.example');
      return fetch(input, { ...init, headers });
    };
    const client = new GatewayClient({
      ...gateway.client({ token: TOKEN }),
      fetch: fromElsewhere,
    });
    const error = await client.listServices().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayClientError);
    expect(error).toMatchObject({ kind: 'forbidden', status: 403, exitCode: 2 });
    expect((error as Error).message).toContain("refused the request's Host or Origin (403");
  });
});

describe('something else at the URL', () => {
  it('says it does not look like a Corral gateway', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      const io = captureIo();
      expect(await runStatus(resolveClientOptions({ port: address.port }, {}), io)).toBe(1);
      expect(io.err()).toContain('does not look like a Corral gateway');
      expect(io.err()).toContain('404');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    }
  });
});

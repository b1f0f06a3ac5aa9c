import { CoreTokens, definePlugin, type HttpRouteProvider } from '@corral/core';
import { waitFor } from '@corral/testing';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, connect, fixture, gateway, TOKEN, WAIT } from './helpers.js';
import { initialize, mcpHeaders, raw } from './support/raw-http.js';

afterEach(closeAll);

function hostOf(url: string): string {
  return new URL(url).host;
}

const hello: HttpRouteProvider = {
  pathPrefixes: ['/api', '/healthz'],
  fetch: (request) =>
    Promise.resolve(Response.json({ route: 'api', path: new URL(request.url).pathname })),
};
const special: HttpRouteProvider = {
  pathPrefixes: ['/api/special'],
  fetch: () => Promise.resolve(Response.json({ route: 'special' })),
};
/** A plugin contributing these HTTP routes. */
const routesPlugin = (id: string, ...providers: HttpRouteProvider[]) =>
  definePlugin({
    id,
    register(context) {
      for (const provider of providers) {
        context.provide(CoreTokens.HttpRoutes, { useValue: provider });
      }
    },
  });
const routes = routesPlugin('routes', hello, special);

describe('DNS rebinding protection', () => {
  it('refuses a foreign Host or Origin, on MCP and on every route', async () => {
    const g = await gateway({ fx: fixture() }, {}, { plugins: [routes] });
    const host = hostOf(g.url);
    const ok = await raw(g.url, {
      method: 'POST',
      headers: { ...mcpHeaders, host },
      body: initialize,
    });
    expect(ok.status).toBe(200);

    const evilHost = await raw(g.url, {
      method: 'POST',
      headers: { ...mcpHeaders, host: 'evil.example:80' },
      body: initialize,
    });
    expect(evilHost.status).toBe(403);
    const evilOrigin = await raw(g.url, {
      method: 'POST',
      headers: { ...mcpHeaders, host, origin: 'http://evil.example' },
      body: initialize,
    });
    expect(evilOrigin.status).toBe(403);
    const localOrigin = await raw(g.url, {
      method: 'POST',
      headers: { ...mcpHeaders, host, origin: 'http://localhost:5173' },
      body: initialize,
    });
    expect(localOrigin.status).toBe(200);

    const api = new URL('/api/services', g.url).toString();
    expect((await raw(api, { headers: { host } })).status).toBe(200);
    expect((await raw(api, { headers: { host: 'evil.example' } })).status).toBe(403);
    expect(g.aggregator.sessionCount).toBe(2);
  });

  it('accepts the hosts it is told to', async () => {
    const g = await gateway({}, { allowedHosts: ['gateway.internal'] });
    const accepted = await raw(g.url, {
      method: 'POST',
      headers: { ...mcpHeaders, host: 'gateway.internal:8090' },
      body: initialize,
    });
    expect(accepted.status).toBe(200);
    const local = await raw(g.url, {
      method: 'POST',
      headers: { ...mcpHeaders, host: hostOf(g.url) },
      body: initialize,
    });
    expect(local.status).toBe(403);
  });
});

describe('bearer token', () => {
  it('is required on every request when configured', async () => {
    const g = await gateway({ fx: fixture() }, { token: TOKEN }, { plugins: [routes] });
    const host = hostOf(g.url);
    const none = await raw(g.url, {
      method: 'POST',
      headers: { ...mcpHeaders, host },
      body: initialize,
    });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect(none.body).toContain('Authorization: Bearer');
    const wrong = await raw(g.url, {
      method: 'POST',
      headers: { ...mcpHeaders, host, authorization: `Bearer ${TOKEN}x` },
      body: initialize,
    });
    expect(wrong.status).toBe(401);
    const api = new URL('/healthz', g.url).toString();
    expect((await raw(api, { headers: { host } })).status).toBe(401);
    expect((await raw(api, { headers: { host, authorization: `Bearer ${TOKEN}` } })).status).toBe(
      200,
    );

    await expect(connect(g.url)).rejects.toThrow();
    const client = await connect(g.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });
});

const page: HttpRouteProvider = {
  pathPrefixes: ['/'],
  publicAssets: true,
  fetch: (request) =>
    Promise.resolve(
      Response.json({ route: 'page', method: request.method, path: new URL(request.url).pathname }),
    ),
};
const withPage = routesPlugin('page', hello, page);

describe('public assets with a bearer token', () => {
  it('serves GET and HEAD of a public-assets route without the token, and nothing else', async () => {
    const g = await gateway({ fx: fixture() }, { token: TOKEN }, { plugins: [withPage] });
    const host = hostOf(g.url);
    const at = (path: string): string => new URL(path, g.url).toString();

    const index = await raw(at('/'), { headers: { host } });
    expect(index.status).toBe(200);
    expect(JSON.parse(index.body)).toEqual({ route: 'page', method: 'GET', path: '/' });
    const asset = await raw(at('/assets/index-abc.js'), { method: 'HEAD', headers: { host } });
    expect(asset.status).toBe(200);
    // A browser on the page sends its own origin: allowed like any other request.
    expect((await raw(at('/'), { headers: { host, origin: `http://${host}` } })).status).toBe(200);

    // Only reading is public: other methods on the same route still need the token.
    expect((await raw(at('/'), { method: 'POST', headers: { host } })).status).toBe(401);
    expect((await raw(at('/x'), { method: 'DELETE', headers: { host } })).status).toBe(401);
    // The API and MCP are not public assets, even for GET.
    expect((await raw(at('/api/services'), { headers: { host } })).status).toBe(401);
    expect((await raw(at('/healthz'), { headers: { host } })).status).toBe(401);
    expect((await raw(g.url, { headers: { host, accept: 'text/event-stream' } })).status).toBe(401);
    expect((await raw(`${g.url}/x`, { headers: { host } })).status).toBe(401);
    const mcp = await raw(g.url, {
      method: 'POST',
      headers: { ...mcpHeaders, host },
      body: initialize,
    });
    expect(mcp.status).toBe(401);
    expect(g.aggregator.sessionCount).toBe(0);

    // DNS rebinding checks apply to public assets too.
    expect((await raw(at('/'), { headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await raw(at('/'), { headers: { host, origin: 'http://evil.example' } })).status).toBe(
      403,
    );

    // With the token, everything answers as before.
    const bearer = { host, authorization: `Bearer ${TOKEN}` };
    expect((await raw(at('/api/services'), { headers: bearer })).status).toBe(200);
    expect((await raw(at('/'), { method: 'POST', headers: bearer })).status).toBe(200);
  });
});

describe('routes of other plugins', () => {
  it('serves them by longest prefix on the same port, and 404 elsewhere', async () => {
    const g = await gateway({}, {}, { plugins: [routes] });
    const get = async (path: string) => {
      const response = await fetch(new URL(path, g.url));
      return { status: response.status, body: await response.json() };
    };
    expect(await get('/api/services')).toEqual({
      status: 200,
      body: { route: 'api', path: '/api/services' },
    });
    expect(await get('/healthz')).toEqual({
      status: 200,
      body: { route: 'api', path: '/healthz' },
    });
    expect(await get('/api/special/x')).toEqual({ status: 200, body: { route: 'special' } });
    expect((await get('/apix')).status).toBe(404);
    expect((await get('/nothing')).status).toBe(404);
  });
});

describe('sessions', () => {
  it('ends a session on DELETE: its id is forgotten', async () => {
    const g = await gateway({ fx: fixture() });
    const transport = new StreamableHTTPClientTransport(new URL(g.url));
    const client = new Client({ name: 'deleter', version: '1.0.0' });
    await client.connect(transport);
    expect(g.aggregator.sessionCount).toBe(1);
    const id = transport.sessionId ?? '';
    await transport.terminateSession();
    await waitFor(() => g.aggregator.sessionCount === 0, { ...WAIT, description: 'no session' });
    const stale = await raw(g.url, {
      method: 'POST',
      headers: { ...mcpHeaders, host: hostOf(g.url), 'mcp-session-id': id },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(stale.status).toBe(404);
    await client.close();
  });

  it('closes a session nobody used for the idle timeout', async () => {
    const g = await gateway({ fx: fixture() }, { sessionIdleTimeoutMs: 500 });
    const client = await connect(g.url);
    await waitFor(() => g.aggregator.sessionCount === 0, { ...WAIT, description: 'idle close' });
    await expect(client.listTools()).rejects.toThrow();
  });

  it('leaks nothing after 1,000 sessions opened and closed', async () => {
    const g = await gateway({ fx: fixture() });
    const batch = 25;
    let peak = 0;
    for (let done = 0; done < 1_000; done += batch) {
      const clients = await Promise.all(
        Array.from({ length: batch }, async () => {
          const transport = new StreamableHTTPClientTransport(new URL(g.url));
          const client = new Client({ name: 'churn', version: '1.0.0' });
          await client.connect(transport);
          return { client, transport };
        }),
      );
      peak = Math.max(peak, g.aggregator.sessionCount);
      await clients[0]?.client.callTool({ name: 'x_fx_echo', arguments: { text: 'hi' } });
      await Promise.all(
        clients.map(async ({ client, transport }) => {
          await transport.terminateSession();
          await client.close();
        }),
      );
      await waitFor(() => g.aggregator.sessionCount === 0, {
        ...WAIT,
        description: `no session left after ${String(done + batch)}`,
      });
    }
    expect(peak).toBe(batch);
    expect(g.aggregator.getServiceData()['sessions']).toBe(0);
  }, 180_000);
});

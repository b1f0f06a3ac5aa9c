import { freePort, startFixtureServer } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { REDACTED, redactArgs, redactUrl, redactValues } from '../src/index.js';
import { becomes, closeAfterTest, everythingStdio, harness, stopAll, WAIT } from './helpers.js';

afterEach(stopAll);

describe('redaction helpers', () => {
  it('hides URL credentials, credential-like query values and fragments', () => {
    expect(redactUrl('https://alice:pw@example.com:8443/mcp?token=abc&x=1&api_key=k#frag')).toBe(
      'https://***:***@example.com:8443/mcp?token=***&x=1&api_key=***#***',
    );
    expect(redactUrl('http://127.0.0.1:9000/mcp')).toBe('http://127.0.0.1:9000/mcp');
    expect(redactUrl('no url at all')).toBe(REDACTED);
  });

  it('hides values of credential-like flags', () => {
    expect(
      redactArgs(['-y', 'pkg', '--api-key=abc', '--token', 'xyz', '--verbose', 'on', '--port=1']),
    ).toEqual(['-y', 'pkg', '--api-key=***', '--token', '***', '--verbose', 'on', '--port=1']);
  });

  it('keeps names and hides values', () => {
    expect(redactValues({ B: 'secret', A: '1' })).toEqual({ A: '***', B: '***' });
  });
});

const ENV_SECRET = 'env-s3cret-value-1234';
const HEADER_SECRET = 'hdr-s3cret-token-5678';
const URL_PASSWORD = 'url-s3cret-pass-9012';
const QUERY_SECRET = 'qry-s3cret-key-3456';
const secrets = [ENV_SECRET, HEADER_SECRET, URL_PASSWORD, QUERY_SECRET];

function expectNoSecret(what: string, text: string): void {
  for (const secret of secrets) {
    expect(text.includes(secret), `${what} contains ${secret}`).toBe(false);
  }
}

describe('secrets in status, events and logs', () => {
  it(
    'never shows env values, header values or URL credentials',
    async () => {
      const port = await freePort(); // nothing listens there: the remote server fails to connect
      const server = closeAfterTest(await startFixtureServer({ transport: 'streamable-http' }));
      const live = new URL(server.url);
      live.username = 'corral';
      live.password = URL_PASSWORD;
      live.searchParams.set('api_key', QUERY_SECRET);
      const h = await harness({
        connected: {
          type: 'MCPServer',
          url: live.toString(),
          headers: { 'X-Api-Key': HEADER_SECRET },
        },
        local: everythingStdio({ env: { API_TOKEN: ENV_SECRET, PLAIN: 'x' } }),
        // Prints its secret to stderr and exits: the failure quotes stderr, scrubbed.
        leaky: {
          type: 'MCPServer',
          command: process.execPath,
          args: ['-e', 'console.error("token is " + process.env.API_TOKEN); process.exit(4)'],
          env: { API_TOKEN: ENV_SECRET },
          restart: 'never',
        },
        remote: {
          type: 'MCPServer',
          url: `http://corral:${URL_PASSWORD}@127.0.0.1:${port}/mcp?token=${QUERY_SECRET}&x=1`,
          headers: { Authorization: `Bearer ${HEADER_SECRET}` },
          restart: 'never',
        },
      });
      await h.corral.start();
      await h.waitForEvent('leaky to fail', becomes('leaky', 'failed'));
      await h.waitForEvent('remote to fail', becomes('remote', 'failed'));

      const connected = h.service('connected');
      expect((await connected.callTool('echo', { text: 'hi' })).structuredContent).toEqual({
        text: 'hi',
      });
      const all = h.corral.orchestrator.getAllServices();
      const connectedInfo = all.find((s) => s.name === 'connected');
      expect(connectedInfo?.state).toBe('running');
      expect(connectedInfo?.data?.['headers']).toEqual({ 'X-Api-Key': '***' });
      expect(connectedInfo?.data?.['url']).toBe(
        server.url.replace('http://', 'http://***:***@') + '?api_key=***',
      );
      const local = all.find((s) => s.name === 'local');
      expect(local?.state).toBe('running');
      expect(local?.data?.['env']).toEqual({ API_TOKEN: '***', PLAIN: '***' });
      const remote = all.find((s) => s.name === 'remote');
      expect(remote?.data?.['url']).toBe(`http://***:***@127.0.0.1:${port}/mcp?token=***&x=1`);
      expect(remote?.data?.['headers']).toEqual({ Authorization: '***' });
      expect(remote?.lastError?.message).toContain(`127.0.0.1:${port}`);
      expect(remote?.lastError?.message).toContain('could not connect (ECONNREFUSED)');
      const leaky = all.find((s) => s.name === 'leaky');
      expect(leaky?.lastError?.message).toContain('token is ***');
      expect(leaky?.data?.['stderr']).toEqual(['token is ***']);

      expectNoSecret('getAllServices()', JSON.stringify(all));
      expectNoSecret('events', JSON.stringify(h.events));
      await h.corral.stop();
      expectNoSecret('logs', h.logs.join('\n'));
      expect(h.logs.length).toBeGreaterThan(0);
    },
    WAIT.timeoutMs,
  );
});

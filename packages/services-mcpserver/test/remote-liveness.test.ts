import { startFixtureServer } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { becomes, closeAfterTest, harness, stopAll } from './helpers.js';

afterEach(stopAll);

describe('a remote server that goes away while running', () => {
  it('fails at once over SSE, whose stream carries every answer', async () => {
    const server = closeAfterTest(await startFixtureServer({ transport: 'sse' }));
    const h = await harness({
      remote: { type: 'MCPServer', url: server.url, transport: 'sse', restart: 'never' },
    });
    await h.corral.start();
    expect(h.corral.orchestrator.getServiceInfo('remote').data?.['tools']).toBe(9);

    await server.close();

    const failed = await h.waitForEvent('remote to fail', becomes('remote', 'failed'));
    expect(failed.error?.code).toBe('MCP_CONNECTION_LOST');
    expect(failed.error?.message).toContain('the SSE stream failed');
  });

  it('fails over streamable HTTP once pings go unanswered, and says why', async () => {
    const server = closeAfterTest(await startFixtureServer({ transport: 'streamable-http' }));
    const h = await harness({
      remote: {
        type: 'MCPServer',
        url: server.url,
        restart: 'never',
        ping: { intervalMs: 100, timeoutMs: 500, failures: 2 },
      },
    });
    await h.corral.start();

    await server.close();

    const failed = await h.waitForEvent('remote to fail', becomes('remote', 'failed'));
    expect(failed.error?.code).toBe('HEALTH_CHECK_FAILED');
    expect(failed.error?.message).toContain('ping failed');
  });
});

import { startReferenceServer } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { becomes, closeAfterTest, harness, stopAll, unauthorizedServer } from './helpers.js';

afterEach(stopAll);

describe.each(['streamable-http', 'sse'] as const)('server-everything over %s', (transport) => {
  it('starts, lists, calls, reads, prompts and stops', async () => {
    const server = closeAfterTest(await startReferenceServer('everything', { transport }));
    const h = await harness({
      everything: { type: 'MCPServer', url: server.url, transport },
    });
    await h.corral.start();
    const info = h.corral.orchestrator.getServiceInfo('everything');
    expect(info.state).toBe('running');
    expect(info.data).toMatchObject({
      transport,
      url: server.url,
      connected: true,
      tools: 13,
      resources: 7,
      prompts: 4,
      server: { name: 'mcp-servers/everything' },
    });
    const service = h.service('everything');
    expect(service.listTools()).toHaveLength(13);
    expect(service.listResources()).toHaveLength(7);
    expect(service.listPrompts()).toHaveLength(4);

    const echo = await service.callTool('echo', { message: `over ${transport}` });
    expect(echo.content).toEqual([{ type: 'text', text: `Echo: over ${transport}` }]);
    const uri = service.listResources()[0]?.uri ?? '';
    const read = await service.readResource(uri);
    expect(read.contents[0]?.['uri']).toBe(uri);
    const prompt = await service.getPrompt('args-prompt', { city: 'Porto' });
    expect(JSON.stringify(prompt.messages)).toContain('Porto');
    const health = await service.checkHealth(AbortSignal.timeout(5_000));
    expect(health).toEqual({ healthy: true });

    await h.corral.stop();
    expect(h.corral.orchestrator.getServiceInfo('everything').state).toBe('stopped');
    await expect(service.callTool('echo', { message: 'x' })).rejects.toThrow(
      /MCP server 'everything' is stopped, not running/,
    );
  });
});

describe('remote failures', () => {
  it('goes to auth_required when the server answers 401', async () => {
    const server = await unauthorizedServer();
    const h = await harness({ locked: { type: 'MCPServer', url: server.url, restart: 'never' } });
    await h.corral.start();
    const event = await h.waitForEvent('locked to need auth', becomes('locked', 'auth_required'));
    expect(event.error?.code).toBe('AUTH_REQUIRED');
    expect(event.error?.message).toContain("MCP server 'locked'");
    expect(event.error?.message).toContain('401 Unauthorized');
    expect(event.error?.message).toContain('headers');
  });

  it('goes to auth_required over SSE too', async () => {
    const server = await unauthorizedServer();
    const h = await harness({
      locked: { type: 'MCPServer', url: server.url, transport: 'sse', restart: 'never' },
    });
    await h.corral.start();
    const event = await h.waitForEvent('locked to need auth', becomes('locked', 'auth_required'));
    expect(event.error?.code).toBe('AUTH_REQUIRED');
  });

  it('says which HTTP status a server answered with', async () => {
    const server = closeAfterTest(
      await startReferenceServer('everything', { transport: 'streamable-http' }),
    );
    const wrongPath = server.url.replace(/\/mcp$/, '/nope');
    const h = await harness({ lost: { type: 'MCPServer', url: wrongPath, restart: 'never' } });
    await h.corral.start();
    const event = await h.waitForEvent('lost to fail', becomes('lost', 'failed'));
    expect(event.error?.code).toBe('MCP_SERVER_CONNECT_FAILED');
    expect(event.error?.message).toContain('HTTP 404');
    expect(event.error?.message).toContain('Check the path in url');
  });
});

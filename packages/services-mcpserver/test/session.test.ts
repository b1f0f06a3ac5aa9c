import { spawn } from 'node:child_process';
import {
  type FixtureOptions,
  fixtureServer,
  freePort,
  processGroupMembers,
  waitFor,
} from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { becomes, closeAfterTest, harness, type Harness, stopAll, WAIT } from './helpers.js';

afterEach(stopAll);

/**
 * The fixture over streamable HTTP on a port of our choosing, so that a second one can take
 * the first one's place — a server restarted behind our back, that knows no session of ours.
 */
async function fixtureOnPort(
  port: number,
  options: FixtureOptions = {},
): Promise<{ close(): Promise<void> }> {
  const { command, args } = fixtureServer(options);
  const child = spawn(
    command,
    [...args, '--transport', 'streamable-http', '--port', String(port)],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('the fixture did not spawn');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`the fixture exited with ${code}`));
    });
  });
  return closeAfterTest({
    close: async () => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await waitFor(async () => (await processGroupMembers(pid)).length === 0, WAIT);
    },
  });
}

/**
 * A started Corral whose service `remote` talks to the fixture on a port of its own; `replace`
 * puts another fixture (`options`) in that one's place.
 */
async function remoteOnOwnPort(
  first: FixtureOptions,
  settings: Record<string, unknown> = {},
): Promise<{ h: Harness; replace: (options: FixtureOptions) => Promise<void> }> {
  const port = await freePort();
  const server = await fixtureOnPort(port, first);
  const h = await harness({
    remote: { type: 'MCPServer', url: `http://127.0.0.1:${port}/mcp`, ...settings },
  });
  await h.corral.start();
  return {
    h,
    replace: async (options) => {
      await server.close();
      await fixtureOnPort(port, options);
    },
  };
}

describe('a streamable-HTTP session the server forgot', () => {
  it('is re-established transparently, once', async () => {
    const { h, replace } = await remoteOnOwnPort({ name: 'first' });
    const service = h.service('remote');
    const changes: string[] = [];
    service.onToolsChanged(() => changes.push('tools'));
    expect((await service.callTool('echo', { text: 'one' })).structuredContent).toEqual({
      text: 'one',
    });
    const from = h.events.length;

    await replace({ name: 'second', tools: 4 });

    const echo = await service.callTool('echo', { text: 'two' });
    expect(echo.structuredContent).toEqual({ text: 'two' });
    const info = await service.readResource('fixture://info');
    expect(info.contents[0]?.['text']).toBe('{"name":"second"}');
    expect(h.corral.orchestrator.getServiceInfo('remote').data).toMatchObject({
      sessionRecoveries: 1,
      tools: 10,
    });
    // The new server has one more tool: subscribers heard of it.
    expect(changes).toContain('tools');
    expect(h.events.slice(from).filter((e) => e.oldState !== e.newState)).toEqual([]);
  });

  it('re-establishes it once for many calls at once, and every one of them goes through', async () => {
    const { h, replace } = await remoteOnOwnPort({ name: 'first' });
    const service = h.service('remote');
    await replace({ name: 'second' });

    // Many calls at once on the old session: one re-establishes it; the rest must not be cut
    // off by that (the server never ran them: it no longer knew the session).
    const texts = Array.from({ length: 40 }, (_, i) => `call ${i}`);
    const results = await Promise.allSettled(
      texts.map((text) => service.callTool('echo', { text })),
    );
    const failures = results.flatMap((result) =>
      result.status === 'rejected' ? [String(result.reason)] : [],
    );
    expect(failures).toEqual([]);
    expect(h.corral.orchestrator.getServiceInfo('remote').data).toMatchObject({
      sessionRecoveries: 1,
    });
  });

  it('counts as a failure when it cannot be re-established', async () => {
    const { h, replace } = await remoteOnOwnPort({}, { timeout: 3, restart: 'never' });
    // Initializes, then never answers again: the re-established session cannot list.
    await replace({ hangAfter: 0 });

    await expect(h.service('remote').callTool('echo', { text: 'x' })).rejects.toThrow(
      /forgot our session and it could not be re-established/,
    );
    const failed = await h.waitForEvent('remote to fail', becomes('remote', 'failed'));
    expect(failed.error?.code).toBe('MCP_SESSION_LOST');
  });
});

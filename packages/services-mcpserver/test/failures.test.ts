import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { becomes, fixture, harness, stopAll } from './helpers.js';

afterEach(stopAll);

describe('failures and the retry path', () => {
  it('notices a crash at once, reports exit code and stderr, and is retried to running', async () => {
    const h = await harness({ crashy: fixture({ name: 'crashy', crashAfter: 1 }) });
    await h.corral.start();
    const firstPid = h.pidOf('crashy');
    const from = h.events.length;

    await h.service('crashy').callTool('echo', { text: 'last words' });

    const failed = await h.waitForEvent('crashy to fail', becomes('crashy', 'failed'), from);
    expect(failed.reason).toBe('failure');
    expect(failed.error?.code).toBe('MCP_SERVER_EXITED');
    expect(failed.error?.message).toContain(
      "MCP server 'crashy' exited unexpectedly (exit code 3)",
    );
    expect(failed.error?.message).toContain('fixture: crashing after 1 calls');
    await h.waitForEvent('crashy to be retried', becomes('crashy', 'retrying'), from);
    await h.waitForEvent('crashy to run again', becomes('crashy', 'running'), from);
    const info = h.corral.orchestrator.getServiceInfo('crashy');
    expect(info.restarts).toBe(1);
    expect(h.pidOf('crashy')).not.toBe(firstPid);
    expect(isProcessAlive(firstPid)).toBe(false);
    const echo = await h.service('crashy').callTool('echo', { text: 'back' });
    expect(echo.structuredContent).toEqual({ text: 'back' });
  });

  it('marks a hung server failed after missed pings and restarts it', async () => {
    const h = await harness({
      hangs: fixture(
        { hangAfter: 1 },
        { ping: { intervalMs: 100, timeoutMs: 1_000, failures: 2 }, stopGraceMs: 200 },
      ),
    });
    await h.corral.start();
    const firstPid = h.pidOf('hangs');
    const from = h.events.length;

    await h.service('hangs').callTool('echo', { text: 'then silence' });

    const failed = await h.waitForEvent(
      'hangs to fail its pings',
      becomes('hangs', 'failed'),
      from,
    );
    expect(failed.error?.code).toBe('HEALTH_CHECK_FAILED');
    expect(failed.error?.message).toContain('failed 2 health checks in a row');
    expect(failed.error?.message).toContain('timed out');
    await h.waitForEvent('hangs to run again', becomes('hangs', 'running'), from);
    expect(isProcessAlive(firstPid)).toBe(false);
    expect(h.pidOf('hangs')).not.toBe(firstPid);
  });

  it('fails its first three starts and runs on the fourth, with the reason each time', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'corral-failfirst-')), 'launches');
    const h = await harness({ flaky: fixture({ failFirst: { count: 3, stateFile } }) });
    await h.corral.start();
    await h.waitForEvent('flaky to run', becomes('flaky', 'running'));

    const failures = h.events.filter(becomes('flaky', 'failed'));
    expect(failures).toHaveLength(3);
    failures.forEach((failure, i) => {
      expect(failure.error?.code).toBe('MCP_SERVER_EXITED');
      expect(failure.error?.message).toContain('exited before it was ready (exit code 1)');
      expect(failure.error?.message).toContain(`planned start failure ${i + 1} of 3`);
    });
    expect(h.events.filter(becomes('flaky', 'retrying'))).toHaveLength(3);
    expect(h.corral.orchestrator.getServiceInfo('flaky').restarts).toBe(1);
  });

  it('fails a start that takes longer than timeout, saying what it was doing', async () => {
    const h = await harness({
      slow: fixture({ slowStartMs: 5_000 }, { timeout: 0.5, restart: 'never', stopGraceMs: 100 }),
    });
    await h.corral.start();
    const failed = await h.waitForEvent('slow to fail', becomes('slow', 'failed'));
    expect(failed.error?.code).toBe('MCP_SERVER_START_TIMEOUT');
    // From outside, a server that is slow to start and one that never answers look the same.
    expect(failed.error?.message).toContain(
      "MCP server 'slow' did not answer initialize within 0.5 s (timeout)",
    );
    expect(failed.error?.message).toContain('raise timeout');
    expect(h.corral.orchestrator.getServiceInfo('slow').data?.['pid']).toBeNull();
  });

  it('fails a server that never answers after initialize while listing', async () => {
    const h = await harness({
      // Long enough for a busy machine to start node and initialize; then it waits on the lists.
      mute: fixture({ hangAfter: 0 }, { timeout: 4, restart: 'never', stopGraceMs: 100 }),
    });
    await h.corral.start();
    const failed = await h.waitForEvent('mute to fail', becomes('mute', 'failed'));
    expect(failed.error?.code).toBe('MCP_SERVER_START_TIMEOUT');
    expect(failed.error?.message).toContain('listing its tools, resources and prompts');
  });

  it('says when the command cannot be run at all', async () => {
    const h = await harness({
      missing: { type: 'MCPServer', command: 'no-such-mcp-server-xyz', restart: 'never' },
    });
    await h.corral.start();
    const failed = await h.waitForEvent('missing to fail', becomes('missing', 'failed'));
    expect(failed.error?.code).toBe('MCP_SERVER_SPAWN_FAILED');
    expect(failed.error?.message).toContain("could not run 'no-such-mcp-server-xyz'");
    expect(failed.error?.message).toContain('ENOENT');
    expect(failed.error?.message).toContain('on the PATH');
  });

  it('leaves a failed server failed with restart: never', async () => {
    const h = await harness({
      once: fixture({ crashAfter: 1 }, { restart: 'never' }),
    });
    await h.corral.start();
    await h.service('once').callTool('echo', { text: 'bye' });
    await h.waitForEvent('once to fail', becomes('once', 'failed'));
    await h.corral.stop();
    expect(h.events.some(becomes('once', 'retrying'))).toBe(false);
  });
});

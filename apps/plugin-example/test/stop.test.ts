import { descendantsOf, isProcessAlive, processGroupMembers, waitFor } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { harness, nodeService, stopAll, WAIT } from './helpers.js';

afterEach(stopAll);

/** Ignores SIGTERM, and so does the grandchild it starts: only SIGKILL ends them. */
const stubbornParent = `
const { spawn } = require('node:child_process');
process.on('SIGTERM', () => console.error('parent: ignoring SIGTERM'));
const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);"], { stdio: 'ignore' });
console.log('grandchild ' + child.pid);
setInterval(() => {}, 1000);
`;

describe('stopping', () => {
  it('leaves nothing alive when a child and its grandchild ignore SIGTERM', async () => {
    const h = await harness({
      stubborn: nodeService(stubbornParent, {
        ready: { stdout: '^grandchild \\d+$' },
        stopGraceMs: 300,
      }),
    });
    await h.corral.start();
    const pid = h.pidOf('stubborn');
    const descendants = await waitFor(
      async () => {
        const found = await descendantsOf(pid);
        return found.length > 0 ? found : undefined;
      },
      { ...WAIT, description: 'the grandchild to start' },
    );
    expect(await processGroupMembers(pid)).toEqual(expect.arrayContaining([pid, ...descendants]));

    await h.corral.stop();

    expect(isProcessAlive(pid)).toBe(false);
    expect(await processGroupMembers(pid)).toEqual([]);
    expect(await descendantsOf(pid)).toEqual([]);
    expect(h.corral.orchestrator.getServiceInfo('stubborn').state).toBe('stopped');
  });

  it('kills at once, without waiting out the grace period, when the stop must hurry', async () => {
    const h = await harness({
      stubborn: nodeService(stubbornParent, {
        ready: { stdout: '^grandchild \\d+$' },
        stopGraceMs: 600_000, // longer than any test timeout: only SIGKILL at once can pass
      }),
    });
    await h.corral.start();
    const pid = h.pidOf('stubborn');

    await h.corral.registry.get('stubborn').stop('manual', { signal: AbortSignal.abort() });

    expect(isProcessAlive(pid)).toBe(false);
    expect(await processGroupMembers(pid)).toEqual([]);
  });

  it('reports an exit while running as a failure with the exit code and last stderr lines', async () => {
    const h = await harness({
      flaky: nodeService(
        `console.log('up'); setTimeout(() => { console.error('lost connection to upstream'); process.exit(7); }, 300); setInterval(() => {}, 1000);`,
        { ready: { stdout: '^up$' }, restart: 'never' },
      ),
    });
    await h.corral.start();
    expect(h.corral.orchestrator.getServiceInfo('flaky').state).toBe('running');

    const failed = await h.waitForEvent(
      'flaky to fail',
      (e) => e.name === 'flaky' && e.newState === 'failed',
    );
    expect(failed.reason).toBe('failure');
    expect(failed.error?.code).toBe('PROCESS_EXITED');
    expect(failed.error?.message).toContain('exited unexpectedly (exit code 7)');
    expect(failed.error?.message).toContain('lost connection to upstream');
  });

  it('shows status data with env keys but never env values', async () => {
    const h = await harness({
      api: nodeService(
        `console.error('booting'); console.log('ready'); setInterval(() => {}, 1000);`,
        {
          env: { API_TOKEN: 'hunter2-very-secret' },
          ready: { stdout: '^ready$' },
        },
      ),
    });
    await h.corral.start();
    const pid = h.pidOf('api');
    const data = await waitFor(
      () => {
        const d = h.corral.orchestrator.getServiceInfo('api').data;
        return Array.isArray(d?.['stderr']) && d['stderr'].includes('booting') ? d : undefined;
      },
      { ...WAIT, description: 'stderr to show in status' },
    );
    expect(data).toMatchObject({
      command: process.execPath,
      envKeys: ['API_TOKEN'],
      pid,
      ready: { stdout: '^ready$' },
      stderr: ['booting'],
    });
    expect(JSON.stringify(data)).not.toContain('hunter2');
  });
});

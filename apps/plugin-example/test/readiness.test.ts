import { isProcessAlive, processGroupMembers, waitForState } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, harness, nodeService, stopAll, WAIT } from './helpers.js';

afterEach(stopAll);

const forever = 'setInterval(() => {}, 1000);';

describe('readiness', () => {
  it('a stdout probe passes when a line matches', async () => {
    const h = await harness({
      app: nodeService(
        `console.log('warming up'); setTimeout(() => console.log('ready to serve on 8080'), 200); ${forever}`,
        { ready: { stdout: '^ready to serve on \\d+$' } },
      ),
    });
    await h.corral.start();
    expect(h.corral.orchestrator.getServiceInfo('app').state).toBe('running');
  });

  it('a process that exits before it is ready fails with its exit code and stderr', async () => {
    const h = await harness({
      db: nodeService(
        `console.error('fatal: cannot open /var/lib/db: permission denied'); process.exit(3);`,
        { ready: { tcp: await freePort() }, restart: 'never' },
      ),
    });
    await h.corral.start();
    const info = h.corral.orchestrator.getServiceInfo('db');
    expect(info.state).toBe('failed');
    expect(info.lastError?.code).toBe('PROCESS_EXITED');
    expect(info.lastError?.message).toContain('exited before it was ready (exit code 3)');
    expect(info.lastError?.message).toContain('fatal: cannot open /var/lib/db: permission denied');
  });

  it('a readiness timeout fails with a message naming the service and the probe, and kills the process', async () => {
    const port = await freePort();
    const h = await harness({
      tunnel: nodeService(`console.error('pid=' + process.pid); ${forever}`, {
        ready: { tcp: port },
        readyTimeoutMs: 400,
        restart: 'never',
      }),
    });
    await h.corral.start();
    const info = h.corral.orchestrator.getServiceInfo('tunnel');
    expect(info.state).toBe('failed');
    expect(info.lastError?.code).toBe('PROCESS_READY_TIMEOUT');
    expect(info.lastError?.message).toContain(`service 'tunnel' was not ready within 400 ms`);
    expect(info.lastError?.message).toContain(`127.0.0.1:${port} (ready.tcp)`);
    const pid = Number(/pid=(\d+)/.exec(info.lastError?.message ?? '')?.[1]);
    expect(pid).toBeGreaterThan(1);
    expect(isProcessAlive(pid)).toBe(false);
    expect(await processGroupMembers(pid)).toEqual([]);
  });

  it('a stdout probe that never matches says what the process printed instead', async () => {
    const h = await harness({
      app: nodeService(`console.log('listening at 8080'); ${forever}`, {
        ready: { stdout: 'ready' },
        readyTimeoutMs: 400,
        restart: 'never',
      }),
    });
    await h.corral.start();
    const message = h.corral.orchestrator.getServiceInfo('app').lastError?.message ?? '';
    expect(message).toContain('a stdout line matching /ready/ (ready.stdout)');
    expect(message).toContain('listening at 8080');
  });

  it('a command that cannot be spawned fails with a clear error', async () => {
    const h = await harness({
      ghost: { type: 'process', command: 'corral-no-such-command', restart: 'never' },
    });
    await h.corral.start();
    const error = h.corral.orchestrator.getServiceInfo('ghost').lastError;
    expect(error?.code).toBe('PROCESS_SPAWN_FAILED');
    expect(error?.message).toContain('ENOENT');
    expect(error?.message).toContain('on PATH');
  });

  it('a stop during the readiness wait cancels the start at once and kills the process', async () => {
    const h = await harness({
      slow: nodeService(forever, {
        ready: { tcp: await freePort() },
        readyTimeoutMs: 60_000,
        autoStart: false,
      }),
    });
    await h.corral.start();
    const starting = h.corral.orchestrator.startService('slow');
    const outcome = starting.then(
      () => 'started',
      (error: unknown) => error,
    );
    await waitForState(h.corral.orchestrator, 'slow', 'starting', WAIT);
    const pid = h.pidOf('slow');

    await h.corral.orchestrator.stopService('slow');

    expect(await outcome).toBeInstanceOf(Error);
    expect(h.corral.orchestrator.getServiceInfo('slow').state).toBe('stopped');
    expect(isProcessAlive(pid)).toBe(false);
    expect(await processGroupMembers(pid)).toEqual([]);
  });
});

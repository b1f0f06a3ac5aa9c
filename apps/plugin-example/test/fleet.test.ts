import { afterEach, describe, expect, it } from 'vitest';
import { freePort, harness, nodeService, stopAll, tcpServerScript } from './helpers.js';

afterEach(stopAll);

async function chain() {
  const [db, api, web] = [await freePort(), await freePort(), await freePort()];
  const server = (port: number, extra: Record<string, unknown> = {}) =>
    nodeService(tcpServerScript, { env: { PORT: String(port) }, ready: { tcp: port }, ...extra });
  return harness({
    db: server(db),
    api: server(api, { dependsOn: ['db'] }),
    web: server(web, { dependsOn: ['api'] }),
  });
}

describe('a chain of real processes (db ← api ← web)', () => {
  it('starts them in dependency order: each runs before its dependent starts', async () => {
    const h = await chain();
    await h.corral.start();

    const seqOf = (name: string, state: string) =>
      h.events.find((e) => e.name === name && e.newState === state)?.seq ?? Number.NaN;
    expect(seqOf('db', 'running')).toBeLessThan(seqOf('api', 'starting'));
    expect(seqOf('api', 'running')).toBeLessThan(seqOf('web', 'starting'));
    expect(h.corral.orchestrator.getAllServices().map((s) => [s.name, s.state])).toEqual([
      ['db', 'running'],
      ['api', 'running'],
      ['web', 'running'],
    ]);
  });

  it('killing the middle one sends its dependent to waiting; both come back through retry', async () => {
    const h = await chain();
    await h.corral.start();
    const apiPid = h.pidOf('api');
    const webPid = h.pidOf('web');
    const mark = h.events.length;

    process.kill(-apiPid, 'SIGKILL');

    const failed = await h.waitForEvent(
      'api to fail',
      (e) => e.name === 'api' && e.newState === 'failed',
      mark,
    );
    expect(failed.error?.message).toContain('SIGKILL');
    const waiting = await h.waitForEvent(
      'web to wait',
      (e) => e.name === 'web' && e.newState === 'waiting',
      mark,
    );
    expect(waiting.reason).toBe('dependency');
    const apiBack = await h.waitForEvent(
      'api to run again',
      (e) => e.name === 'api' && e.newState === 'running',
      mark,
    );
    const webBack = await h.waitForEvent(
      'web to run again',
      (e) => e.name === 'web' && e.newState === 'running',
      mark,
    );
    expect(webBack.seq).toBeGreaterThan(apiBack.seq);
    expect(h.pidOf('api')).not.toBe(apiPid);
    expect(h.pidOf('web')).not.toBe(webPid);
    expect(h.corral.orchestrator.getServiceInfo('db').state).toBe('running');
    expect(h.corral.orchestrator.getServiceInfo('api').restarts).toBe(1);
  });
});

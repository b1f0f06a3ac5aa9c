import {
  descendantsOf,
  fixtureServer,
  isProcessAlive,
  processGroupMembers,
  waitFor,
} from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, harness, stopAll, WAIT } from './helpers.js';

afterEach(stopAll);

/** Waits until the server's process group has more than its leader: the grandchild is up. */
async function groupWithGrandchild(pid: number): Promise<number[]> {
  return waitFor(
    async () => {
      const members = await processGroupMembers(pid);
      return members.length >= 2 ? members : undefined;
    },
    { ...WAIT, description: `process group ${pid} to hold a grandchild` },
  );
}

describe('stopping', () => {
  it('leaves no process of the group when the server and its grandchild ignore SIGTERM', async () => {
    const h = await harness({
      stubborn: fixture({ grandchild: true, ignoreSigterm: true }, { stopGraceMs: 300 }),
    });
    await h.corral.start();
    const pid = h.pidOf('stubborn');
    const members = await groupWithGrandchild(pid);

    await h.corral.stop();

    for (const member of members) expect(isProcessAlive(member)).toBe(false);
    expect(await processGroupMembers(pid)).toEqual([]);
    expect(h.corral.orchestrator.getServiceInfo('stubborn').state).toBe('stopped');
    expect(h.corral.orchestrator.getServiceInfo('stubborn').data?.['pid']).toBeNull();
  });

  it('leaves nothing behind a shell wrapper', async () => {
    const { command, args } = fixtureServer({ grandchild: true });
    const line = [command, ...args].map((part) => `'${part}'`).join(' ');
    const h = await harness({
      wrapped: { type: 'MCPServer', command: '/bin/sh', args: ['-c', line], stopGraceMs: 300 },
    });
    await h.corral.start();
    const pid = h.pidOf('wrapped');
    const members = await groupWithGrandchild(pid);
    expect(await descendantsOf(pid)).not.toEqual([]);

    await h.corral.stop();

    for (const member of members) expect(isProcessAlive(member)).toBe(false);
    expect(await processGroupMembers(pid)).toEqual([]);
  });

  it('kills at once, without waiting out the grace periods, when the stop must hurry', async () => {
    const h = await harness({
      stubborn: fixture({ ignoreSigterm: true }, { stopGraceMs: 600_000 }),
    });
    await h.corral.start();
    const pid = h.pidOf('stubborn');

    await h.corral.registry.get('stubborn').stop('manual', { signal: AbortSignal.abort() });

    expect(isProcessAlive(pid)).toBe(false);
    expect(await processGroupMembers(pid)).toEqual([]);
  });

  it("leaves no process alive after the orchestrator's stop with 20 servers", async () => {
    const services: Record<string, unknown> = {};
    for (let i = 0; i < 20; i++) {
      services[`s${i}`] = fixture(
        { name: `s${i}`, grandchild: i % 4 === 0, ignoreSigterm: i % 5 === 0 },
        { stopGraceMs: 300 },
      );
    }
    const h = await harness(services);
    await h.corral.start();
    const all = h.corral.orchestrator.getAllServices();
    expect(all.filter((s) => s.state === 'running')).toHaveLength(20);
    const groups = all.map((s) => h.pidOf(s.name));
    const members = (await Promise.all(groups.map((pid) => processGroupMembers(pid)))).flat();
    expect(members.length).toBeGreaterThanOrEqual(20);

    await h.corral.stop();

    for (const member of members) expect(isProcessAlive(member)).toBe(false);
    for (const pid of groups) expect(await processGroupMembers(pid)).toEqual([]);
    expect(h.corral.orchestrator.getAllServices().every((s) => s.state === 'stopped')).toBe(true);
  }, 60_000);

  it('cancels a slow start at once when stopped, leaving nothing', async () => {
    const h = await harness({
      slow: fixture(
        { slowStartMs: 60_000, grandchild: true },
        { stopGraceMs: 300, autoStart: false },
      ),
    });
    await h.corral.start();
    const starting = h.corral.orchestrator.startService('slow');
    starting.catch(() => undefined);
    const service = h.service('slow');
    const pid = await waitFor(() => service.pid, { ...WAIT, description: 'the process to spawn' });
    await groupWithGrandchild(pid);

    await h.corral.orchestrator.stopService('slow');

    await expect(starting).rejects.toThrow(/cancelled/);
    expect(h.corral.orchestrator.getServiceInfo('slow').state).toBe('stopped');
    expect(await processGroupMembers(pid)).toEqual([]);
  });

  it('stops a server that exits on its own when stdin ends, without signals', async () => {
    const h = await harness({ polite: fixture({}, { stopGraceMs: 60_000 }) });
    await h.corral.start();
    const pid = h.pidOf('polite');
    // A grace of a minute would time the test out if stdin's end were not enough.
    await h.corral.stop();
    expect(isProcessAlive(pid)).toBe(false);
    expect(h.corral.orchestrator.getServiceInfo('polite').data?.['stderr']).toEqual([]);
  });
});

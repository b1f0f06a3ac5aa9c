import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  countProcessGroup,
  deferred,
  descendantsOf,
  isProcessAlive,
  processGroupMembers,
  seededRandom,
  waitFor,
  waitForState,
} from '../src/index.js';

describe('seededRandom', () => {
  it('replays the same sequence for the same seed, in [0, 1)', () => {
    const a = seededRandom(99);
    const b = seededRandom(99);
    const xs = Array.from({ length: 1_000 }, () => a.next());
    expect(Array.from({ length: 1_000 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(100).next()).not.toBe(xs[0]);
  });

  it('int and pick stay in range', () => {
    const r = seededRandom(1);
    const ints = Array.from({ length: 1_000 }, () => r.int(6));
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    expect(['x', 'y']).toContain(r.pick(['x', 'y']));
    expect(() => r.pick([])).toThrow(/non-empty/);
  });
});

describe('deferred and waitFor', () => {
  it('deferred resolves on cue', async () => {
    const d = deferred<number>();
    expect(d.settled).toBe(false);
    d.resolve(4);
    expect(await d.promise).toBe(4);
    expect(d.settled).toBe(true);
  });

  it('waitFor returns the truthy value, and times out with what it waited for', async () => {
    let n = 0;
    expect(await waitFor(() => (++n >= 3 ? n : 0), { intervalMs: 1 })).toBe(3);
    await expect(waitFor(() => false, { timeoutMs: 30, description: 'the moon' })).rejects.toThrow(
      'timed out after 30 ms waiting for the moon',
    );
  });

  it('waitForState names the service and its state on timeout', async () => {
    const source = { getServiceInfo: () => ({ state: 'failed' }) };
    await expect(waitForState(source, 'db', 'running', { timeoutMs: 30 })).rejects.toThrow(
      /service 'db' to be running \(it is failed\)/,
    );
  });
});

describe('process inspection', () => {
  it('sees a process group with a grandchild, and sees it gone after a group kill', async () => {
    // A shell in its own group that starts a sleeping grandchild and waits.
    const child = spawn('/bin/sh', ['-c', 'sleep 30 & wait'], { detached: true, stdio: 'ignore' });
    const pid = child.pid;
    if (pid === undefined) throw new Error('spawn failed');
    await waitFor(async () => (await countProcessGroup(pid)) === 2, {
      description: 'sh and sleep',
    });
    expect(await processGroupMembers(pid)).toContain(pid);
    expect(await descendantsOf(pid)).toHaveLength(1);
    expect(isProcessAlive(pid)).toBe(true);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-pid, 'SIGKILL');
    await exited;
    await waitFor(async () => (await countProcessGroup(pid)) === 0, { description: 'group gone' });
    expect(isProcessAlive(pid)).toBe(false);
  });
});

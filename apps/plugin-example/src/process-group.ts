import { readdir, readFile } from 'node:fs/promises';

/**
 * Process groups: a service's command runs as the leader of its own group (spawned detached),
 * so one signal reaches it and everything it started, grandchildren included.
 */

/** Sends `signal` to every process in group `pgid`. False if the group has no process left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if (isErrno(error, 'ESRCH')) return false;
    throw error;
  }
}

/**
 * True while any live process is in group `pgid`. Zombies do not count: an orphaned grandchild
 * that died stays a zombie until init reaps it, and some inits (containers, VMs) take their time.
 */
export async function groupHasLiveMembers(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if (isErrno(error, 'ESRCH')) return false;
    throw error;
  }
  if (process.platform !== 'linux') return true;
  return (await liveMembersFromProc(pgid)) > 0;
}

/**
 * Polls until group `pgid` has no live process; true if it emptied within `timeoutMs`, false
 * if the time ran out or `signal` aborted first. `wake` (the leader's exit, say) cuts a pause
 * short, so a group that goes at once is noticed at once.
 */
export async function waitForGroupExit(
  pgid: number,
  timeoutMs: number,
  options: { signal?: AbortSignal; wake?: Promise<unknown>; intervalMs?: number } = {},
): Promise<boolean> {
  const { signal, wake, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  let early: Promise<unknown> | undefined = wake?.then(() => {
    early = undefined; // wakes one pause, not every one after it
  });
  for (;;) {
    if (!(await groupHasLiveMembers(pgid))) return true;
    if (signal?.aborted === true || Date.now() >= deadline) return false;
    const nap = pause(Math.min(intervalMs, Math.max(0, deadline - Date.now())), signal);
    await (early === undefined ? nap : Promise.race([nap, early]));
  }
}

async function liveMembersFromProc(pgid: number): Promise<number> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return 1; // no /proc to look at: the kill(0) above said the group exists
  }
  const states = await Promise.all(
    entries.filter((entry) => /^\d+$/.test(entry)).map((pid) => readGroupAndState(pid)),
  );
  return states.filter((s) => s !== undefined && s.pgid === pgid && s.state !== 'Z').length;
}

async function readGroupAndState(
  pid: string,
): Promise<{ pgid: number; state: string } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', pgid: Number(fields[2]) };
  } catch {
    return undefined; // it exited while we looked
  }
}

/** Resolves after `ms`, or early (never rejecting) when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

import { readdir, readFile } from 'node:fs/promises';

/**
 * Process groups: a stdio server runs as the leader of its own group (spawned detached), so one
 * signal reaches it and everything it started — `npx`'s node, a shell wrapper's child, a
 * grandchild that ignores SIGTERM.
 */

/** Sends `signal` to every process in group `pgid`. False if the group has no process left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!isSafeGroupId(pgid)) return false;
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
 * that died stays a zombie until init reaps it, and some inits (containers) take their time.
 */
export async function groupHasLiveMembers(pgid: number): Promise<boolean> {
  if (!isSafeGroupId(pgid)) return false;
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if (isErrno(error, 'ESRCH')) return false;
    if (!isErrno(error, 'EPERM')) throw error;
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
  const { signal, wake, intervalMs = 40 } = options;
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

/** Never signal group 0 (our own) or 1 (init's), whatever a bug hands us. */
function isSafeGroupId(pgid: number): boolean {
  return Number.isInteger(pgid) && pgid > 1;
}

async function liveMembersFromProc(pgid: number): Promise<number> {
  const groups = await freshScan();
  return groups.get(pgid) ?? 0;
}

let inFlight: Promise<Map<number, number>> | undefined;
let queued: Promise<Map<number, number>> | undefined;

/**
 * A scan of /proc that began after this call — never an older answer, which could predate a
 * process just spawned. Callers that arrive while one runs share the next: many stops polling
 * at once cost one scan per round, not one each.
 */
function freshScan(): Promise<Map<number, number>> {
  if (inFlight === undefined) {
    inFlight = scanProc().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }
  queued ??= inFlight.then(() => {
    queued = undefined;
    return freshScan();
  });
  return queued;
}

/** Live (non-zombie) processes per process group, from /proc. */
async function scanProc(): Promise<Map<number, number>> {
  const groups = new Map<number, number>();
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return groups;
  }
  const states = await Promise.all(
    entries.filter((entry) => /^\d+$/.test(entry)).map((pid) => readGroupAndState(pid)),
  );
  for (const s of states) {
    if (s !== undefined && s.state !== 'Z') groups.set(s.pgid, (groups.get(s.pgid) ?? 0) + 1);
  }
  return groups;
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

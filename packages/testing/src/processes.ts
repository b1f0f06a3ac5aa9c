import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/**
 * True if a process with this pid is alive. A zombie (exited, not yet reaped — common for
 * orphaned grandchildren in containers whose init does not reap) counts as dead.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): trust the signal check
  }
}

interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly pgid: number;
}

async function readStat(pid: number): Promise<ProcStat | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: parse after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: rest[0] ?? '?', ppid: Number(rest[1]), pgid: Number(rest[2]) };
  } catch {
    return undefined;
  }
}

async function allProcesses(): Promise<ProcStat[]> {
  const entries = await readdir('/proc');
  const stats = await Promise.all(
    entries.filter((e) => /^\d+$/.test(e)).map((e) => readStat(Number(e))),
  );
  return stats.filter((s): s is ProcStat => s !== undefined);
}

/** Pids of live (non-zombie) processes in process group `pgid` (Linux, via /proc). */
export async function processGroupMembers(pgid: number): Promise<number[]> {
  return (await allProcesses()).filter((p) => p.pgid === pgid && p.state !== 'Z').map((p) => p.pid);
}

/** How many live processes process group `pgid` has. */
export async function countProcessGroup(pgid: number): Promise<number> {
  return (await processGroupMembers(pgid)).length;
}

/** Pids of live descendants of `pid` (children, grandchildren, …). */
export async function descendantsOf(pid: number): Promise<number[]> {
  const all = (await allProcesses()).filter((p) => p.state !== 'Z');
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = all.filter((p) => frontier.includes(p.ppid)).map((p) => p.pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

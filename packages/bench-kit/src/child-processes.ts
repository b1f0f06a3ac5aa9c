import { check } from './check.js';

/**
 * Takes note of the child processes there are now (tsx's esbuild service, say) and returns a
 * check that no other one is left: a run that leaks a server is wrong, not slow. The kit does
 * not read the process table itself; `listChildren` does (`() => descendantsOf(process.pid)`).
 */
export async function childProcessCheck(
  listChildren: () => Promise<readonly number[]>,
): Promise<(what: string) => Promise<void>> {
  const preexisting = new Set(await listChildren());
  return async (what) => {
    const left = (await listChildren()).filter((pid) => !preexisting.has(pid));
    check(left.length === 0, `${left.length} child processes outlived ${what}: ${left.join(' ')}`);
  };
}

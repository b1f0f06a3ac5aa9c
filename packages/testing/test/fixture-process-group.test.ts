import { afterEach, describe, expect, it } from 'vitest';
import { fixtureServer, isProcessAlive, processGroupMembers, waitFor } from '../src/index.js';
import { INITIALIZE, INITIALIZED, runCleanups, spawnGroup } from './support.js';

afterEach(runCleanups);

function grandchildPid(lines: readonly string[]): number | undefined {
  for (const line of lines) {
    const match = /^fixture: grandchild (\d+)$/.exec(line);
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}

describe('fixture process group', () => {
  it('with --grandchild --ignore-sigterm, survives SIGTERM and stdin closing until SIGKILL', async () => {
    const { command, args } = fixtureServer({ grandchild: true, ignoreSigterm: true });
    const server = spawnGroup(command, args);
    const grandchild = await waitFor(() => grandchildPid(server.stderr.all), {
      description: 'the grandchild pid on stderr',
    });
    await waitFor(async () => (await processGroupMembers(server.pid)).length === 2, {
      description: 'leader and grandchild in one group',
    });
    expect((await processGroupMembers(server.pid)).sort()).toEqual([server.pid, grandchild].sort());

    // Prove it still speaks MCP, then close stdin and send SIGTERM to the whole group.
    server.send(INITIALIZE, INITIALIZED, { jsonrpc: '2.0', id: 1, method: 'ping' });
    await waitFor(() => server.stdout.all.some((line) => line.includes('"id":1')));
    server.endStdin();
    process.kill(-server.pid, 'SIGTERM');
    await waitFor(() => server.stderr.all.includes('fixture: ignoring SIGTERM'), {
      description: 'the leader to shrug off SIGTERM',
    });
    expect((await processGroupMembers(server.pid)).sort()).toEqual([server.pid, grandchild].sort());

    process.kill(-server.pid, 'SIGKILL');
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await waitFor(async () => (await processGroupMembers(server.pid)).length === 0, {
      description: 'the group to be gone',
    });
    expect(isProcessAlive(grandchild)).toBe(false);
  });

  it('with --grandchild alone, the leader exits on SIGTERM but leaves the grandchild behind', async () => {
    const { command, args } = fixtureServer({ grandchild: true });
    const server = spawnGroup(command, args);
    const grandchild = await waitFor(() => grandchildPid(server.stderr.all));
    await waitFor(async () => (await processGroupMembers(server.pid)).length === 2);
    process.kill(-server.pid, 'SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(await processGroupMembers(server.pid)).toEqual([grandchild]);
  });

  it('exits cleanly when stdin ends', async () => {
    const { command, args } = fixtureServer();
    const server = spawnGroup(command, args);
    server.send(INITIALIZE, INITIALIZED);
    await waitFor(() => server.stdout.all.length > 0);
    server.endStdin();
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it('writes the stderr spam it was asked for', async () => {
    const { command, args } = fixtureServer({ stderrSpam: 200 });
    const server = spawnGroup(command, args);
    await waitFor(() => server.stderr.all.includes('spam line 100'), {
      description: '100 spam lines',
    });
    expect(server.stderr.all.filter((line) => line.startsWith('spam line ')).slice(0, 3)).toEqual([
      'spam line 1',
      'spam line 2',
      'spam line 3',
    ]);
  });
});

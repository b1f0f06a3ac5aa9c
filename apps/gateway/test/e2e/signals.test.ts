import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureServer, waitFor } from '@corral/testing';
import { allGone, connect, serve, type ServeProcess, tempDir, writeConfig } from './harness.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const entry = (name: string, extra = ''): string => {
  const fixture = fixtureServer({ tools: 2, ignoreSigterm: extra !== '' });
  return `  ${name}: { command: ${JSON.stringify(fixture.command)}, args: ${JSON.stringify(fixture.args)}${extra} }\n`;
};

async function started(args: string[]): Promise<ServeProcess> {
  const gateway = await serve(args);
  cleanups.push(() => gateway.stop('SIGKILL'));
  return gateway;
}

describe('corral serve and signals', { timeout: 90_000 }, () => {
  it('SIGHUP reloads the config (here with the file watcher off)', async () => {
    const temp = await tempDir();
    cleanups.push(() => temp.dispose());
    const file = await writeConfig(temp.dir, 'corral.yaml', 'mcpServers:\n' + entry('a'));
    const gateway = await started(['--config', file, '--no-watch']);
    const client = await connect(gateway.url);
    cleanups.push(() => client.close());
    await writeFile(file, 'mcpServers:\n' + entry('a') + entry('b'));
    gateway.child.kill('SIGHUP');
    await waitFor(
      async () => (await client.listTools()).tools.some((tool) => tool.name === 'x_b_echo'),
      { timeoutMs: 30_000, description: 'server b added by the reload' },
    );
    expect(gateway.stderr()).toContain('SIGHUP: reloading');
  });

  it('a second signal kills what a graceful stop is still waiting on, and exits 1', async () => {
    const temp = await tempDir();
    cleanups.push(() => temp.dispose());
    // A server that ignores SIGTERM, with a long grace: a graceful stop would wait a minute.
    const file = await writeConfig(
      temp.dir,
      'corral.yaml',
      'mcpServers:\n' + entry('stubborn', ', stopGraceMs: 30000'),
    );
    const gateway = await started(['--config', file]);
    const processes = await gateway.descendants();
    expect(processes.length).toBeGreaterThan(0);
    gateway.child.kill('SIGTERM');
    await waitFor(() => gateway.stderr().includes('stopping the fleet'), {
      timeoutMs: 10_000,
      description: 'the graceful stop to begin',
    });
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(1);
    expect(gateway.stderr()).toContain('second signal: killing every process of the fleet now');
    await allGone(processes);
  });
});

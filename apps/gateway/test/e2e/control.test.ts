import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, waitFor } from '@corral/testing';
import {
  cliPath,
  corral,
  serve,
  type ServeProcess,
  services,
  tempDir,
  writeConfig,
} from './harness.js';

/** `corral stop|start NAME` and `corral events` against a running gateway, as separate processes. */
describe('corral start/stop/events against a running gateway', { timeout: 90_000 }, () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  let gateway: ServeProcess;

  beforeAll(async () => {
    temp = await tempDir();
    const fixture = fixtureServer({ tools: 2 });
    const server = (name: string): string =>
      `  ${name}: { command: ${JSON.stringify(fixture.command)}, args: ${JSON.stringify(fixture.args)} }\n`;
    const file = await writeConfig(
      temp.dir,
      'corral.yaml',
      'mcpServers:\n' + server('alpha') + server('beta'),
    );
    gateway = await serve(['--config', file]);
  }, 90_000);

  afterAll(async () => {
    await gateway.stop();
    await temp.dispose();
  });

  it('stops and starts a service, and `corral events` prints both in order', async () => {
    const events = spawn(
      process.execPath,
      [cliPath, 'events', '--json', '--service', 'alpha', ...gateway.urlArgs],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let printed = '';
    events.stdout.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
    const exited = new Promise<number | null>((resolve) => events.once('exit', resolve));
    // The stream is open once the gateway counts a subscriber; give it a first event to prove it.
    await waitFor(async () => {
      const metrics = await fetch(new URL('/healthz', gateway.url));
      return metrics.ok;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));

    const stop = await corral(['stop', 'alpha', ...gateway.urlArgs]);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain("service 'alpha' stopped");
    expect((await services(gateway.url)).get('alpha')?.state).toBe('stopped');
    expect((await services(gateway.url)).get('beta')?.state).toBe('running');

    const again = await corral(['stop', 'alpha', ...gateway.urlArgs]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already stopped');

    const start = await corral(['start', 'alpha', ...gateway.urlArgs]);
    expect(start.code).toBe(0);
    expect((await services(gateway.url)).get('alpha')?.state).toBe('running');

    const unknown = await corral(['start', 'gamma', ...gateway.urlArgs]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("service 'gamma' not found");

    await waitFor(
      () => printed.includes('"newState":"running"') && printed.includes('"newState":"stopped"'),
      {
        description: 'corral events to print the stop and the start',
      },
    );
    const states = printed
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string; newState: string });
    expect(states.every((event) => event.name === 'alpha')).toBe(true);
    expect(states.map((event) => event.newState)).toEqual([
      'stopping',
      'stopped',
      'starting',
      'running',
    ]);
    events.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('says clearly when no gateway is listening', async () => {
    const result = await corral(['status', '--url', 'http://127.0.0.1:1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('corral serve');
  });
});

import { ConfigValidationError, createCorral, silentLogger } from '@corral/core';
import { describe, expect, it } from 'vitest';
import { processPlugin } from '../src/index.js';

async function problemsFor(entry: Record<string, unknown>) {
  try {
    await createCorral({
      plugins: [processPlugin],
      logger: silentLogger,
      config: { services: { db: { type: 'process', ...entry } } },
    });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('config validation', () => {
  it('names services.<name>.command when the command is missing, and says what to give', async () => {
    expect(await problemsFor({ ready: { tcp: 5432 } })).toEqual([
      { path: 'services.db.command', message: expect.stringContaining('is required') },
    ]);
  });

  it('names services.<name>.ready.tcp for a bad port, with the valid range', async () => {
    expect(await problemsFor({ command: 'postgres', ready: { tcp: 70000 } })).toEqual([
      { path: 'services.db.ready.tcp', message: expect.stringContaining('1 to 65535') },
    ]);
  });

  it('rejects an invalid stdout pattern, a bad probe shape and a mistyped field', async () => {
    expect(await problemsFor({ command: 'x', ready: { stdout: '(' } })).toEqual([
      {
        path: 'services.db.ready.stdout',
        message: expect.stringContaining('not a valid regular expression'),
      },
    ]);
    expect(await problemsFor({ command: 'x', ready: { http: 80 } })).toEqual([
      { path: 'services.db.ready', message: expect.stringContaining('{ tcp: <port> }') },
    ]);
    expect(await problemsFor({ command: 'x', readyTimeout: 5 })).toEqual([
      { path: 'services.db', message: expect.stringContaining('unknown field "readyTimeout"') },
    ]);
  });

  it('reports every problem of an entry at once', async () => {
    const problems = await problemsFor({ args: 'a b', env: { PORT: 5432 }, stopGraceMs: -1 });
    expect(problems.map((p) => p.path).sort()).toEqual([
      'services.db.args',
      'services.db.command',
      'services.db.env.PORT',
      'services.db.stopGraceMs',
    ]);
  });

  it('accepts a full entry', async () => {
    const corral = await createCorral({
      plugins: [processPlugin],
      logger: silentLogger,
      config: {
        services: {
          tunnel: {
            type: 'process',
            command: 'ssh',
            args: ['-N', '-L', '9090:localhost:9090', 'host'],
            env: { SSH_AUTH_SOCK: '/tmp/agent' },
            cwd: '/tmp',
            ready: { tcp: 9090 },
            readyTimeoutMs: 20_000,
            stopGraceMs: 0,
            dependsOn: [],
          },
        },
      },
    });
    expect(corral.orchestrator.getServiceInfo('tunnel')).toMatchObject({
      type: 'process',
      state: 'unknown',
      data: { command: 'ssh', envKeys: ['SSH_AUTH_SOCK'], ready: { tcp: 9090 }, pid: null },
    });
    await corral.stop();
  });
});

import { waitFor } from '@corral/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, harness, stopAll, WAIT } from './helpers.js';

afterEach(stopAll);

describe('status data', () => {
  it('describes a running stdio server', async () => {
    const h = await harness({ fx: fixture({ name: 'fx-server', tools: 4 }, { toolPrefix: 'fx' }) });
    await h.corral.start();
    const data = h.corral.orchestrator.getServiceInfo('fx').data;
    expect(data).toMatchObject({
      transport: 'stdio',
      command: process.execPath,
      env: {},
      cwd: null,
      connected: true,
      server: { name: 'fx-server', version: '1.0.0' },
      tools: 10,
      resources: 2,
      prompts: 1,
      sessionRecoveries: 0,
      timeoutMs: 30_000,
      ping: { intervalMs: 15_000, timeoutMs: 5_000, failures: 3 },
      stopGraceMs: 2_000,
      toolPrefix: 'fx',
    });
    expect(typeof data?.['pid']).toBe('number');
    expect(typeof data?.['uptimeMs']).toBe('number');
    expect(typeof data?.['protocolVersion']).toBe('string');
    expect(JSON.parse(JSON.stringify(data))).toEqual(data); // JSON-safe

    await h.corral.stop();
    expect(h.corral.orchestrator.getServiceInfo('fx').data).toMatchObject({
      connected: false,
      pid: null,
      uptimeMs: null,
      tools: 0,
    });
  });

  it('keeps the last 200 stderr lines, and shows the last 20', async () => {
    const h = await harness({ noisy: fixture({ stderrSpam: 2_000 }) });
    await h.corral.start();
    const service = h.service('noisy');
    await waitFor(() => service.stderrLines().length === 200, {
      ...WAIT,
      description: '200 stderr lines',
    });
    const lines = service.stderrLines();
    const numbers = lines.map((line) => Number(/^spam line (\d+)$/.exec(line)?.[1]));
    expect(numbers.every((n, i) => i === 0 || n === (numbers[i - 1] ?? 0) + 1)).toBe(true);
    const shown = h.corral.orchestrator.getServiceInfo('noisy').data?.['stderr'];
    expect(Array.isArray(shown) && shown.length).toBe(20);
    expect(h.corral.orchestrator.getServiceInfo('noisy').state).toBe('running');
    expect((await service.callTool('echo', { text: 'still here' })).structuredContent).toEqual({
      text: 'still here',
    });
  });
});

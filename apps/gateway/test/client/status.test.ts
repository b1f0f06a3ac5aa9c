import { fixtureToolNames } from '@corral/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStatus } from '../../src/client/index.js';
import { captureIo, linesOf, startGateway, type TestGateway } from './helpers.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startGateway({ servers: ['fx', 'fy'] });
});
afterAll(async () => {
  await gateway.close();
});

const TOOLS = fixtureToolNames(3).length;

describe('corral status', () => {
  it('prints an aligned table: state, health, tools, restarts and uptime of every service', async () => {
    const io = captureIo();
    expect(await runStatus(gateway.client(), io)).toBe(0);
    expect(io.err()).toBe('');
    const [header, ...rows] = linesOf(io.out());
    expect(header).toMatch(/^NAME +TYPE +STATE +HEALTH +TOOLS +RESTARTS +UPTIME +LAST ERROR$/);
    expect(rows.map((row) => row.split(/ {2,}/))).toEqual([
      [
        'fx',
        'MCPServer',
        'running',
        'healthy',
        String(TOOLS),
        '0',
        expect.stringMatching(/^\d+s$/),
      ],
      [
        'fy',
        'MCPServer',
        'running',
        'healthy',
        String(TOOLS),
        '0',
        expect.stringMatching(/^\d+s$/),
      ],
      ['gateway', 'Aggregator', 'running', 'healthy', '-', '0', expect.stringMatching(/^\d+s$/)],
    ]);
    // Aligned: every column starts where its title does.
    const at = (title: string): number => header?.indexOf(title) ?? -1;
    for (const row of rows) {
      expect(row.slice(at('STATE'), at('STATE') + 'running'.length)).toBe('running');
      expect(row.slice(at('UPTIME')).trim()).toMatch(/^\d+s$/);
    }
    // Not a terminal: no colour codes.
    expect(io.out()).not.toContain('\u001B[');
  });

  it('shows a stopped service without uptime or tools, and its stop reason in detail', async () => {
    await gateway.corral.orchestrator.stopService('fy');
    try {
      const io = captureIo();
      expect(await runStatus(gateway.client(), io)).toBe(0);
      const fy = linesOf(io.out()).find((line) => line.startsWith('fy'));
      expect(fy?.split(/ {2,}/)).toEqual(['fy', 'MCPServer', 'stopped', 'unknown', '-', '0', '-']);

      const detail = captureIo();
      expect(await runStatus(gateway.client(), detail, { name: 'fy' })).toBe(0);
      expect(detail.out()).toMatch(/^ {2}state +stopped since \d\d:\d\d:\d\d\.\d{3}$/m);
      expect(detail.out()).toMatch(/^ {2}stop reason +manual$/m);
    } finally {
      await gateway.corral.orchestrator.startService('fy');
    }
  });

  it('status NAME shows one service in detail, with its redacted status data', async () => {
    const io = captureIo();
    expect(await runStatus(gateway.client(), io, { name: 'fx' })).toBe(0);
    const text = io.out();
    expect(text.split('\n')[0]).toBe('fx');
    expect(text).toMatch(/^ {2}type +MCPServer$/m);
    expect(text).toMatch(/^ {2}state +running for \d+s \(since \d\d:\d\d:\d\d\.\d{3}\)$/m);
    expect(text).toMatch(/^ {2}health +healthy$/m);
    expect(text).toMatch(new RegExp(`^ {2}tools +${String(TOOLS)}$`, 'm'));
    expect(text).toMatch(/^ {2}depends on +-$/m);
    expect(text).toMatch(/^ {2}data:$/m);
    expect(text).toMatch(/^ {4}transport: stdio$/m);
  });

  it('--json prints the API JSON: every service, or the one named', async () => {
    const io = captureIo();
    expect(await runStatus(gateway.client(), io, { json: true })).toBe(0);
    const all: unknown = JSON.parse(io.out());
    expect(all).toEqual({
      services: [
        expect.objectContaining({
          name: 'fx',
          state: 'running',
          tools: TOOLS,
          since: expect.any(Number),
        }),
        expect.objectContaining({ name: 'fy', state: 'running', tools: TOOLS }),
        expect.objectContaining({ name: 'gateway', type: 'Aggregator', state: 'running' }),
      ],
    });
    const api: unknown = await (await fetch(new URL('/api/services', gateway.mcpUrl))).json();
    // The same fields in the same order as the API's own answer (values like uptimes move on).
    const shape = (value: unknown): unknown =>
      (value as { services: Record<string, unknown>[] }).services.map((s) => Object.keys(s));
    expect(shape(all)).toEqual(shape(api));

    const one = captureIo();
    expect(await runStatus(gateway.client(), one, { json: true, name: 'fx' })).toBe(0);
    expect(JSON.parse(one.out())).toMatchObject({
      name: 'fx',
      data: expect.objectContaining({ transport: 'stdio', connected: true }),
    });
  });

  it('an unknown NAME is bad usage (2), with the API message naming the registered services', async () => {
    const io = captureIo();
    expect(await runStatus(gateway.client(), io, { name: 'ghost' })).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toContain("service 'ghost' not found. Registered services: fx, fy, gateway");
  });

  it('on a terminal colours states, unless NO_COLOR is set', async () => {
    const tty = captureIo({ tty: true });
    expect(await runStatus(gateway.client(), tty)).toBe(0);
    expect(tty.out()).toContain('\u001B[32mrunning');

    const noColor = captureIo({ tty: true, env: { NO_COLOR: '1' } });
    expect(await runStatus(gateway.client(), noColor)).toBe(0);
    expect(noColor.out()).not.toContain('\u001B[');
  });
});

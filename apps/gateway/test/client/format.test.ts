import { describe, expect, it } from 'vitest';
import { formatEvent, renderStatusTable, type ServiceView } from '../../src/client/index.js';
import { paletteFor } from '../../src/client/format/colour.js';
import { truncate } from '../../src/client/format/table.js';
import { formatDuration } from '../../src/client/format/time-format.js';
import { captureIo } from './helpers.js';

const plain = paletteFor(captureIo());
const now = Date.UTC(2026, 0, 1, 12);

describe('formatting', () => {
  it('durations read at a glance: the two largest units', () => {
    expect(formatDuration(999)).toBe('0s');
    expect(formatDuration(59_000)).toBe('59s');
    expect(formatDuration(4 * 60_000 + 5_000)).toBe('4m05s');
    expect(formatDuration(2 * 3_600_000 + 7 * 60_000)).toBe('2h07m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d04h');
  });

  it('truncates to one line with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a\n  multi-line   error', 100)).toBe('a multi-line error');
    expect(truncate('0123456789abc', 10)).toBe('012345678…');
  });

  it('cuts LAST ERROR to the width left, keeps columns aligned, and --json keeps it whole', () => {
    const long = `MCP server 'db' exited before it was ready (exit code 1): ${'x'.repeat(300)}`;
    const services: ServiceView[] = [
      {
        name: 'db',
        type: 'MCPServer',
        state: 'failed',
        health: 'unhealthy',
        restarts: 3,
        lastError: { code: 'SERVICE_START_FAILED', message: long },
      },
      {
        name: 'memory',
        type: 'MCPServer',
        state: 'running',
        health: 'healthy',
        since: now - 65_000,
        tools: 9,
        restarts: 0,
      },
    ];
    const lines = renderStatusTable(services, plain, now, 100).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines[1]).toMatch(
      /^db +MCPServer +failed +unhealthy +- +3 +- +MCP server 'db' exited .*…$/,
    );
    expect(lines[2]).toMatch(/^memory +MCPServer +running +healthy +9 +0 +1m05s$/);
    expect(lines[2]?.indexOf('running')).toBe(lines[1]?.indexOf('failed'));
  });

  it('colours states on a terminal without breaking the alignment', () => {
    const colour = paletteFor(captureIo({ tty: true }));
    const services: ServiceView[] = [
      { name: 'a', type: 'T', state: 'running', health: 'healthy' },
      { name: 'b', type: 'T', state: 'failed', health: 'unhealthy' },
    ];
    const text = renderStatusTable(services, colour, now, 120);
    expect(text).toContain('\u001B[32mrunning\u001B[39m');
    expect(text).toContain('\u001B[31mfailed \u001B[39m');
    // Without the escapes it is the plain table.
    // eslint-disable-next-line no-control-regex
    expect(text.replace(/\u001B\[\d+m/g, '')).toBe(renderStatusTable(services, plain, now, 120));
  });

  it('an event line says what changed, why, and the error of a failure', () => {
    const at = new Date(2026, 0, 1, 23, 12, 1, 123).getTime();
    const base = {
      kind: 'state',
      seq: 7,
      timestamp: at,
      serviceType: 'MCPServer',
      health: 'unhealthy',
    } as const;
    expect(
      formatEvent(
        { ...base, name: 'memory', oldState: 'running', newState: 'stopped', reason: 'manual' },
        plain,
        8,
      ),
    ).toBe('23:12:01.123  memory    running → stopped  (manual)\n');
    expect(
      formatEvent(
        {
          ...base,
          name: 'db',
          oldState: 'starting',
          newState: 'failed',
          reason: 'failure',
          error: { code: 'X', message: 'exited (code 1)' },
        },
        plain,
      ),
    ).toBe('23:12:01.123  db  starting → failed  (failure)  exited (code 1)\n');
    expect(
      formatEvent(
        {
          ...base,
          name: 'db',
          oldState: 'running',
          newState: 'running',
          oldHealth: 'healthy',
          health: 'degraded',
        },
        plain,
      ),
    ).toBe('23:12:01.123  db  health healthy → degraded\n');
    expect(formatEvent({ kind: 'overflow', dropped: 12, timestamp: at }, plain)).toBe(
      '23:12:01.123  (12 events missed)\n',
    );
  });
});

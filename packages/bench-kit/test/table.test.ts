import { describe, expect, it } from 'vitest';
import {
  formatValue,
  markdownTable,
  parseResultsTable,
  prettified,
  resultsMarkdown,
  stat,
  targetsMet,
  textTable,
  type MachineInfo,
  type Row,
} from '../src/index.js';

const machine: MachineInfo = {
  cpu: 'Test CPU',
  cores: 2,
  node: 'v20.20.2',
  platform: 'linux 6.0 x64',
  memoryGiB: 23.5,
  loadAverageAtStart: [0.5, 0.4, 0.3],
  date: '2026-01-01T00:00:00.000Z',
};

// Shaped like core's bench/run.ts rows: a total with a target, its parts, a rate, a size.
const rows: Row[] = [
  {
    measurement: 'start + stop 1,000 services',
    unit: 'ms',
    stat: stat([47.092, 21.455, 58.986]),
    target: '< 250 ms',
    pass: true,
    note: '0.5× baseline',
  },
  { sub: true, measurement: 'of which start()', unit: 'ms', stat: stat([7.738, 19.919, 26.9]) },
  {
    measurement: 'event delivery',
    unit: 'events/s',
    stat: stat([1_234_567, 987_654, 2_000_000]),
    target: '> 500k events/s',
    pass: false,
  },
  { measurement: 'heap per service', unit: 'B', stat: stat([1536.4]) },
];

describe('formatValue', () => {
  it('shows rates in k below a million and in M from a million', () => {
    expect(formatValue(987_654, 'events/s')).toBe('988 k');
    expect(formatValue(999_700, 'events/s')).toBe('1.00 M');
    expect(formatValue(999_499, 'events/s')).toBe('999 k');
    expect(formatValue(999.6, 'calls/s')).toBe('1 k');
    expect(formatValue(450, 'calls/s')).toBe('450');
    expect(formatValue(1_000_000, 'events/s')).toBe('1.00 M');
    expect(formatValue(1_234_567, 'calls/s')).toBe('1.23 M');
  });

  it('shows bytes whole, small values to 2 decimals and the rest to 1', () => {
    expect(formatValue(1536.6, 'B')).toBe('1537');
    expect(formatValue(9.876, 'ms')).toBe('9.88');
    expect(formatValue(10.04, 'ms')).toBe('10.0');
    expect(formatValue(838.14, 'ms')).toBe('838.1');
  });

  it('uses the digits asked for, whatever the unit', () => {
    expect(formatValue(1.0234, 'ms', 3)).toBe('1.023');
    expect(formatValue(1_234_567, 'events/s', 0)).toBe('1234567');
    expect(formatValue(3.2, '×', 2)).toBe('3.20');
  });
});

describe('targetsMet', () => {
  it('counts only top-level rows with a verdict', () => {
    expect(targetsMet(rows)).toEqual({ met: 1, total: 2 });
  });

  it('ignores a verdict on a sub row', () => {
    const withSub: Row[] = [
      ...rows,
      { sub: true, measurement: 'p99', unit: 'ms', stat: stat([1]), target: '< 2', pass: false },
    ];
    expect(targetsMet(withSub)).toEqual({ met: 1, total: 2 });
  });

  it('is 0 of 0 without targets, and all met when all pass', () => {
    expect(targetsMet([{ measurement: 'x', unit: 'ms', stat: stat([1]) }])).toEqual({
      met: 0,
      total: 0,
    });
    expect(targetsMet([{ measurement: 'x', unit: 'ms', stat: stat([1]), pass: true }])).toEqual({
      met: 1,
      total: 1,
    });
  });
});

describe('textTable', () => {
  it('aligns columns, indents sub rows and shows verdicts, ranges and notes', () => {
    const lines = textTable(rows).split('\n');
    expect(lines[0]).toMatch(/^measurement\s+median\s+min – max\s+target\s+result\s+vs baseline$/);
    expect(lines[1]).toMatch(/^-+( {2}-+){5}$/);
    expect(lines[2]).toMatch(
      /^start \+ stop 1,000 services\s+47\.1 ms\s+21\.5 – 59\.0\s+< 250 ms\s+PASS\s+0\.5× baseline$/,
    );
    expect(lines[3]).toMatch(/^ {2}of which start\(\)\s+19\.9 ms\s+7\.74 – 26\.9$/);
    expect(lines[4]).toMatch(/^event delivery\s+1\.23 M events\/s\s+988 k – 2\.00 M\s+> 500k/);
    expect(lines[4]).toContain('MISS');
    expect(lines[5]).toMatch(/^heap per service\s+1536 B\s+\(one run\)$/);
    // The median column is right-aligned: every figure ends where its header does.
    const medianEnd = (lines[0] ?? '').indexOf('median') + 'median'.length;
    const ends = ['47.1 ms', '19.9 ms', '1.23 M events/s', '1536 B'].map(
      (cell, i) => (lines[i + 2] ?? '').indexOf(cell) + cell.length,
    );
    expect(ends).toEqual([medianEnd, medianEnd, medianEnd, medianEnd]);
  });
});

describe('markdownTable', () => {
  it('writes a GitHub table: right-aligned figures, ↳ before sub rows, | escaped', () => {
    const table = markdownTable([
      ...rows,
      {
        sub: true,
        measurement: 'baseline',
        unit: 'ms',
        stat: stat([1, 2]),
        note: 'a | b',
      },
    ]);
    expect(table.split('\n')).toEqual([
      '| measurement | median | min – max | target | result | vs baseline |',
      '| --- | ---: | ---: | --- | --- | --- |',
      '| start + stop 1,000 services | 47.1 ms | 21.5 – 59.0 | < 250 ms | PASS | 0.5× baseline |',
      '| ↳ of which start() | 19.9 ms | 7.74 – 26.9 |  |  |  |',
      '| event delivery | 1.23 M events/s | 988 k – 2.00 M | > 500k events/s | MISS |  |',
      '| heap per service | 1536 B | (one run) |  |  |  |',
      '| ↳ baseline | 1.50 ms | 1.00 – 2.00 |  |  | a \\| b |',
    ]);
  });

  it('reads back, prettified, as the rows the report page copies', async () => {
    const markdown = await prettified(
      'RESULTS.md',
      resultsMarkdown({
        packageName: '@corral/test',
        script: 'packages/test/bench/run.ts',
        machine,
        method: 'medians over 3 runs',
        rows: [...rows, { sub: true, measurement: 'a | b', unit: 'ms', stat: stat([1]) }],
        notes: { 'start + stop 1,000 services': 'what it measures' },
      }),
      'markdown',
    );
    const parsed = parseResultsTable(markdown);
    expect(parsed).toHaveLength(5);
    expect(parsed[0]).toEqual({
      measurement: 'start + stop 1,000 services',
      sub: false,
      median: '47.1 ms',
      range: '21.5 – 59.0',
      target: '< 250 ms',
      result: 'PASS',
      vsBaseline: '0.5× baseline',
    });
    expect(parsed[1]).toMatchObject({ measurement: 'of which start()', sub: true, result: '' });
    expect(parsed[2]).toMatchObject({ median: '1.23 M events/s', result: 'MISS' });
    expect(parsed[3]).toMatchObject({ range: '(one run)' });
    expect(parsed[4]).toMatchObject({ measurement: 'a | b', sub: true });
  });
});

describe('resultsMarkdown', () => {
  it('has the machine, the method with its noise caveat, the table and a note per label', () => {
    const page = resultsMarkdown({
      packageName: '@corral/test',
      script: 'packages/test/bench/run.ts',
      machine,
      method: 'medians over 3 runs',
      rows,
      notes: { 'start + stop': 'creates and stops them', heap: 'heapUsed after gc' },
    });
    expect(page.startsWith('# @corral/test benchmark results\n')).toBe(true);
    expect(page).toContain('(`packages/test/bench/run.ts`)');
    expect(page).toContain('- CPU: Test CPU, 2 cores, 23.5 GiB');
    expect(page).toContain('- Load average at start: 0.5 0.4 0.3');
    expect(page).toContain('- Method: medians over 3 runs. Timings on a small shared machine');
    expect(page).toContain(markdownTable(rows));
    expect(page).toContain('- **start + stop**: creates and stops them.');
    expect(page).toContain('- **heap**: heapUsed after gc.');
  });
});

describe('parseResultsTable', () => {
  it('finds no rows in a page without a results table', () => {
    expect(parseResultsTable('# nothing\n\n| a | b |\n| - | - |\n| 1 | 2 |\n')).toEqual([]);
  });

  it('stops at the first line that is not a row', () => {
    const md = [
      '| measurement | median | min – max | target | result | vs baseline |',
      '| --- | ---: | ---: | --- | --- | --- |',
      '| a | 1 ms | (one run) | | | |',
      '',
      '| b | 2 ms | (one run) | | | |',
    ].join('\n');
    expect(parseResultsTable(md).map((r) => r.measurement)).toEqual(['a']);
  });
});

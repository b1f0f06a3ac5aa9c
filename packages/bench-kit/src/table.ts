import type { Stat } from './stat.js';

/** One line of a results table. */
export interface Row {
  readonly measurement: string;
  /** A breakdown or baseline of the row above it. */
  readonly sub?: boolean;
  readonly unit: string;
  readonly stat: Stat;
  /** Decimals shown (default: 2 below 10, else 1; none for B; k/M for rates). */
  readonly digits?: number;
  readonly target?: string;
  readonly pass?: boolean;
  readonly note?: string;
}

/** A value as the tables show it: rates (`…/s`) whole, in k or in M, bytes whole, the rest to 1–2 decimals. */
export function formatValue(value: number, unit: string, digits?: number): string {
  if (digits !== undefined) return value.toFixed(digits);
  if (unit.endsWith('/s')) {
    // Rounded first, so 999,999/s reads 1.00 M rather than "1000 k", and 450/s not "0 k".
    if (value >= 999_500) return `${(value / 1e6).toFixed(2)} M`;
    if (value >= 999.5) return `${(value / 1e3).toFixed(0)} k`;
    return value.toFixed(0);
  }
  if (unit === 'B') return value.toFixed(0);
  return value.toFixed(value < 10 ? 2 : 1);
}

/** The columns of every results table; the report page reads them back by these names. */
export const RESULTS_HEADERS = [
  'measurement',
  'median',
  'min – max',
  'target',
  'result',
  'vs baseline',
] as const;

/** One line of a GitHub markdown table, `|` in a cell escaped. */
export function markdownLine(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
}

/** A markdown table's header and alignment lines; the figures (median, min – max) align right. */
export function markdownHead(columns: readonly string[]): string[] {
  const align = (column: string): string =>
    column === 'median' || column === 'min – max' ? ' ---: ' : ' --- ';
  return [markdownLine(columns), `|${columns.map(align).join('|')}|`];
}

function cells(row: Row, subPrefix: string): string[] {
  const verdict = row.pass === undefined ? '' : row.pass ? 'PASS' : 'MISS';
  const show = (value: number): string => formatValue(value, row.unit, row.digits);
  return [
    (row.sub ? subPrefix : '') + row.measurement,
    `${show(row.stat.median)} ${row.unit}`,
    row.stat.samples.length === 1 ? '(one run)' : `${show(row.stat.min)} – ${show(row.stat.max)}`,
    row.target ?? '',
    verdict,
    row.note ?? '',
  ];
}

/** The rows as an aligned plain-text table, for the terminal. */
export function textTable(rows: readonly Row[]): string {
  const body = rows.map((r) => cells(r, '  '));
  const all = [RESULTS_HEADERS, ...body];
  const widths = RESULTS_HEADERS.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, c) =>
        c === 1 || c === 2 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(RESULTS_HEADERS), rule, ...body.map(line)].join('\n');
}

/** The rows as a GitHub markdown table, for RESULTS.md. */
export function markdownTable(rows: readonly Row[]): string {
  return [...markdownHead(RESULTS_HEADERS), ...rows.map((r) => markdownLine(cells(r, '↳ ')))].join(
    '\n',
  );
}

/** The top-level rows with a target, and how many of them passed. */
export function targetsMet(rows: readonly Row[]): { met: number; total: number } {
  const targets = rows.filter((r) => r.sub !== true && r.pass !== undefined);
  return { met: targets.filter((r) => r.pass === true).length, total: targets.length };
}

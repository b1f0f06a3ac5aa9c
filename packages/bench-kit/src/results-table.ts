/**
 * One row of a results table read back from a RESULTS.md (written by `markdownTable`), its
 * cells as shown: the report page copies them, it does not recompute them.
 */
export interface TableRow {
  readonly measurement: string;
  /** A breakdown or baseline of the row above it (`↳ `). */
  readonly sub: boolean;
  /** `25.0 ms`, unit included. */
  readonly median: string;
  /** `17.5 – 41.0`, or `(one run)`. */
  readonly range: string;
  readonly target: string;
  /** `PASS`, `MISS` or empty. */
  readonly result: string;
  /** The comparison with the same-run baseline. */
  readonly vsBaseline: string;
}

const SUB_PREFIX = '↳ ';

/** The cells of one markdown table line, `\|` unescaped. */
function cellsOf(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
}

/**
 * The rows of the first table in `markdown` whose first header is `measurement` (the table
 * `markdownTable` writes, prettified or not). Empty if there is none.
 */
export function parseResultsTable(markdown: string): TableRow[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^\|\s*measurement\s*\|/.test(line));
  if (start === -1) return [];
  const headers = cellsOf(lines[start] ?? '');
  const column = (name: string): number => headers.indexOf(name);
  const at = (cells: readonly string[], name: string): string => cells[column(name)] ?? '';
  const rows: TableRow[] = [];
  // Skip the header and the alignment line; the table ends at the first line not a row.
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = cellsOf(line);
    const measurement = at(cells, 'measurement');
    const sub = measurement.startsWith(SUB_PREFIX);
    rows.push({
      measurement: sub ? measurement.slice(SUB_PREFIX.length) : measurement,
      sub,
      median: at(cells, 'median'),
      range: at(cells, 'min – max'),
      target: at(cells, 'target'),
      result: at(cells, 'result'),
      vsBaseline: at(cells, 'vs baseline'),
    });
  }
  return rows;
}

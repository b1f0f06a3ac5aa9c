import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MachineInfo } from './machine.js';
import { parseResultsTable, type TableRow } from './results-table.js';
import { markdownHead, markdownLine, RESULTS_HEADERS } from './table.js';

/** One benchmark the report expects: where its results are and what it measures. */
export interface BenchmarkSource {
  readonly packageName: string;
  /** A name or two for the summary table (`core`, `crash recovery`). */
  readonly short: string;
  /** What it measures, in a few words. */
  readonly title: string;
  /** The package folder, relative to the repository root (`packages/core`). */
  readonly dir: string;
  /** Base name of its files in `<dir>/bench/`: `results` → results.json and RESULTS.md. */
  readonly name: string;
  /** Its script, relative to the package folder (`bench/run.ts`). */
  readonly script: string;
}

/** `ok`: read, and from this run; `stale`: from an earlier run; `missing`: nothing to read. */
export type BenchmarkStatus = 'ok' | 'stale' | 'missing';

export interface BenchmarkOutcome {
  readonly source: BenchmarkSource;
  readonly status: BenchmarkStatus;
  /** Why it is stale or missing. */
  readonly problem?: string;
  /** When it ran (its results.json's `machine.date`). */
  readonly date?: string;
  readonly loadAverageAtStart?: readonly number[];
  readonly rows: readonly TableRow[];
}

function resultsJsonPath(source: BenchmarkSource): string {
  return join(source.dir, 'bench', `${source.name}.json`);
}

function resultsMarkdownPath(source: BenchmarkSource): string {
  return join(source.dir, 'bench', `${source.name.toUpperCase()}.md`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads one benchmark's results.json (for when it ran) and RESULTS.md (for its table). With
 * `since`, results written before it are `stale`: the benchmark failed or did not run this time.
 */
export function readBenchmark(
  root: string,
  source: BenchmarkSource,
  since?: Date,
): BenchmarkOutcome {
  const jsonPath = resultsJsonPath(source);
  const markdownPath = resultsMarkdownPath(source);
  const missing = (problem: string): BenchmarkOutcome => ({
    source,
    status: 'missing',
    problem,
    rows: [],
  });
  if (!existsSync(join(root, jsonPath))) return missing(`no \`${jsonPath}\``);
  if (!existsSync(join(root, markdownPath))) return missing(`no \`${markdownPath}\``);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(join(root, jsonPath), 'utf8'));
  } catch (error) {
    return missing(`\`${jsonPath}\` is not JSON (${error instanceof Error ? error.message : ''})`);
  }
  const machine = isRecord(json) ? json['machine'] : undefined;
  const date = isRecord(machine) && typeof machine['date'] === 'string' ? machine['date'] : '';
  const load = isRecord(machine) ? machine['loadAverageAtStart'] : undefined;
  const loadAverageAtStart = Array.isArray(load)
    ? load.filter((l): l is number => typeof l === 'number')
    : [];
  const rows = parseResultsTable(readFileSync(join(root, markdownPath), 'utf8'));
  if (rows.length === 0) return missing(`\`${markdownPath}\` has no results table`);
  const ranAt = new Date(date);
  const stale =
    since !== undefined && (Number.isNaN(ranAt.getTime()) || ranAt.getTime() < since.getTime());
  return {
    source,
    status: stale ? 'stale' : 'ok',
    ...(stale
      ? { problem: `not from this run: its results are from ${date || 'an unknown date'}` }
      : {}),
    date,
    loadAverageAtStart,
    rows,
  };
}

/** A name and a version, for the page's versions table. */
export interface VersionEntry {
  readonly name: string;
  readonly version: string;
}

function manifestVersion(path: string): VersionEntry | undefined {
  try {
    const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isRecord(json)) return undefined;
    const { name, version } = json;
    return typeof name === 'string' && typeof version === 'string' ? { name, version } : undefined;
  } catch {
    return undefined;
  }
}

/** The workspace's own packages (`packages/*`, `apps/*`), by name. */
export function workspaceVersions(root: string): VersionEntry[] {
  const entries: VersionEntry[] = [];
  for (const group of ['packages', 'apps']) {
    const folder = join(root, group);
    if (!existsSync(folder)) continue;
    for (const dir of readdirSync(folder).sort()) {
      const entry = manifestVersion(join(folder, dir, 'package.json'));
      if (entry) entries.push(entry);
    }
  }
  return entries;
}

/**
 * The installed version of `name`, read from the first of `dirs` (relative to `root`) whose
 * node_modules holds it: the copy the benchmarks ran, not the range a manifest asks for.
 */
export function installedVersion(
  root: string,
  name: string,
  dirs: readonly string[],
): string | undefined {
  for (const dir of dirs) {
    const entry = manifestVersion(join(root, dir, 'node_modules', name, 'package.json'));
    if (entry) return entry.version;
  }
  return undefined;
}

export interface BenchmarksReport {
  /** The machine, read when the page was written. */
  readonly machine: MachineInfo;
  /** When `pnpm bench` started, and the load average then; absent when only composing. */
  readonly runStartedAt?: string;
  readonly loadAverageAtRunStart?: readonly number[];
  /** The commit the run measured, `+ local changes` when the tree was dirty. */
  readonly commit?: string;
  /** Node, the MCP SDK and the tools. */
  readonly versions: readonly VersionEntry[];
  /** Corral's own packages. */
  readonly packages: readonly VersionEntry[];
  readonly outcomes: readonly BenchmarkOutcome[];
  /** How to reproduce, one markdown bullet each. */
  readonly reproduce: readonly string[];
}

function link(outcome: BenchmarkOutcome): string {
  const { source } = outcome;
  return `[${source.short}](${resultsMarkdownPath(source)})`;
}

/** Rows the summary shows: top-level ones, and any with a target. */
function summaryRows(rows: readonly TableRow[]): TableRow[] {
  return rows.filter((row) => !row.sub || row.target !== '');
}

/** Top-level rows with a verdict, as each package counts its targets (`targetsMet`). */
function targetCount(outcomes: readonly BenchmarkOutcome[]): { met: number; total: number } {
  const verdicts = outcomes
    .filter((o) => o.status === 'ok')
    .flatMap((o) => o.rows.filter((r) => !r.sub && (r.result === 'PASS' || r.result === 'MISS')));
  return { met: verdicts.filter((r) => r.result === 'PASS').length, total: verdicts.length };
}

/** Whether the machine was busy when the run or any benchmark began, and which. */
function busyNote(report: BenchmarksReport): string[] {
  const { cores } = report.machine;
  const starts: { what: string; load: number }[] = [];
  const runLoad = report.loadAverageAtRunStart?.[0];
  if (runLoad !== undefined) starts.push({ what: 'the run', load: runLoad });
  for (const o of report.outcomes) {
    const load = o.loadAverageAtStart?.[0];
    if (o.status === 'ok' && load !== undefined) starts.push({ what: o.source.short, load });
  }
  const busy = starts.filter((s) => s.load >= cores);
  if (starts.length === 0) return [];
  if (busy.length === 0) {
    const max = Math.max(...starts.map((s) => s.load));
    return [
      `A quiet machine: the 1-minute load average was at most ${max} on ${cores} cores when ` +
        'the run and each benchmark began.',
      '',
    ];
  }
  return [
    `> **A busy machine.** The 1-minute load average was at or above the ${cores} cores when these ` +
      `began: ${busy.map((s) => `${s.what} (${s.load})`).join(', ')}. Part of it can be the ` +
      'benchmarks’ own servers (starting 30 or 50 of them keeps the load high for a minute), the ' +
      'rest is other work on this shared machine. Absolute timings are noisier and slower than on ' +
      'a quiet machine; the ratios compare variants measured side by side in the same run, so ' +
      'they hold up better.',
    '',
  ];
}

/** A row's cells as its results table showed them. */
function rowCells(r: TableRow): string[] {
  return [(r.sub ? '↳ ' : '') + r.measurement, r.median, r.range, r.target, r.result, r.vsBaseline];
}

function tableLines(rows: readonly TableRow[]): string[] {
  return [...markdownHead(RESULTS_HEADERS), ...rows.map((r) => markdownLine(rowCells(r)))];
}

/** BENCHMARKS.md: summary with targets, machine, versions, each benchmark's table, how to reproduce. */
export function benchmarksMarkdown(report: BenchmarksReport): string {
  const { machine, outcomes } = report;
  const { met, total } = targetCount(outcomes);
  const notOk = outcomes.filter((o) => o.status !== 'ok');
  const summary = markdownHead(['benchmark', ...RESULTS_HEADERS]);
  for (const outcome of outcomes) {
    if (outcome.status !== 'ok') {
      summary.push(
        markdownLine([
          link(outcome),
          `**${outcome.status}**: ${outcome.problem ?? ''}`,
          '',
          '',
          '',
          '',
          '',
        ]),
      );
      continue;
    }
    summaryRows(outcome.rows).forEach((r, i) => {
      summary.push(markdownLine([i === 0 ? link(outcome) : '', ...rowCells(r)]));
    });
  }
  const when = report.runStartedAt ?? machine.date;
  const sections = outcomes.flatMap((outcome) => {
    const { source } = outcome;
    const head = `### ${source.packageName} — ${source.title}`;
    const where = `\`${join(source.dir, source.script)}\``;
    if (outcome.status === 'missing') {
      return [head, '', `**Missing** (${where}): ${outcome.problem ?? ''}.`, ''];
    }
    return [
      head,
      '',
      `${where}, ran ${outcome.date ?? '?'}, load average at its start ` +
        `${outcome.loadAverageAtStart?.join(' ') ?? '?'}; every row and what it measures: ` +
        `[${resultsMarkdownPath(source)}](${resultsMarkdownPath(source)}).` +
        (outcome.status === 'stale' ? ` **Stale**: ${outcome.problem ?? ''}.` : ''),
      '',
      ...tableLines(outcome.rows),
      '',
    ];
  });
  return [
    '# Corral benchmarks',
    '',
    `Written by \`pnpm bench\` (\`scripts/benchmarks-report.mjs\`) on ${when}` +
      (report.commit ? ` from commit ${report.commit}` : '') +
      ': every package’s benchmarks, one at a time, each against baselines measured in the same ' +
      'run. Each figure is the median over repeated runs with min – max across them; each ratio ' +
      'compares with its same-run baseline. The package pages linked below say what every row ' +
      'measures and how.',
    '',
    ...busyNote(report),
    `## Summary: ${met} of ${total} targets met` +
      (notOk.length > 0
        ? `; ${notOk.length} of ${outcomes.length} benchmarks without fresh results`
        : ''),
    '',
    ...summary,
    '',
    'Rows marked ↳ break down or compare with the row above them; the summary shows the top ' +
      'rows and every row with a target. Each package page has them all.',
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB`,
    `- OS: ${machine.platform}`,
    ...(report.runStartedAt
      ? [
          `- Run started: ${report.runStartedAt}, load average ` +
            `${report.loadAverageAtRunStart?.join(' ') ?? '?'} (1, 5, 15 min)`,
        ]
      : []),
    `- Page written: ${machine.date}, load average ${machine.loadAverageAtStart.join(' ')}`,
    '',
    '## Versions',
    '',
    ...markdownHead(['component', 'version']),
    ...report.versions.map((v) => markdownLine([v.name, v.version])),
    ...report.packages.map((v) => markdownLine([v.name, v.version])),
    '',
    '## Results by benchmark',
    '',
    ...sections,
    '## How to reproduce',
    '',
    ...report.reproduce.map((r) => `- ${r}`),
    '',
  ].join('\n');
}

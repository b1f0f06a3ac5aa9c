/**
 * @corral/bench-kit — the complete surface of the private kit Corral's benchmarks share, so
 * each `bench/run.ts` holds only what it measures.
 */

// Statistics over repeated runs.
export { percentile, stat, statOf } from './stat.js';
export type { Stat } from './stat.js';
export { round, roundStat } from './round.js';
export type { RoundedStat, RoundStatOptions } from './round.js';

// Running: warm-ups, a full GC before each run, variants interleaved against drift.
export { gc, interleave, repeat, settle } from './repeat.js';
export type { Interleaved, Repeated, RepeatOptions, Variant } from './repeat.js';
export { BenchmarkRunError, check } from './check.js';
export { childProcessCheck } from './child-processes.js';
export { envInt } from './env.js';
export { PLAIN_NODE_INPUT_ENV, runInPlainNode } from './plain-node.js';
export type { PlainNodeOptions } from './plain-node.js';
export { toolResultText } from './tool-result.js';

// Reporting.
export { formatValue, markdownTable, targetsMet, textTable } from './table.js';
export type { Row } from './table.js';
export { prettified, writeResults } from './output.js';
export type { ResultsFiles } from './output.js';
export { resultsMarkdown } from './results-page.js';
export type { ResultsPage } from './results-page.js';
export { machineInfo, machineMarkdown, machineSummary } from './machine.js';
export type { MachineInfo } from './machine.js';

// The report over every benchmark: BENCHMARKS.md, composed from each package's results.
export { parseResultsTable } from './results-table.js';
export type { TableRow } from './results-table.js';
export {
  benchmarksMarkdown,
  installedVersion,
  readBenchmark,
  workspaceVersions,
} from './benchmarks-page.js';
export type {
  BenchmarkOutcome,
  BenchmarkSource,
  BenchmarkStatus,
  BenchmarksReport,
  VersionEntry,
} from './benchmarks-page.js';

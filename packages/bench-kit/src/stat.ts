/** A measurement repeated over several runs (or calls): its spread, not just its middle. */
export interface Stat {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Nearest-rank 50th percentile: a sample that was measured (the median may average two). */
  readonly p50: number;
  /** Nearest-rank 99th percentile: the max below 100 samples. */
  readonly p99: number;
  readonly samples: readonly number[];
}

/** The nearest-rank percentile `p` (0–100] of `sorted` (ascending); NaN when it is empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] ?? Number.NaN;
}

export function stat(samples: readonly number[]): Stat {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] ?? Number.NaN)
      : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
  return {
    median,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    samples,
  };
}

/** The `stat` of one field over samples of several fields: `statOf(runs, 'totalMs')`. */
export function statOf<K extends PropertyKey>(
  samples: readonly Readonly<Record<K, number>>[],
  key: K,
): Stat {
  return stat(samples.map((sample) => sample[key]));
}

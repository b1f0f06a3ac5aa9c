import type { Stat } from './stat.js';

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A `Stat` as written to results.json. */
export interface RoundedStat {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly p50?: number;
  readonly p99?: number;
  readonly samples?: readonly number[];
}

export interface RoundStatOptions {
  /** Include p50 and p99 (default false: over a handful of runs they say nothing new). */
  readonly percentiles?: boolean;
  /** Include every sample (default true; leave out thousands of per-call latencies). */
  readonly samples?: boolean;
}

export function roundStat(s: Stat, digits: number, options: RoundStatOptions = {}): RoundedStat {
  const { percentiles = false, samples = true } = options;
  return {
    median: round(s.median, digits),
    min: round(s.min, digits),
    max: round(s.max, digits),
    ...(percentiles ? { p50: round(s.p50, digits), p99: round(s.p99, digits) } : {}),
    ...(samples ? { samples: s.samples.map((v) => round(v, digits)) } : {}),
  };
}

/** A benchmark measured something other than what it claims: its figures must not be used. */
export class BenchmarkRunError extends Error {
  readonly code = 'BENCHMARK_RUN_WRONG';
}

/** Throws unless `condition`: a wrong run fails the benchmark (a slow one only misses a target). */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new BenchmarkRunError(`benchmark run was wrong: ${message}`);
}

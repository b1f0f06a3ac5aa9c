/** A non-negative integer from the environment, for exploring (e.g. CORRAL_BENCH_RUNS=30). */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be an integer`);
  return value;
}

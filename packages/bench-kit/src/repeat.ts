import { setImmediate as nextMacrotask } from 'node:timers/promises';

/** A full, synchronous garbage collection (needs `node --expose-gc`). */
export function gc(): void {
  const collect = globalThis.gc;
  if (!collect) throw new Error('run with node --expose-gc (pnpm bench does)');
  collect();
}

/** Lets the previous run's microtasks and weak targets settle, then collects fully. */
export async function settle(): Promise<void> {
  await nextMacrotask();
  gc();
}

export interface RepeatOptions {
  /** Runs discarded first, so V8 has optimised the paths measured (the first is the cold one). */
  readonly warmups: number;
  /** Runs measured after the warm-ups. */
  readonly runs: number;
}

export interface Repeated<T> {
  /** The first run in the process: code not yet optimised. */
  readonly cold: T;
  /** The `runs` runs after `warmups` warm-ups (the cold run is the first warm-up). */
  readonly measured: T[];
}

function log(label: string, results: unknown): void {
  if (process.env['CORRAL_BENCH_VERBOSE']) {
    process.stderr.write(`  ${label}: ${JSON.stringify(results)}\n`);
  }
  process.stderr.write(`  measured: ${label}\n`);
}

/** `warmups` discarded runs, then `runs` measured ones; a full GC before each, outside the timing. */
export async function repeat<T>(
  label: string,
  run: () => Promise<T>,
  { warmups, runs }: RepeatOptions,
): Promise<Repeated<T>> {
  const results: T[] = [];
  for (let i = 0; i < warmups + runs; i++) {
    await settle();
    results.push(await run());
  }
  log(label, results);
  const cold = results[0];
  if (cold === undefined) throw new Error('repeat needs at least one run');
  return { cold, measured: results.slice(warmups) };
}

/** One named variant of a measurement, for `interleave`. */
export interface Variant<K extends string, T> {
  readonly name: K;
  readonly run: () => Promise<T>;
}

/** The runs of every variant, by name. */
export interface Interleaved<K extends string, T> {
  get(name: K): Repeated<T>;
}

/**
 * Like `repeat`, for variants measured against each other: each round runs every variant once,
 * in turn, so drift (a noisy neighbour, a slow disk) hits all of them alike. The order rotates
 * each round, so no variant always runs right after the same other one.
 */
export async function interleave<K extends string, T>(
  label: string,
  variants: readonly Variant<K, T>[],
  { warmups, runs }: RepeatOptions,
): Promise<Interleaved<K, T>> {
  const results = new Map<K, T[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < warmups + runs; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length];
      if (variant === undefined) continue;
      await settle();
      results.get(variant.name)?.push(await variant.run());
    }
  }
  const repeated = new Map<K, Repeated<T>>();
  for (const [name, all] of results) {
    log(`${label} — ${name}`, all);
    const cold = all[0];
    if (cold === undefined) throw new Error('interleave needs at least one run');
    repeated.set(name, { cold, measured: all.slice(warmups) });
  }
  return {
    get(name) {
      const found = repeated.get(name);
      if (found === undefined) throw new Error(`no variant named '${name}'`);
      return found;
    },
  };
}

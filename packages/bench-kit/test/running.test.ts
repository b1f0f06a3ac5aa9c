import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BenchmarkRunError,
  check,
  envInt,
  interleave,
  machineInfo,
  machineMarkdown,
  machineSummary,
  PLAIN_NODE_INPUT_ENV,
  repeat,
  runInPlainNode,
  writeResults,
  type MachineInfo,
} from '../src/index.js';

let collections: number;

beforeEach(() => {
  // repeat and interleave collect before each run: count the collections instead of needing
  // node --expose-gc, and keep their progress lines off the test output.
  collections = 0;
  vi.stubGlobal('gc', () => {
    collections += 1;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** A run that returns 0, 1, 2, … in the order it is called. */
function counter(): () => Promise<number> {
  let n = 0;
  return () => Promise.resolve(n++);
}

describe('repeat', () => {
  it('discards the warm-ups, keeps the cold first run, and collects before every run', async () => {
    const result = await repeat('count', counter(), { warmups: 2, runs: 3 });
    expect(result).toEqual({ cold: 0, measured: [2, 3, 4] });
    expect(collections).toBe(5);
  });

  it('measures the cold run itself when there are no warm-ups', async () => {
    expect(await repeat('count', counter(), { warmups: 0, runs: 2 })).toEqual({
      cold: 0,
      measured: [0, 1],
    });
  });

  it('refuses to run without a GC to call, and with no runs at all', async () => {
    await expect(repeat('none', counter(), { warmups: 0, runs: 0 })).rejects.toThrow(
      'at least one run',
    );
    vi.stubGlobal('gc', undefined);
    await expect(repeat('no gc', counter(), { warmups: 0, runs: 1 })).rejects.toThrow(
      '--expose-gc',
    );
  });
});

describe('interleave', () => {
  it('runs each variant once a round, rotating the order, and splits warm-ups per variant', async () => {
    const order: string[] = [];
    const variant = (name: 'a' | 'b' | 'c') => {
      let n = 0;
      return {
        name,
        run: () => {
          order.push(name);
          return Promise.resolve(`${name}${n++}`);
        },
      };
    };
    const result = await interleave('abc', [variant('a'), variant('b'), variant('c')], {
      warmups: 1,
      runs: 2,
    });
    expect(order.join('')).toBe('abcbcacab');
    expect(result.get('a')).toEqual({ cold: 'a0', measured: ['a1', 'a2'] });
    expect(result.get('c')).toEqual({ cold: 'c0', measured: ['c1', 'c2'] });
    expect(collections).toBe(9);
    expect(() => result.get('d' as 'a')).toThrow("no variant named 'd'");
  });
});

describe('check', () => {
  it('throws a typed error for a wrong run and nothing for a right one', () => {
    expect(() => {
      check(true, 'fine');
    }).not.toThrow();
    let caught: unknown;
    try {
      check(false, 'only 999 of 1000 services started');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BenchmarkRunError);
    expect(caught).toMatchObject({
      code: 'BENCHMARK_RUN_WRONG',
      message: 'benchmark run was wrong: only 999 of 1000 services started',
    });
  });
});

describe('envInt', () => {
  it('falls back when unset or empty and reads a non-negative integer', () => {
    vi.stubEnv('CORRAL_BENCH_TEST_RUNS', undefined);
    expect(envInt('CORRAL_BENCH_TEST_RUNS', 7)).toBe(7);
    vi.stubEnv('CORRAL_BENCH_TEST_RUNS', '');
    expect(envInt('CORRAL_BENCH_TEST_RUNS', 7)).toBe(7);
    vi.stubEnv('CORRAL_BENCH_TEST_RUNS', '30');
    expect(envInt('CORRAL_BENCH_TEST_RUNS', 7)).toBe(30);
    vi.stubEnv('CORRAL_BENCH_TEST_RUNS', '0');
    expect(envInt('CORRAL_BENCH_TEST_RUNS', 7)).toBe(0);
  });

  it('rejects what is not a non-negative integer, naming the variable', () => {
    for (const bad of ['-1', '2.5', 'many']) {
      vi.stubEnv('CORRAL_BENCH_TEST_RUNS', bad);
      expect(() => envInt('CORRAL_BENCH_TEST_RUNS', 7)).toThrow(
        new RangeError('CORRAL_BENCH_TEST_RUNS must be an integer'),
      );
    }
  });
});

describe('machine', () => {
  const machine: MachineInfo = {
    cpu: 'AMD EPYC',
    cores: 2,
    node: 'v20.20.2',
    platform: 'linux 6.18 x64',
    memoryGiB: 23.5,
    loadAverageAtStart: [2.02, 1.84, 2.58],
    date: '2026-11-30T02:29:57.085Z',
  };

  it('describes this machine: its cores, node, load averages rounded to 2 digits', () => {
    const info = machineInfo();
    expect(info.cores).toBe(os.cpus().length);
    expect(info.node).toBe(process.version);
    expect(info.loadAverageAtStart).toHaveLength(3);
    for (const load of info.loadAverageAtStart) expect(load).toBe(Math.round(load * 100) / 100);
    expect(new Date(info.date).toISOString()).toBe(info.date);
  });

  it('writes it as one line and as RESULTS.md bullets', () => {
    expect(machineSummary(machine)).toBe(
      'AMD EPYC · 2 cores · 23.5 GiB · node v20.20.2 · linux 6.18 x64 · 2026-11-30T02:29:57.085Z',
    );
    expect(machineMarkdown(machine)).toEqual([
      '- CPU: AMD EPYC, 2 cores, 23.5 GiB',
      '- Node: v20.20.2 on linux 6.18 x64',
      '- Date: 2026-11-30T02:29:57.085Z',
      '- Load average at start: 2.02 1.84 2.58',
    ]);
  });
});

describe('files', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-kit-files-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes <name>.json and <NAME>.md, prettified, into a folder given as a file URL', async () => {
    const { jsonPath, markdownPath } = await writeResults(pathToFileURL(`${dir}/`), 'retry-storm', {
      json: { a: [1, 2], b: { c: 'd' } },
      markdown: '# Title\n\n| a | b |\n|---|---|\n| 1 | 22 |',
    });
    expect(jsonPath).toBe(join(dir, 'retry-storm.json'));
    expect(markdownPath).toBe(join(dir, 'RETRY-STORM.md'));
    const json = readFileSync(jsonPath, 'utf8');
    expect(JSON.parse(json)).toEqual({ a: [1, 2], b: { c: 'd' } });
    // Prettier's layout, not JSON.stringify's (which puts each number on its own line).
    expect(json).toBe('{\n  "a": [1, 2],\n  "b": {\n    "c": "d"\n  }\n}\n');
    expect(readFileSync(markdownPath, 'utf8')).toBe(
      '# Title\n\n| a   | b   |\n| --- | --- |\n| 1   | 22  |\n',
    );
  });

  it('runs a TypeScript file in plain node with its input, and rejects when it fails', async () => {
    const script = join(dir, 'probe.ts');
    writeFileSync(
      script,
      [
        'interface Input { readonly n: number }',
        `const input = JSON.parse(process.env['${PLAIN_NODE_INPUT_ENV}'] ?? 'null') as Input;`,
        "const loaders: string = process.execArgv.join(' ');",
        'console.log(JSON.stringify({ doubled: input.n * 2, loaders, cwd: process.cwd() }));',
      ].join('\n'),
    );
    const out = await runInPlainNode(script, { cwd: dir, input: { n: 21 } });
    expect(JSON.parse(out)).toEqual({
      doubled: 42,
      loaders: expect.not.stringContaining('tsx') as unknown,
      cwd: dir,
    });

    const failing = join(dir, 'failing.ts');
    writeFileSync(failing, 'const code: number = 3;\nprocess.exit(code);\n');
    await expect(runInPlainNode(failing, { cwd: dir })).rejects.toThrow(
      `${failing} failed in plain node (exit code 3)`,
    );
  }, 60_000);
});

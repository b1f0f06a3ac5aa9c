import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  benchmarksMarkdown,
  installedVersion,
  readBenchmark,
  resultsMarkdown,
  stat,
  workspaceVersions,
  writeResults,
  type BenchmarkOutcome,
  type BenchmarkSource,
  type BenchmarksReport,
  type MachineInfo,
  type Row,
} from '../src/index.js';

const machineAt = (date: string, load: number[]): MachineInfo => ({
  cpu: 'AMD EPYC',
  cores: 2,
  node: 'v20.20.2',
  platform: 'linux 6.18 x64',
  memoryGiB: 23.5,
  loadAverageAtStart: load,
  date,
});

// As scripts/benchmarks-report.mjs lists them.
const core: BenchmarkSource = {
  packageName: '@corral/core',
  short: 'core',
  title: 'start/stop of 1,000 services',
  dir: 'packages/core',
  name: 'results',
  script: 'bench/run.ts',
};
const storm: BenchmarkSource = {
  packageName: '@corral/services-mcpserver',
  short: 'retry storm',
  title: 'retry storm of 30 servers',
  dir: 'packages/services-mcpserver',
  name: 'retry-storm',
  script: 'bench/retry-storm.ts',
};
const recovery: BenchmarkSource = {
  packageName: '@corral/services-aggregator',
  short: 'crash recovery',
  title: 'crash recovery',
  dir: 'packages/services-aggregator',
  name: 'recovery',
  script: 'bench/recovery.ts',
};

const coreRows: Row[] = [
  {
    measurement: 'start + stop',
    unit: 'ms',
    stat: stat([47, 21, 59]),
    target: '< 250 ms',
    pass: true,
  },
  { sub: true, measurement: 'of which start()', unit: 'ms', stat: stat([20, 8, 27]) },
  {
    sub: true,
    measurement: 'p99 through the gateway',
    unit: 'ms',
    stat: stat([3, 2, 4]),
    target: '< 5 ms',
    pass: true,
  },
  {
    measurement: 'event delivery',
    unit: 'events/s',
    stat: stat([400_000, 380_000, 420_000]),
    target: '> 500k events/s',
    pass: false,
  },
  { measurement: 'heap per service', unit: 'B', stat: stat([1500]), target: '< 2 KiB', pass: true },
];
const stormRows: Row[] = [
  { measurement: 'storm', unit: 'ms', stat: stat([900, 800, 1000]), target: '< 5 s', pass: true },
];

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bench-kit-page-'));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

/** Writes a benchmark's results as its bench script does (writeResults, prettified). */
async function writeBenchmark(
  source: BenchmarkSource,
  rows: readonly Row[],
  machine: MachineInfo,
): Promise<void> {
  const folder = join(root, source.dir, 'bench');
  mkdirSync(folder, { recursive: true });
  await writeResults(folder, source.name, {
    json: { package: source.packageName, machine, results: {} },
    markdown: resultsMarkdown({
      packageName: source.packageName,
      script: join(source.dir, source.script),
      machine,
      method: 'medians over 3 runs',
      rows,
      notes: {},
    }),
  });
}

function report(outcomes: BenchmarkOutcome[], extra: Partial<BenchmarksReport> = {}): string {
  return benchmarksMarkdown({
    machine: machineAt('2026-11-30T03:00:00.000Z', [0.2, 0.3, 0.4]),
    versions: [{ name: 'Node', version: 'v20.20.2' }],
    packages: [{ name: '@corral/core', version: '0.1.0' }],
    outcomes,
    reproduce: ['`pnpm bench`'],
    ...extra,
  });
}

describe('readBenchmark', () => {
  it('reads the date, the load average and the table rows a bench script wrote', async () => {
    await writeBenchmark(core, coreRows, machineAt('2026-11-30T02:29:57.085Z', [2.02, 1.84, 2.58]));
    const outcome = readBenchmark(root, core, new Date('2026-11-30T02:00:00.000Z'));
    expect(outcome).toMatchObject({
      status: 'ok',
      date: '2026-11-30T02:29:57.085Z',
      loadAverageAtStart: [2.02, 1.84, 2.58],
    });
    expect(outcome.problem).toBeUndefined();
    expect(outcome.rows.map((r) => [r.sub, r.measurement, r.result])).toEqual([
      [false, 'start + stop', 'PASS'],
      [true, 'of which start()', ''],
      [true, 'p99 through the gateway', 'PASS'],
      [false, 'event delivery', 'MISS'],
      [false, 'heap per service', 'PASS'],
    ]);
  });

  it('marks results from before this run stale, and any without `since` ok', async () => {
    await writeBenchmark(core, coreRows, machineAt('2026-11-29T00:00:00.000Z', [0.1, 0.1, 0.1]));
    const stale = readBenchmark(root, core, new Date('2026-11-30T00:00:00.000Z'));
    expect(stale.status).toBe('stale');
    expect(stale.problem).toBe('not from this run: its results are from 2026-11-29T00:00:00.000Z');
    expect(stale.rows).toHaveLength(5);
    expect(readBenchmark(root, core).status).toBe('ok');
  });

  it('marks results without a date stale when a run is checked', () => {
    const folder = join(root, core.dir, 'bench');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'results.json'), '{"machine":{}}');
    writeFileSync(
      join(folder, 'RESULTS.md'),
      '| measurement | median | min – max | target | result | vs baseline |\n' +
        '| --- | ---: | ---: | --- | --- | --- |\n| a | 1 ms | (one run) | | | |\n',
    );
    const outcome = readBenchmark(root, core, new Date());
    expect(outcome.status).toBe('stale');
    expect(outcome.problem).toContain('an unknown date');
  });

  it('names what is missing: the JSON, the page, a table, valid JSON', () => {
    expect(readBenchmark(root, core)).toMatchObject({
      status: 'missing',
      problem: 'no `packages/core/bench/results.json`',
      rows: [],
    });
    const folder = join(root, core.dir, 'bench');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'results.json'), '{}');
    expect(readBenchmark(root, core).problem).toBe('no `packages/core/bench/RESULTS.md`');
    writeFileSync(join(folder, 'RESULTS.md'), '# no table\n');
    expect(readBenchmark(root, core).problem).toBe(
      '`packages/core/bench/RESULTS.md` has no results table',
    );
    writeFileSync(join(folder, 'results.json'), '{ not json');
    expect(readBenchmark(root, core)).toMatchObject({ status: 'missing' });
    expect(readBenchmark(root, core).problem).toMatch(/is not JSON/);
  });
});

describe('benchmarksMarkdown', () => {
  const since = new Date('2026-11-30T02:00:00.000Z');

  it('counts targets met over fresh top-level rows and keeps rows with targets in the summary', async () => {
    await writeBenchmark(core, coreRows, machineAt('2026-11-30T02:10:00.000Z', [0.5, 0.5, 0.5]));
    await writeBenchmark(storm, stormRows, machineAt('2026-11-30T02:20:00.000Z', [1, 1, 1]));
    const page = report([readBenchmark(root, core, since), readBenchmark(root, storm, since)], {
      runStartedAt: since.toISOString(),
      loadAverageAtRunStart: [0.4, 0.4, 0.4],
      commit: 'abc1234',
    });
    // core: start + stop PASS, event delivery MISS, heap PASS (the sub row's PASS is not counted);
    // retry storm: PASS.
    expect(page).toContain('## Summary: 3 of 4 targets met\n');
    expect(page).not.toContain('without fresh results');
    expect(page).toContain('on 2026-11-30T02:00:00.000Z from commit abc1234');
    const summary = page.slice(page.indexOf('## Summary'), page.indexOf('## Machine'));
    expect(summary).toContain(
      '| [core](packages/core/bench/RESULTS.md) | start + stop | 47.0 ms |',
    );
    expect(summary).toContain(
      '|  | ↳ p99 through the gateway | 3.00 ms | 2.00 – 4.00 | < 5 ms | PASS |',
    );
    expect(summary).not.toContain('of which start()');
    expect(summary).toContain(
      '| [retry storm](packages/services-mcpserver/bench/RETRY-STORM.md) |',
    );
    // Every row is in the benchmark's own section.
    const sections = page.slice(page.indexOf('## Results by benchmark'));
    expect(sections).toContain('### @corral/core — start/stop of 1,000 services');
    expect(sections).toContain('| ↳ of which start() | 20.0 ms | 8.00 – 27.0 |');
    expect(sections).toContain('`packages/core/bench/run.ts`, ran 2026-11-30T02:10:00.000Z');
  });

  it('says the machine was quiet when every load average at a start was below the cores', async () => {
    await writeBenchmark(core, coreRows, machineAt('2026-11-30T02:10:00.000Z', [1.99, 3, 3]));
    const page = report([readBenchmark(root, core, since)], {
      runStartedAt: since.toISOString(),
      loadAverageAtRunStart: [0.4, 5, 5],
    });
    expect(page).not.toContain('A busy machine');
    expect(page).toContain(
      'A quiet machine: the 1-minute load average was at most 1.99 on 2 cores',
    );
  });

  it('warns of a busy machine when a load average at a start reached the cores, naming which', async () => {
    await writeBenchmark(core, coreRows, machineAt('2026-11-30T02:10:00.000Z', [2, 1, 1]));
    await writeBenchmark(storm, stormRows, machineAt('2026-11-30T02:20:00.000Z', [19.19, 9, 4]));
    await writeBenchmark(recovery, stormRows, machineAt('2026-11-30T02:30:00.000Z', [1.5, 9, 9]));
    const page = report(
      [
        readBenchmark(root, core, since),
        readBenchmark(root, storm, since),
        readBenchmark(root, recovery, since),
      ],
      { runStartedAt: since.toISOString(), loadAverageAtRunStart: [0.3, 0.3, 0.3] },
    );
    expect(page).toContain(
      '> **A busy machine.** The 1-minute load average was at or above the 2 cores when these began: ' +
        'core (2), retry storm (19.19). ',
    );
    expect(page).not.toContain('A quiet machine');
    expect(page.indexOf('A busy machine')).toBeLessThan(page.indexOf('## Summary'));
  });

  it('counts the run’s own start, and not the load of stale results', async () => {
    await writeBenchmark(core, coreRows, machineAt('2026-11-29T00:00:00.000Z', [7, 7, 7]));
    const page = report([readBenchmark(root, core, since)], {
      runStartedAt: since.toISOString(),
      loadAverageAtRunStart: [2.5, 1, 1],
    });
    expect(page).toContain('when these began: the run (2.5). ');
    expect(page).not.toContain('core (7)');
  });

  it('has no load paragraph when only composing from results without a load average', () => {
    const missing = readBenchmark(root, core);
    const page = report([missing]);
    expect(page).not.toContain('busy machine');
    expect(page).not.toContain('quiet machine');
  });

  it('marks stale and missing benchmarks and leaves their rows out of the count', async () => {
    await writeBenchmark(core, coreRows, machineAt('2026-11-29T00:00:00.000Z', [0.1, 0.1, 0.1]));
    await writeBenchmark(storm, stormRows, machineAt('2026-11-30T02:20:00.000Z', [0.1, 0.1, 0.1]));
    const page = report(
      [
        readBenchmark(root, core, since),
        readBenchmark(root, storm, since),
        readBenchmark(root, recovery, since),
      ],
      { runStartedAt: since.toISOString(), loadAverageAtRunStart: [0.1, 0.1, 0.1] },
    );
    expect(page).toContain(
      '## Summary: 1 of 1 targets met; 2 of 3 benchmarks without fresh results\n',
    );
    expect(page).toContain(
      '| [core](packages/core/bench/RESULTS.md) | **stale**: not from this run: its results are ' +
        'from 2026-11-29T00:00:00.000Z |  |  |  |  |  |',
    );
    expect(page).toContain(
      '| [crash recovery](packages/services-aggregator/bench/RECOVERY.md) | **missing**: no ' +
        '`packages/services-aggregator/bench/recovery.json` |',
    );
    // A stale benchmark still shows its old table, marked; a missing one says what is missing.
    expect(page).toContain(' **Stale**: not from this run: its results are from 2026-11-29');
    expect(page).toContain(
      '**Missing** (`packages/services-aggregator/bench/recovery.ts`): no ' +
        '`packages/services-aggregator/bench/recovery.json`.',
    );
  });

  it('lists the machine, versions and how to reproduce', () => {
    const page = report([], {
      runStartedAt: '2026-11-30T02:00:00.000Z',
      loadAverageAtRunStart: [1, 2, 3],
    });
    expect(page).toContain('## Summary: 0 of 0 targets met\n');
    expect(page).toContain('- CPU: AMD EPYC, 2 cores, 23.5 GiB');
    expect(page).toContain('- Run started: 2026-11-30T02:00:00.000Z, load average 1 2 3');
    expect(page).toContain('- Page written: 2026-11-30T03:00:00.000Z, load average 0.2 0.3 0.4');
    expect(page).toContain('| Node | v20.20.2 |\n| @corral/core | 0.1.0 |');
    expect(page.endsWith('## How to reproduce\n\n- `pnpm bench`\n')).toBe(true);
  });
});

describe('versions', () => {
  it('reads the workspace packages and the installed copy of a dependency', () => {
    const manifest = (dir: string, body: unknown): void => {
      mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(join(root, dir, 'package.json'), JSON.stringify(body));
    };
    manifest('packages/b', { name: '@corral/b', version: '1.0.0' });
    manifest('packages/a', { name: '@corral/a', version: '0.1.0' });
    manifest('packages/no-version', { name: '@corral/x' });
    manifest('apps/gateway', { name: '@corral/gateway', version: '0.2.0' });
    manifest('packages/b/node_modules/tsx', { name: 'tsx', version: '4.23.15' });
    manifest('node_modules/tsx', { name: 'tsx', version: '9.9.9' });
    expect(workspaceVersions(root)).toEqual([
      { name: '@corral/a', version: '0.1.0' },
      { name: '@corral/b', version: '1.0.0' },
      { name: '@corral/gateway', version: '0.2.0' },
    ]);
    expect(installedVersion(root, 'tsx', ['packages/a', 'packages/b', '.'])).toBe('4.23.15');
    expect(installedVersion(root, 'tsx', ['.'])).toBe('9.9.9');
    expect(installedVersion(root, 'turbo', ['.'])).toBeUndefined();
  });
});

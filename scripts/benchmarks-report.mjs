// `pnpm bench`: runs every package's benchmarks through turbo, one at a time (extra arguments go
// to turbo), then writes BENCHMARKS.md from their results. A benchmark that failed or did not run
// is named on the page as missing or stale, and the exit code is non-zero.
// `node scripts/benchmarks-report.mjs --compose-only` rewrites the page from the results on disk.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Every benchmark the page reports, in the order it shows them. */
const benchmarks = [
  {
    packageName: '@corral/core',
    short: 'core',
    title: 'start/stop of 1,000 services, event throughput, heap per service',
    dir: 'packages/core',
    name: 'results',
    script: 'bench/run.ts',
  },
  {
    packageName: '@corral/services-mcpserver',
    short: 'MCP servers',
    title: 'start-up of 1/10/50 servers, RSS, per-call overhead',
    dir: 'packages/services-mcpserver',
    name: 'results',
    script: 'bench/run.ts',
  },
  {
    packageName: '@corral/services-mcpserver',
    short: 'retry storm',
    title: 'retry storm of 30 servers failing their first 2 starts',
    dir: 'packages/services-mcpserver',
    name: 'retry-storm',
    script: 'bench/retry-storm.ts',
  },
  {
    packageName: '@corral/services-aggregator',
    short: 'gateway',
    title: 'latency and throughput through the gateway',
    dir: 'packages/services-aggregator',
    name: 'results',
    script: 'bench/run.ts',
  },
  {
    packageName: '@corral/services-aggregator',
    short: 'crash recovery',
    title: 'crash recovery, kill -9 to the tool callable through the gateway',
    dir: 'packages/services-aggregator',
    name: 'recovery',
    script: 'bench/recovery.ts',
  },
];

const root = fileURLToPath(new URL('..', import.meta.url));
const composeOnly = process.argv.includes('--compose-only');
const turboArgs = process.argv.slice(2).filter((arg) => arg !== '--compose-only');
const turbo = join(root, 'node_modules', '.bin', 'turbo');

function commit() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    const sha = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no').length > 0
      ? `${sha} + local changes`
      : sha;
  } catch {
    return undefined;
  }
}

// What the run measures: the commit when it began.
const measuredCommit = commit();
const runStartedAt = new Date();
const loadAverageAtRunStart = loadavg().map((l) => Math.round(l * 100) / 100);
let turboStatus = 0;
if (composeOnly) {
  // The page is composed by the built bench-kit: build it if this checkout has not yet.
  if (!existsSync(join(root, 'packages/bench-kit/dist/index.js'))) {
    spawnSync(turbo, ['run', 'build', '--filter=@corral/bench-kit'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
} else {
  const run = spawnSync(turbo, ['run', 'bench', '--concurrency=1', '--continue', ...turboArgs], {
    cwd: root,
    stdio: 'inherit',
  });
  turboStatus = run.status ?? 1;
}

const kit = await import(pathToFileURL(join(root, 'packages/bench-kit/dist/index.js')).href);

const packageDirs = benchmarks.map((b) => b.dir);
// The fixture server (in @corral/testing) runs the SDK's server side.
const searchDirs = [...packageDirs, 'packages/testing', '.'];
const installed = (name) => kit.installedVersion(root, name, searchDirs) ?? 'not found';
const sdk = [
  '@modelcontextprotocol/client',
  '@modelcontextprotocol/server',
  '@modelcontextprotocol/node',
];
const tools = ['typescript', 'tsx', 'turbo'];
const outcomes = benchmarks.map((source) =>
  kit.readBenchmark(root, source, composeOnly ? undefined : runStartedAt),
);
const markdown = kit.benchmarksMarkdown({
  machine: kit.machineInfo(),
  ...(composeOnly ? {} : { runStartedAt: runStartedAt.toISOString(), loadAverageAtRunStart }),
  commit: measuredCommit,
  versions: [
    { name: 'Node', version: process.version },
    ...[...sdk, ...tools].map((name) => ({ name, version: installed(name) })),
  ],
  packages: kit.workspaceVersions(root),
  outcomes,
  reproduce: [
    '`npm i -g pnpm@10.34.9 && pnpm install`, then `pnpm bench` on a quiet machine (check `uptime`): ' +
      'it builds what the benchmarks import, runs them one package at a time and writes this page.',
    'One package: `pnpm --filter @corral/core bench` (each writes `bench/RESULTS.md` and ' +
      '`bench/results.json`); one benchmark of several: `pnpm --filter ' +
      '@corral/services-mcpserver bench:retry-storm`, `pnpm --filter @corral/services-aggregator ' +
      'bench:recovery`. Then `node scripts/benchmarks-report.mjs --compose-only` rewrites this page ' +
      'from the results on disk.',
    'More runs for tighter ranges: `CORRAL_BENCH_RUNS`, `CORRAL_BENCH_WARMUPS` (core, ' +
      'services-mcpserver start-up), `CORRAL_BENCH_STORM_RUNS`, `CORRAL_BENCH_RECOVERY_RUNS`; ' +
      '`CORRAL_BENCH_VERBOSE=1` prints every sample.',
    'Compare ratios, not absolute times, across machines: every ratio here is against a baseline ' +
      'measured in the same run, variants alternating run by run.',
  ],
});
const path = join(root, 'BENCHMARKS.md');
writeFileSync(path, await kit.prettified(path, markdown, 'markdown'));

const notOk = outcomes.filter((o) => o.status !== 'ok');
process.stdout.write(
  `\nwrote BENCHMARKS.md (${outcomes.length - notOk.length} of ${outcomes.length} benchmarks fresh)\n`,
);
for (const o of notOk) {
  process.stdout.write(`  ${o.source.packageName} ${o.source.name}: ${o.status}: ${o.problem}\n`);
}
process.exitCode = turboStatus !== 0 ? turboStatus : notOk.length > 0 && !composeOnly ? 1 : 0;

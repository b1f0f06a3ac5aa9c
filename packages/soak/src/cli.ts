/**
 * `pnpm --filter @corral/soak soak -- --duration 600 [--seed N]`: the long chaos soak. Prints
 * the table, writes RESULTS.md, exits 1 when a check failed.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { machineInfo, prettified } from '@corral/bench-kit';
import { resultsMarkdown, textReport } from './report.js';
import { runSoak } from './soak.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    duration: { type: 'string', default: '600' },
    seed: { type: 'string', default: '20261' },
    sessions: { type: 'string', default: '4' },
    quiet: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'no-results': { type: 'boolean', default: false },
  },
});

const durationS = Number(values.duration);
const seed = Number(values.seed);
const sessions = Number(values.sessions);
if (!(durationS > 0) || !Number.isInteger(seed) || !(sessions > 0)) {
  process.stderr.write(
    'usage: soak [--duration SECONDS] [--seed INTEGER] [--sessions N] [--quiet] [--keep] [--no-results]\n',
  );
  process.exit(2);
}

const machine = machineInfo();
const report = await runSoak({
  durationS,
  seed,
  sessions,
  keep: values.keep,
  log: values.quiet ? undefined : (line) => process.stderr.write(`  ${line}\n`),
});
process.stdout.write(`${textReport(report, machine)}\n`);
if (!values['no-results']) {
  const path = new URL('../RESULTS.md', import.meta.url);
  const command = `pnpm --filter @corral/soak soak -- --duration ${durationS} --seed ${seed}`;
  await writeFile(
    path,
    await prettified(path.pathname, resultsMarkdown(report, machine, command), 'markdown'),
  );
  process.stderr.write('  wrote packages/soak/RESULTS.md\n');
}
process.exit(report.pass ? 0 : 1);

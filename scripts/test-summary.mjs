// Sums every package's vitest JSON report into the one line CI reads: `N passed, N failed`.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const roots = ['packages', 'apps'];
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const root of roots) {
  let entries;
  try {
    entries = await readdir(root);
  } catch {
    continue;
  }
  for (const name of entries) {
    const dir = join(root, name);
    let manifest;
    try {
      manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (!manifest.scripts?.test) continue;
    try {
      const report = JSON.parse(await readFile(join(dir, '.reports', 'vitest.json'), 'utf8'));
      passed += report.numPassedTests ?? 0;
      failed += report.numFailedTests ?? 0;
      skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
      if ((report.numFailedTestSuites ?? 0) > 0 && (report.numFailedTests ?? 0) === 0) {
        // A suite that failed to load has no failed tests of its own: count it as one.
        failed += report.numFailedTestSuites;
      }
    } catch {
      missing.push(dir);
      failed += 1;
    }
  }
}
for (const dir of missing) console.log(`no test report from ${dir} (its tests did not run)`);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;

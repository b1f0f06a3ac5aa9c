/**
 * The CI variant of the chaos soak: the same fleet, load, fault kinds and checks as
 * `pnpm soak`, for 60 seconds of faults.
 */
import { describe, expect, it } from 'vitest';
import { summary, textTable } from '../src/report.js';
import { runSoak } from '../src/soak.js';

const DURATION_S = Number(process.env['CORRAL_SOAK_CI_DURATION'] ?? 60);

describe('chaos soak (CI variant)', () => {
  it(
    `keeps a 20-server gateway answering through ${DURATION_S} s of seeded faults`,
    async () => {
      const report = await runSoak({ durationS: DURATION_S, seed: 6 });
      const table = textTable(report.checks);
      process.stderr.write(`\n${summary(report).join('\n')}\n\n${table}\n`);
      // The whole table in the failure message: one failed check is read beside the others.
      expect(
        report.checks.filter((c) => !c.pass).map((c) => c.check),
        `\n${table}\n(work dir ${report.workDir})`,
      ).toEqual([]);
      expect(report.faults.filter((f) => f.services.length > 0).length).toBeGreaterThanOrEqual(6);
    },
    // Generous: a failing run still reaches its table (start, settle and shutdown are bounded).
    (DURATION_S + 540) * 1_000,
  );
});

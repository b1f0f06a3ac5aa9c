import { type MachineInfo, machineMarkdown, machineSummary } from '@corral/bench-kit';
import type { CheckResult } from './checks.js';
import type { FaultType } from './fault-schedule.js';
import type { SoakReport } from './soak.js';

const headers = ['check', 'result', 'value', 'required'];

function rows(checks: readonly CheckResult[]): string[][] {
  return checks.map((c) => [c.check, c.pass ? 'PASS' : 'FAIL', c.value, c.requirement]);
}

/** The checks as an aligned plain-text table, each failure's details under it. */
export function textTable(checks: readonly CheckResult[]): string {
  const body = rows(checks);
  const widths = headers.map((_, i) =>
    Math.max(...[headers, ...body].map((r) => (r[i] ?? '').length)),
  );
  const line = (r: readonly string[]): string =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(headers), widths.map((w) => '-'.repeat(w)).join('  ')];
  checks.forEach((check, i) => {
    out.push(line(body[i] ?? []));
    for (const detail of check.details) out.push(`    ${detail}`);
  });
  return out.join('\n');
}

function faultCounts(report: SoakReport): string {
  const counts = new Map<FaultType, number>();
  for (const fault of report.faults) {
    if (fault.services.length > 0) counts.set(fault.type, (counts.get(fault.type) ?? 0) + 1);
  }
  const skipped = report.faults.filter((f) => f.skipped !== undefined).length;
  return (
    [...counts].map(([type, n]) => `${n} ${type}`).join(', ') +
    (skipped > 0 ? ` (${skipped} skipped: target busy)` : '')
  );
}

/** One paragraph of what the run did. */
export function summary(report: SoakReport): string[] {
  return [
    `seed ${report.seed}, ${report.durationS} s of faults under load (${report.wallS} s in all)`,
    `${report.calls} calls from ${report.sessionsOpened} client sessions; faults: ${faultCounts(report)}`,
    `recovery windows use a start budget of ${(report.startBudgetMs / 1000).toFixed(1)} s per start ` +
      `(2 × the slowest start when all 20 started at once, ${(report.slowestFirstStartMs / 1000).toFixed(1)} s; at least 5 s)`,
    `${report.toolListChanges} tools/list_changed notifications received; ` +
      `${report.unexplainedFailures.length} server failures without a fault of ours` +
      (report.unexplainedFailures.length > 0
        ? `: ${report.unexplainedFailures.slice(0, 5).join('; ')}`
        : ''),
  ];
}

/** What the terminal shows. */
export function textReport(report: SoakReport, machine: MachineInfo): string {
  return [
    `Corral chaos soak — ${report.pass ? 'PASS' : 'FAIL'}`,
    machineSummary(machine),
    ...summary(report),
    '',
    textTable(report.checks),
    ...(report.pass ? [] : ['', `gateway log and config kept in ${report.workDir}`]),
  ].join('\n');
}

/** packages/soak/RESULTS.md. */
export function resultsMarkdown(report: SoakReport, machine: MachineInfo, command: string): string {
  const esc = (cell: string): string => cell.replaceAll('|', '\\|');
  return [
    '# Corral chaos soak results',
    '',
    `Written by \`${command}\` (packages/soak). Verdict: **${report.pass ? 'PASS' : 'FAIL'}**.`,
    '',
    ...machineMarkdown(machine),
    `- Seed: ${report.seed}; duration: ${report.durationS} s of faults under load (${report.wallS} s in all)`,
    ...summary(report)
      .slice(1)
      .map((line) => `- ${line}`),
    '',
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => ' --- ').join('|')}|`,
    ...rows(report.checks).map((r) => `| ${r.map(esc).join(' | ')} |`),
    '',
    ...report.checks
      .filter((c) => c.details.length > 0)
      .flatMap((c) => [`**${c.check}**:`, '', ...c.details.map((d) => `- ${esc(d)}`), '']),
    'What each check means, and the tolerances: see the [README](README.md).',
    '',
  ].join('\n');
}

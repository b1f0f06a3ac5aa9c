import type { MachineInfo } from './machine.js';
import { machineMarkdown } from './machine.js';
import type { Row } from './table.js';
import { markdownTable } from './table.js';

export interface ResultsPage {
  /** The package, e.g. `@corral/core`. */
  readonly packageName: string;
  /** The script, relative to the repository root, e.g. `packages/core/bench/run.ts`. */
  readonly script: string;
  readonly machine: MachineInfo;
  /** How runs were repeated; noise caveat is added. */
  readonly method: string;
  readonly rows: readonly Row[];
  /** What each measurement does, by label, one bullet each. */
  readonly notes: Readonly<Record<string, string>>;
}

/** The RESULTS.md every benchmark writes: machine, method, table, and what each row measures. */
export function resultsMarkdown(page: ResultsPage): string {
  return [
    `# ${page.packageName} benchmark results`,
    '',
    `Written by \`pnpm bench\` (\`${page.script}\`); the same figures are in \`results.json\`.`,
    '',
    ...machineMarkdown(page.machine),
    `- Method: ${page.method}. Timings on a small shared machine are noisy: compare the ratios ` +
      'to the same-run baselines.',
    '',
    markdownTable(page.rows),
    '',
    ...Object.entries(page.notes).map(([label, text]) => `- **${label}**: ${text}.`),
    '',
  ].join('\n');
}

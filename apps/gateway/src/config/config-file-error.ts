import { formatProblem } from './format-problem.js';
import type { GatewayConfigProblem } from './types.js';

/**
 * A config file that cannot be used at all: unreadable, not parseable, or wrong as a whole (the
 * top level, the `aggregator` section, `plugins`). Problems with single entries are not thrown:
 * they are listed in `GatewayConfig.problems` and the rest runs.
 */
export class ConfigFileError extends Error {
  readonly code = 'CONFIG_FILE';

  constructor(readonly problems: readonly GatewayConfigProblem[]) {
    super(
      problems.length === 1 && problems[0]
        ? formatProblem(problems[0])
        : `config is unusable (${problems.length} problems):\n` +
            problems.map((problem) => `  ${formatProblem(problem)}`).join('\n'),
    );
    this.name = 'ConfigFileError';
  }
}

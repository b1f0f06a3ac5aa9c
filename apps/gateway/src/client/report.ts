import type { ExitCode, Io } from '../io.js';
import { exitCodeFor } from './gateway-error.js';

/** Says what went wrong on stderr, and returns the exit code it calls for. */
export function reportFailure(io: Io, error: unknown): ExitCode {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`corral: ${message}\n`);
  return exitCodeFor(error);
}

/** The API's JSON, as `--json` prints it: one pretty-printed document. */
export function writeJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** The width to fit lines to: the terminal's, or a generous default for pipes and files. */
export function outputWidth(io: Io): number {
  const stdout: object = io.stdout;
  if ('columns' in stdout && typeof stdout.columns === 'number' && stdout.columns > 0) {
    return stdout.columns;
  }
  return 120;
}

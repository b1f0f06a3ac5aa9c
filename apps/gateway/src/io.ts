/**
 * Where a command writes and how it ends. Commands never call `process.exit` or touch
 * `process.stdout` themselves: they write to an `Io` and return an exit code, so tests run them
 * in-process and the CLI entry decides how to leave.
 */
export interface Io {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** The environment `${VAR}` expansion and defaults read (default: `process.env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against (default: `process.cwd()`). */
  readonly cwd: string;
}

/** Exit codes, as documented in the README: 0 ok, 1 runtime failure, 2 bad usage or config. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const processIo: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
};

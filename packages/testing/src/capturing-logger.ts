/** Structured log fields, as Corral's logger takes them. */
export type CapturedLogFields = Readonly<Record<string, unknown>>;

/** A logger that keeps every line (structurally a `@corral/core` Logger). */
export interface CapturingLogger {
  readonly lines: string[];
  debug(message: string, fields?: CapturedLogFields): void;
  info(message: string, fields?: CapturedLogFields): void;
  warn(message: string, fields?: CapturedLogFields): void;
  error(message: string, fields?: CapturedLogFields): void;
}

/**
 * A logger that records `level message {fields}` lines, so a test can assert what was logged —
 * or that a secret never was.
 */
export function capturingLogger(): CapturingLogger {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (message: string, fields?: CapturedLogFields): void => {
      lines.push(`${level} ${message} ${fields === undefined ? '' : JSON.stringify(fields)}`);
    };
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

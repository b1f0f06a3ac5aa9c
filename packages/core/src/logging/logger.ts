/** Structured log fields. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The logger Corral writes to. Adapt pino or anything else to it in one line per level. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const noop = (): void => undefined;

export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/** Warnings and errors to the console: the default, so problems are never silent. */
export const consoleLogger: Logger = {
  debug: noop,
  info: noop,
  warn: (message, fields) => {
    console.warn(`[corral] ${message}`, ...(fields ? [fields] : []));
  },
  error: (message, fields) => {
    console.error(`[corral] ${message}`, ...(fields ? [fields] : []));
  },
};

import type { Logger, LogFields, ServiceStateChangedEvent } from '@corral/core';
import { pino, type Level } from 'pino';

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * What `corral serve` tells its operator: the fleet's state changes, its own notices and the
 * plugins' logs. On a TTY that is a live progress view while the fleet starts and one readable
 * line per event after; otherwise (or with `--json`) one pino JSON line per event or log.
 */
export interface Reporter {
  /** Handed to core and the plugins. */
  readonly logger: Logger;
  /** Every state change of every service. */
  event(event: ServiceStateChangedEvent): void;
  /** The fleet starts: show these services' progress until `endStartup`. */
  beginStartup(names: readonly string[]): void;
  endStartup(): void;
}

export interface ReporterOptions {
  readonly stream: { write(text: string): unknown };
  readonly level: LogLevel;
  /** How many tools a service offers now, for the `running` lines. */
  readonly toolsOf?: (name: string) => number | undefined;
}

// ---------------------------------------------------------------------------------------------
// Structured: one JSON line per event and log (pino).

export function jsonReporter(options: ReporterOptions): Reporter {
  const log = pino(
    { level: options.level, base: { name: 'corral' }, timestamp: pino.stdTimeFunctions.isoTime },
    options.stream,
  );
  const at =
    (level: Level) =>
    (message: string, fields?: LogFields): void => {
      log[level](fields ?? {}, message);
    };
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    event(event) {
      const tools = event.newState === 'running' ? options.toolsOf?.(event.name) : undefined;
      log[event.newState === 'failed' ? 'warn' : 'info'](
        {
          event: 'state',
          seq: event.seq,
          service: event.name,
          type: event.serviceType,
          from: event.oldState,
          to: event.newState,
          health: event.health,
          ...(event.reason === undefined ? {} : { reason: event.reason }),
          ...(event.error === undefined ? {} : { error: event.error }),
          ...(tools === undefined ? {} : { tools }),
        },
        `${event.name}: ${event.oldState} → ${event.newState}`,
      );
    },
    beginStartup() {
      // Every event is a line already.
    },
    endStartup() {
      // Nothing drawn to finish.
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Human: a live view while starting, then one line per event.

const colors = {
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  reset: '\u001b[0m',
} as const;
type Color = Exclude<keyof typeof colors, 'reset'>;

const stateColor: Partial<Record<string, Color>> = {
  running: 'green',
  failed: 'red',
  unreachable: 'red',
  auth_required: 'yellow',
  retrying: 'yellow',
  waiting: 'yellow',
  starting: 'dim',
  stopping: 'dim',
  stopped: 'dim',
};

const levelRank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface TtyReporterOptions extends ReporterOptions {
  /** Draw with colours and redraw the progress block in place (default true). */
  readonly color?: boolean;
  readonly now?: () => number;
}

interface Progress {
  state: string;
  detail: string;
  since: number;
}

export function ttyReporter(options: TtyReporterOptions): Reporter {
  const { stream } = options;
  const color = options.color ?? true;
  const now = options.now ?? Date.now;
  const paint = (text: string, which: Color | undefined): string =>
    color && which !== undefined ? `${colors[which]}${text}${colors.reset}` : text;
  const clock = (): string => new Date(now()).toISOString().slice(11, 19);

  let progress: Map<string, Progress> | undefined;
  let drawn = 0;
  const started = now();

  const progressLine = (name: string, item: Progress, width: number): string => {
    const mark =
      item.state === 'running'
        ? paint('✔', 'green')
        : item.state === 'failed' || item.state === 'unreachable'
          ? paint('✖', 'red')
          : paint('…', 'dim');
    const seconds = ((item.since - started) / 1000).toFixed(1);
    const detail = item.detail === '' ? '' : `  ${item.detail}`;
    const time = item.state === 'running' ? paint(` (${seconds} s)`, 'dim') : '';
    return `  ${mark} ${name.padEnd(width)}  ${paint(item.state, stateColor[item.state])}${detail}${time}`;
  };
  const erase = (): void => {
    if (drawn > 0 && color) stream.write(`\u001b[${drawn}A\u001b[J`);
    drawn = 0;
  };
  const draw = (): void => {
    if (!progress) return;
    const width = Math.max(...[...progress.keys()].map((name) => name.length));
    const lines = [...progress].map(([name, item]) => progressLine(name, item, width));
    stream.write(lines.join('\n') + '\n');
    drawn = lines.length;
  };
  /** Writes a line above the live block (or just writes it, when there is none). */
  const say = (line: string): void => {
    if (progress && color) {
      erase();
      stream.write(line + '\n');
      draw();
    } else {
      stream.write(line + '\n');
    }
  };
  const at =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (levelRank[level] < levelRank[options.level]) return;
      // While the live block shows progress, routine notes would only push it around.
      if (progress !== undefined && levelRank[level] < levelRank.warn) return;
      const label =
        level === 'error'
          ? paint('error', 'red')
          : level === 'warn'
            ? paint('warn ', 'yellow')
            : paint(level.padEnd(5), 'dim');
      const service = typeof fields?.['service'] === 'string' ? `${fields['service']}: ` : '';
      say(`${paint(clock(), 'dim')} ${label} ${service}${message}`);
    };

  const detailOf = (event: ServiceStateChangedEvent): string => {
    if (event.newState === 'running') {
      const tools = options.toolsOf?.(event.name);
      return tools === undefined ? '' : `${tools} tool${tools === 1 ? '' : 's'}`;
    }
    if (event.error) return event.error.message;
    if (event.reason === 'manual' || event.reason === 'dependency') return `(${event.reason})`;
    return '';
  };

  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    event(event) {
      if (progress?.has(event.name)) {
        progress.set(event.name, { state: event.newState, detail: detailOf(event), since: now() });
        if (color) {
          erase();
          draw();
        } else {
          stream.write(
            progressLine(
              event.name,
              { state: event.newState, detail: detailOf(event), since: now() },
              event.name.length,
            ) + '\n',
          );
        }
        return;
      }
      if (levelRank.info < levelRank[options.level]) return;
      const detail = detailOf(event);
      say(
        `${paint(clock(), 'dim')} ${paint(event.name, 'bold')}  ${event.oldState} → ` +
          `${paint(event.newState, stateColor[event.newState])}${detail === '' ? '' : `  ${detail}`}`,
      );
    },
    beginStartup(names) {
      progress = new Map(
        names.map((name) => [name, { state: 'waiting', detail: '', since: now() }]),
      );
      if (color) draw();
    },
    endStartup() {
      if (color) {
        erase();
        draw();
      }
      progress = undefined;
      drawn = 0;
    },
  };
}

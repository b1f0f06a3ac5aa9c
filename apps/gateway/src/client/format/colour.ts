import type { Io } from '../../io.js';

/** Paints text for a terminal, or leaves it as is. */
export interface Palette {
  readonly enabled: boolean;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const sgr =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001B[${String(open)}m${text}\u001B[${String(close)}m`;

const plain = (text: string): string => text;

/** Colour only for a terminal, and never when `NO_COLOR` is set to anything (no-color.org). */
export function paletteFor(io: Io): Palette {
  const noColor = io.env['NO_COLOR'];
  const enabled = io.stdout.isTTY === true && (noColor === undefined || noColor === '');
  if (!enabled) {
    return { enabled, green: plain, yellow: plain, red: plain, dim: plain, bold: plain };
  }
  return {
    enabled,
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    red: sgr(31, 39),
    dim: sgr(2, 22),
    bold: sgr(1, 22),
  };
}

/** How each state reads at a glance: up, on its way, down on purpose, or in trouble. */
const stateTone: Readonly<Record<string, keyof Omit<Palette, 'enabled' | 'bold'>>> = {
  running: 'green',
  starting: 'yellow',
  stopping: 'yellow',
  waiting: 'yellow',
  retrying: 'yellow',
  failed: 'red',
  unreachable: 'red',
  auth_required: 'red',
  stopped: 'dim',
  unknown: 'dim',
};

const healthTone: Readonly<Record<string, keyof Omit<Palette, 'enabled' | 'bold'>>> = {
  healthy: 'green',
  degraded: 'yellow',
  checking: 'yellow',
  unhealthy: 'red',
  unknown: 'dim',
};

export function paintState(palette: Palette, state: string, text = state): string {
  const tone = stateTone[state];
  return tone === undefined ? text : palette[tone](text);
}

export function paintHealth(palette: Palette, health: string, text = health): string {
  const tone = healthTone[health];
  return tone === undefined ? text : palette[tone](text);
}

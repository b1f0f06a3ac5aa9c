import { ExitCode, type Io } from '../io.js';
import { isAborted } from './aborted.js';
import type { GatewayEvent, StateEvent } from './api-schema.js';
import type { ClientOptions } from './client-options.js';
import { paintHealth, paintState, type Palette, paletteFor } from './format/colour.js';
import { formatClockTime, formatDuration } from './format/time-format.js';
import { GatewayClient } from './gateway-client.js';
import { GatewayClientError, type GatewayErrorKind } from './gateway-error.js';
import { reportFailure } from './report.js';

export interface EventsFlags {
  /** One JSON object per line instead of text. */
  readonly json?: boolean;
  /** Replay the events after this seq first (as `Last-Event-ID`), then follow. */
  readonly since?: number;
  /** Only this service's events. */
  readonly service?: string;
  /** Ctrl-C: ends the command with 0. */
  readonly signal?: AbortSignal;
  /** After the stream drops: attempts to reconnect (default 5), first delay (default 500 ms, doubling). */
  readonly reconnect?: { readonly attempts?: number; readonly initialDelayMs?: number };
}

/** Worth reconnecting after: the gateway went away or the connection broke, not a refusal. */
const transientKinds: ReadonlySet<GatewayErrorKind> = new Set([
  'unreachable',
  'stream_lost',
  'timeout',
  'failed',
]);

/**
 * `corral events`: follows the gateway's event stream, one line per event. When the stream drops
 * it reconnects with `Last-Event-ID` (so nothing is missed or repeated), a few times with backoff,
 * saying so on stderr; 1 when the gateway is gone, 0 when `signal` aborts.
 */
export async function runEvents(
  options: ClientOptions,
  io: Io,
  flags: EventsFlags = {},
): Promise<ExitCode> {
  const client = new GatewayClient(options);
  const palette = paletteFor(io);
  const signal = flags.signal;
  const attempts = flags.reconnect?.attempts ?? 5;
  const initialDelayMs = flags.reconnect?.initialDelayMs ?? 500;

  // Asking first checks the gateway (and the --service name) before following anything.
  let nameWidth: number;
  try {
    const names =
      flags.service === undefined
        ? (await client.listServices()).map((s) => s.name)
        : [(await client.getService(flags.service)).name];
    nameWidth = Math.max(0, ...names.map((name) => name.length));
  } catch (error) {
    return isAborted(signal) ? ExitCode.ok : reportFailure(io, error);
  }

  let since = flags.since;
  let failures = 0;
  for (;;) {
    if (isAborted(signal)) return ExitCode.ok;
    let why: string;
    try {
      const stream = client.events({
        ...(since !== undefined ? { since } : {}),
        ...(signal ? { signal } : {}),
        onOpen: () => {
          if (failures > 0) io.stderr.write('corral: reconnected to the event stream\n');
          failures = 0;
        },
      });
      for await (const event of stream) {
        if (event.kind === 'state') {
          since = event.seq;
          if (flags.service !== undefined && event.name !== flags.service) continue;
          nameWidth = Math.max(nameWidth, event.name.length);
        }
        io.stdout.write(
          flags.json === true
            ? `${JSON.stringify(event)}\n`
            : formatEvent(event, palette, nameWidth),
        );
        if (event.kind === 'overflow' && flags.json !== true) {
          io.stderr.write(
            `corral: missed ${String(event.dropped)} events the gateway could not hold: ` +
              '`corral status` shows where every service is now\n',
          );
        }
      }
      if (isAborted(signal)) return ExitCode.ok;
      why = 'the gateway ended the stream';
    } catch (error) {
      if (isAborted(signal)) return ExitCode.ok;
      if (!(error instanceof GatewayClientError) || !transientKinds.has(error.kind)) {
        return reportFailure(io, error);
      }
      why = error.message;
    }
    failures++;
    if (failures > attempts) {
      io.stderr.write(
        `corral: gave up on the event stream after ${String(attempts)} attempts to reconnect: ${why}\n`,
      );
      return ExitCode.failure;
    }
    const delayMs = initialDelayMs * 2 ** (failures - 1);
    io.stderr.write(
      `corral: event stream lost (${why}); reconnecting in ${formatDelay(delayMs)} ` +
        `(attempt ${String(failures)} of ${String(attempts)})` +
        (since === undefined ? '' : `, from event ${String(since)}`) +
        '\n',
    );
    await pause(delayMs, signal);
  }
}

/**
 * `23:12:01.123  memory  running → stopped  (manual)`; a failure adds its error, a health-only
 * change reads `health healthy → degraded`, lost events read `(N events missed)`.
 */
export function formatEvent(event: GatewayEvent, palette: Palette, nameWidth = 0): string {
  const time = formatClockTime(event.timestamp);
  if (event.kind === 'overflow') {
    return `${time}  ${palette.yellow(`(${String(event.dropped)} events missed)`)}\n`;
  }
  return `${time}  ${event.name.padEnd(nameWidth)}  ${describeChange(event, palette)}\n`;
}

function describeChange(event: StateEvent, palette: Palette): string {
  const change =
    event.oldState === event.newState
      ? `health ${paintHealth(palette, event.oldHealth ?? 'unknown')} → ${paintHealth(palette, event.health)}`
      : `${paintState(palette, event.oldState)} → ${paintState(palette, event.newState)}`;
  const reason = event.reason === undefined ? '' : `  (${event.reason})`;
  const error = event.error === undefined ? '' : `  ${palette.red(event.error.message)}`;
  return `${change}${reason}${error}`;
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${String(ms)} ms` : formatDuration(ms);
}

/** Waits `ms`, or less if `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

import { stringify } from 'yaml';
import { ExitCode, type Io } from '../io.js';
import type { ServiceView } from './api-schema.js';
import type { ClientOptions } from './client-options.js';
import { paintHealth, paintState, type Palette, paletteFor } from './format/colour.js';
import { renderTable, type Row, truncate } from './format/table.js';
import { formatClockTime, formatDuration } from './format/time-format.js';
import { GatewayClient } from './gateway-client.js';
import { outputWidth, reportFailure, writeJson } from './report.js';

export interface StatusFlags {
  /** Print the API's JSON instead of a table. */
  readonly json?: boolean;
  /** Show this one service in detail. */
  readonly name?: string;
}

const HEADER = ['NAME', 'TYPE', 'STATE', 'HEALTH', 'TOOLS', 'RESTARTS', 'UPTIME', 'LAST ERROR'];
/** The narrowest the LAST ERROR column gets, however wide the rest of the table. */
const MIN_ERROR_WIDTH = 24;

/**
 * `corral status [NAME]`: a table of every service (state, health, tools, restarts, uptime, last
 * error), or one service in detail; `--json` prints the API's JSON. 0 on success, 2 for an
 * unknown name, 1 when the gateway cannot be asked.
 */
export async function runStatus(
  options: ClientOptions,
  io: Io,
  flags: StatusFlags = {},
): Promise<ExitCode> {
  const client = new GatewayClient(options);
  try {
    if (flags.name !== undefined) {
      const service = await client.getService(flags.name);
      if (flags.json === true) writeJson(io, service);
      else io.stdout.write(renderServiceDetail(service, paletteFor(io), Date.now()));
      return ExitCode.ok;
    }
    const services = await client.listServices();
    if (flags.json === true) writeJson(io, { services });
    else io.stdout.write(renderStatusTable(services, paletteFor(io), Date.now(), outputWidth(io)));
    return ExitCode.ok;
  } catch (error) {
    return reportFailure(io, error);
  }
}

/** The status table; LAST ERROR is cut to what is left of `width`. */
export function renderStatusTable(
  services: readonly ServiceView[],
  palette: Palette,
  now: number,
  width: number,
): string {
  if (services.length === 0) return 'no services are registered in this gateway\n';
  const rows = services.map((s) => [
    s.name,
    s.type,
    { text: s.state, paint: (t: string) => paintState(palette, s.state, t) },
    { text: s.health, paint: (t: string) => paintHealth(palette, s.health, t) },
    s.tools === undefined ? '-' : String(s.tools),
    String(s.restarts ?? 0),
    uptimeOf(s, now),
    s.lastError?.message ?? '',
  ]);
  // Everything but the last column, measured as the table will lay it out.
  const fixed = HEADER.slice(0, -1).reduce(
    (sum, title, column) =>
      sum + 2 + Math.max(title.length, ...rows.map((row) => cellText(row[column]).length)),
    0,
  );
  const errorWidth = Math.max(MIN_ERROR_WIDTH, width - fixed - 1);
  const fitted: Row[] = rows.map((row) => {
    const error = cellText(row.at(-1));
    return [
      ...row.slice(0, -1),
      { text: truncate(error, errorWidth), paint: (t: string) => palette.red(t) },
    ];
  });
  return renderTable(HEADER, fitted);
}

function cellText(cell: { text: string } | string | undefined): string {
  if (cell === undefined) return '';
  return typeof cell === 'string' ? cell : cell.text;
}

function uptimeOf(service: ServiceView, now: number): string {
  return service.state === 'running' && service.since !== undefined
    ? formatDuration(now - service.since)
    : '-';
}

/** One service, field by field, with its own (redacted) status data and the full last error. */
export function renderServiceDetail(service: ServiceView, palette: Palette, now: number): string {
  const since =
    service.since === undefined
      ? ''
      : service.state === 'running'
        ? ` for ${formatDuration(now - service.since)} (since ${formatClockTime(service.since)})`
        : ` since ${formatClockTime(service.since)}`;
  const fields: [string, string][] = [
    ['type', service.type],
    ['state', paintState(palette, service.state) + since],
    ['health', paintHealth(palette, service.health)],
  ];
  if (service.tools !== undefined) fields.push(['tools', String(service.tools)]);
  fields.push(['restarts', String(service.restarts ?? 0)]);
  if ((service.consecutiveFailures ?? 0) > 0) {
    fields.push(['failures', `${String(service.consecutiveFailures)} in a row`]);
  }
  if (service.nextRetryAt !== undefined) {
    fields.push([
      'next retry',
      `in ${formatDuration(service.nextRetryAt - now)} (${formatClockTime(service.nextRetryAt)})`,
    ]);
  }
  if (service.stopReason !== undefined) fields.push(['stop reason', service.stopReason]);
  const dependencies = service.dependencies ?? [];
  fields.push(['depends on', dependencies.length > 0 ? dependencies.join(', ') : '-']);
  if (service.autoStart !== undefined) {
    fields.push(['auto start', service.autoStart ? 'yes' : 'no']);
  }
  if (service.lastError !== undefined) {
    fields.push([
      'last error',
      palette.red(`${service.lastError.message} [${service.lastError.code}]`),
    ]);
  }
  const labelWidth = Math.max(...fields.map(([label]) => label.length));
  let out = `${palette.bold(service.name)}\n`;
  for (const [label, value] of fields) out += `  ${label.padEnd(labelWidth)}  ${value}\n`;
  if (service.data !== undefined && Object.keys(service.data).length > 0) {
    out += '  data:\n';
    out += stringify(service.data, { indent: 2 })
      .trimEnd()
      .split('\n')
      .map((line) => `    ${line}\n`)
      .join('');
  }
  return out;
}

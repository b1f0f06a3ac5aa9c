import { isAbsolute, resolve, sep } from 'node:path';
import { aggregatorConfigSchema } from '@corral/services-aggregator';
import type { z } from 'zod';
import { GATEWAY_SERVICE_NAME } from '../plugins.js';
import { ConfigFileError } from './config-file-error.js';
import { mcpServerEntrySchema, pluginsSchema, serviceEntrySchema } from './entry-schemas.js';
import { type ExpansionContext, expandVariables, isRecord } from './expand-variables.js';
import { formatProblem, joinPath, locatedProblem } from './format-problem.js';
import type {
  EntryOrigin,
  GatewayConfig,
  GatewayConfigProblem,
  ServiceEntry,
  SourcePosition,
} from './types.js';

/** Where a config came from: the file (absolute), its name for messages, and its directory. */
export interface ConfigSource {
  readonly file: string | undefined;
  readonly displayName: string;
  readonly baseDir: string;
}

/** The name messages give the config `serve` runs without `--config`. */
export const DEFAULT_FLEET_NAME = '(built-in default fleet)';

const sections = ['mcpServers', 'servers', 'services'] as const;
type Section = (typeof sections)[number];
const knownKeys = new Set<string>(['aggregator', 'plugins', '$schema', ...sections]);

/**
 * Turns a parsed config (from a file, or built in memory) into a `GatewayConfig`: variables
 * expanded, `mcpServers` / `servers` entries mapped to `MCPServer` entries, structure checked.
 * A bad entry is listed in `problems` and left out; a config unusable as a whole throws
 * `ConfigFileError`.
 */
export function resolveConfig(
  raw: unknown,
  source: ConfigSource,
  env: Readonly<Record<string, string | undefined>>,
): GatewayConfig {
  return resolveParsedConfig(raw, source, env, undefined);
}

/** `resolveConfig` for a parsed file, whose value positions make messages point at lines. */
export function resolveParsedConfig(
  raw: unknown,
  source: ConfigSource,
  env: Readonly<Record<string, string | undefined>>,
  positions: Readonly<Record<string, SourcePosition>> | undefined,
): GatewayConfig {
  const file = source.displayName;
  const problem = (path: string, message: string): GatewayConfigProblem =>
    locatedProblem(file, path, message, positions);
  const expansion: ExpansionContext = { env, baseDir: source.baseDir };

  if (!isRecord(raw)) {
    throw new ConfigFileError([
      problem(
        '',
        `the top level must be a mapping (e.g. mcpServers: …), not ${describeKind(raw)}: ` +
          'see `corral init` for an example',
      ),
    ]);
  }

  const fatal: GatewayConfigProblem[] = [];
  const warnings: string[] = [];
  for (const key of Object.keys(raw)) {
    if (knownKeys.has(key)) continue;
    const why =
      key === 'inputs'
        ? 'ignored: corral cannot prompt for VS Code inputs (entries that use ${input:…} are reported)'
        : 'ignored: not a corral setting (corral reads aggregator, mcpServers, servers, services and plugins)';
    warnings.push(formatProblem(problem(key, why)));
  }

  const aggregator = resolveAggregator(raw['aggregator'], expansion, problem, fatal);
  const plugins = resolvePlugins(raw['plugins'], expansion, problem, fatal);
  for (const section of sections) {
    const value = raw[section];
    if (value !== undefined && value !== null && !isRecord(value)) {
      fatal.push(
        problem(
          section,
          `must be a mapping of names to entries, not ${describeKind(value)}, e.g. ` +
            (section === 'services'
              ? '{ tunnel: { type: process, command: ssh } }'
              : '{ memory: { command: npx, args: [-y, "@modelcontextprotocol/server-memory"] } }'),
        ),
      );
    }
  }
  if (fatal.length > 0) throw new ConfigFileError(fatal);

  const services: Record<string, ServiceEntry> = {};
  const origins: Record<string, EntryOrigin> = {};
  const disabled: string[] = [];
  const problems: GatewayConfigProblem[] = [];
  const seen = new Map<string, string>();
  for (const section of sections) {
    const entries = raw[section];
    if (!isRecord(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      const path = joinPath(section, name);
      const nameProblem = checkName(name, seen.get(name));
      if (nameProblem !== undefined) {
        problems.push(problem(path, nameProblem));
        continue;
      }
      seen.set(name, path);
      if (isRecord(entry) && entry['disabled'] === true) {
        disabled.push(name);
        continue;
      }
      const result = resolveEntry(section, path, entry, expansion, source.baseDir);
      if ('problems' in result) {
        problems.push(...result.problems.map((p) => problem(p.path, p.message)));
        continue;
      }
      services[name] = result.entry;
      origins[name] = { section, path };
    }
  }
  if (Object.keys(services).length === 0 && disabled.length === 0 && problems.length === 0) {
    warnings.push(
      `${file}: no servers are configured, so the gateway will serve no tools: add entries ` +
        'under mcpServers (see `corral init`)',
    );
  }

  return {
    file: source.file,
    displayName: file,
    aggregator,
    services,
    origins,
    disabled,
    plugins,
    problems,
    warnings,
    ...(positions ? { positions } : {}),
  };
}

/** Validates the `aggregator` section (without it there is no endpoint, so problems are fatal). */
export function aggregatorProblems(
  aggregator: unknown,
  problem: (path: string, message: string) => GatewayConfigProblem,
): GatewayConfigProblem[] {
  const result = aggregatorConfigSchema.safeParse(aggregator);
  return result.success ? [] : zodProblems(result.error, 'aggregator', problem);
}

function resolveAggregator(
  value: unknown,
  expansion: ExpansionContext,
  problem: (path: string, message: string) => GatewayConfigProblem,
  fatal: GatewayConfigProblem[],
): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    fatal.push(
      problem(
        'aggregator',
        `must be a mapping of the endpoint's settings, not ${describeKind(value)}, e.g. ` +
          '{ host: 127.0.0.1, port: 8090 }',
      ),
    );
    return {};
  }
  const expanded = expandVariables(value, 'aggregator', expansion);
  if (expanded.problems.length > 0) {
    fatal.push(...expanded.problems.map((p) => problem(p.path, p.message)));
    return {};
  }
  fatal.push(...aggregatorProblems(expanded.value, problem));
  return isRecord(expanded.value) ? expanded.value : {};
}

function resolvePlugins(
  value: unknown,
  expansion: ExpansionContext,
  problem: (path: string, message: string) => GatewayConfigProblem,
  fatal: GatewayConfigProblem[],
): string[] {
  if (value === undefined || value === null) return [];
  const expanded = expandVariables(value, 'plugins', expansion);
  if (expanded.problems.length > 0) {
    fatal.push(...expanded.problems.map((p) => problem(p.path, p.message)));
    return [];
  }
  const result = pluginsSchema.safeParse(expanded.value);
  if (!result.success) {
    fatal.push(...zodProblems(result.error, 'plugins', problem));
    return [];
  }
  return result.data;
}

function checkName(name: string, earlier: string | undefined): string | undefined {
  if (name === GATEWAY_SERVICE_NAME) {
    return (
      `the name "${GATEWAY_SERVICE_NAME}" is reserved for the gateway's own endpoint: ` +
      'rename this entry'
    );
  }
  if (name.trim() === '') return 'a service name must not be empty: give this entry a name';
  // Every record keyed by service name would take it as its prototype and lose the entry.
  if (name === '__proto__')
    return 'the name "__proto__" cannot be a service name: rename this entry';
  if (earlier !== undefined) {
    return (
      `the name "${name}" is already used by ${earlier}: names must be unique across ` +
      'mcpServers, servers and services — rename one of them'
    );
  }
  return undefined;
}

type EntryResult =
  | { readonly entry: ServiceEntry }
  | { readonly problems: readonly { path: string; message: string }[] };

function resolveEntry(
  section: Section,
  path: string,
  entry: unknown,
  expansion: ExpansionContext,
  baseDir: string,
): EntryResult {
  const schema = section === 'services' ? serviceEntrySchema : mcpServerEntrySchema;
  const shape = schema.safeParse(entry);
  if (!shape.success) {
    return { problems: zodProblems(shape.error, path, (p, message) => ({ path: p, message })) };
  }
  const expanded = expandVariables(entry, path, expansion);
  if (expanded.problems.length > 0) return { problems: expanded.problems };
  if (!isRecord(expanded.value)) return { problems: [] };
  const { disabled: _disabled, ...fields } = expanded.value;
  if (section === 'services') {
    const type = fields['type'];
    if (type === 'Aggregator') {
      return {
        problems: [
          {
            path: joinPath(path, 'type'),
            message: 'the gateway runs its own aggregator: configure it under aggregator: instead',
          },
        ],
      };
    }
    return { entry: { ...fields, type: String(type) } };
  }
  return mcpServerEntry(path, fields, baseDir);
}

/** An `mcpServers` entry as an `MCPServer` service entry: `type` is the transport there. */
function mcpServerEntry(
  path: string,
  fields: Record<string, unknown>,
  baseDir: string,
): EntryResult {
  const { type: transportName, ...rest } = fields;
  const entry: Record<string, unknown> = { type: 'MCPServer', ...rest };
  if (transportName !== undefined) {
    if (rest['transport'] !== undefined) {
      return {
        problems: [
          {
            path: joinPath(path, 'transport'),
            message: 'repeats type, which already names the transport: keep only type',
          },
        ],
      };
    }
    entry['transport'] = transportName === 'http' ? 'streamable-http' : transportName;
  }
  const command = rest['command'];
  if (typeof command === 'string' && isRelativePath(command)) {
    entry['command'] = resolve(baseDir, command);
  }
  const cwd = rest['cwd'];
  if (typeof cwd === 'string' && cwd !== '' && !isAbsolute(cwd)) {
    entry['cwd'] = resolve(baseDir, cwd);
  }
  return { entry: { ...entry, type: 'MCPServer' } };
}

/** `./server` and `bin/server` are files next to the config; `npx` is looked up on PATH. */
function isRelativePath(command: string): boolean {
  return !isAbsolute(command) && (command.includes('/') || command.includes(sep));
}

/** zod issues as problems at paths under `base`. */
export function zodProblems<T>(
  error: z.ZodError,
  base: string,
  problem: (path: string, message: string) => T,
): T[] {
  return error.issues.map((issue) => {
    let path = base;
    for (const key of issue.path) {
      path = joinPath(path, typeof key === 'number' ? key : String(key));
    }
    return problem(path, issue.message);
  });
}

function describeKind(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

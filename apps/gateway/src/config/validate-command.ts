import { type CorralPlugin, createCorral, silentLogger } from '@corral/core';
import { type Io, ExitCode } from '../io.js';
import { builtinPlugins } from '../plugins.js';
import { checkServiceEntries } from './check-service-entries.js';
import { ConfigFileError } from './config-file-error.js';
import { formatProblem } from './format-problem.js';
import { loadConfigFile } from './load-config-file.js';
import type { GatewayConfig, GatewayConfigProblem } from './types.js';

export interface ValidateOptions {
  readonly json?: boolean;
  /** Loads the config's `plugins` (the CLI passes serve's loader), so their types are known. */
  readonly loadPlugins?: (config: GatewayConfig) => Promise<CorralPlugin[]>;
}

/** One runnable entry, as `corral validate --json` lists it. */
export interface ValidatedService {
  readonly name: string;
  readonly type: string;
  /** Where it is in the file, e.g. `mcpServers.memory`. */
  readonly path: string;
  readonly transport?: string;
}

/**
 * `corral validate FILE`: every problem, one per line, and the warnings; or a one-line summary
 * when the config is valid. Exit 0 when valid, 2 when anything is wrong.
 */
export async function runValidate(
  file: string,
  io: Io,
  options: ValidateOptions = {},
): Promise<ExitCode> {
  let config: GatewayConfig;
  try {
    const loaded = await loadConfigFile(file, io);
    const extra = options.loadPlugins ? await options.loadPlugins(loaded) : [];
    const corral = await createCorral({
      plugins: [...builtinPlugins(), ...extra],
      logger: silentLogger,
    });
    config = await checkServiceEntries(loaded, corral.serviceTypes);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    report(io, options, file, {
      problems: error.problems,
      warnings: [],
      services: [],
      disabled: [],
    });
    return ExitCode.usage;
  }
  const services: ValidatedService[] = Object.entries(config.services).map(([name, entry]) => {
    const transport = entry['transport'];
    return {
      name,
      type: entry.type,
      path: config.origins[name]?.path ?? `services.${name}`,
      ...(typeof transport === 'string' ? { transport } : {}),
    };
  });
  report(io, options, file, {
    problems: inFileOrder(config.problems),
    warnings: config.warnings,
    services,
    disabled: config.disabled,
  });
  return config.problems.length === 0 ? ExitCode.ok : ExitCode.usage;
}

interface Outcome {
  readonly problems: readonly GatewayConfigProblem[];
  readonly warnings: readonly string[];
  readonly services: readonly ValidatedService[];
  readonly disabled: readonly string[];
}

function report(io: Io, options: ValidateOptions, file: string, outcome: Outcome): void {
  const valid = outcome.problems.length === 0;
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ valid, ...outcome }, null, 2)}\n`);
    return;
  }
  for (const warning of outcome.warnings) io.stdout.write(`warning: ${warning}\n`);
  for (const problem of outcome.problems) io.stdout.write(`${formatProblem(problem)}\n`);
  io.stdout.write(`${summary(file, outcome)}\n`);
}

function summary(file: string, { problems, services, disabled }: Outcome): string {
  const mcp = services.filter((s) => !s.path.startsWith('services.')).length;
  const other = services.length - mcp;
  const counts = [plural(mcp, 'MCP server'), ...(other > 0 ? [plural(other, 'service')] : [])];
  const fleet = `${counts.join(', ')}${disabled.length > 0 ? ` (${disabled.length} disabled)` : ''}`;
  if (problems.length === 0) return `${file}: valid — ${fleet}`;
  if (services.length === 0 && disabled.length === 0) {
    const them = problems.length === 1 ? 'it' : 'them';
    return `${file}: invalid — ${plural(problems.length, 'problem')}: fix ${them} and run corral validate again`;
  }
  return `${file}: invalid — ${plural(problems.length, 'problem')}; the rest would run: ${fleet}`;
}

/** Top to bottom, as the user reads the file; unplaced problems keep their order, last. */
function inFileOrder(problems: readonly GatewayConfigProblem[]): GatewayConfigProblem[] {
  const key = (p: GatewayConfigProblem): number =>
    p.line === undefined ? Number.MAX_SAFE_INTEGER : p.line * 100_000 + (p.column ?? 0);
  return [...problems].sort((a, b) => key(a) - key(b));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

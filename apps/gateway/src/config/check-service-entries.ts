import { ConfigValidationError, findCycle, type ServiceTypeRegistry } from '@corral/core';
import { GATEWAY_SERVICE_NAME } from '../plugins.js';
import { ConfigFileError } from './config-file-error.js';
import { joinPath, locatedProblem } from './format-problem.js';
import { aggregatorProblems, DEFAULT_FLEET_NAME } from './resolve-config.js';
import type { EntryOrigin, GatewayConfig, GatewayConfigProblem, ServiceEntry } from './types.js';

/**
 * Checks every entry against its type's real schema (by building its service, which starts
 * nothing), and the dependencies between entries: unknown, invalid or disabled dependencies and
 * cycles. Returns the config with each invalid entry moved to `problems` (and, transitively, the
 * entries that depend on it). Throws `ConfigFileError` when the `aggregator` section is invalid.
 */
export async function checkServiceEntries(
  config: GatewayConfig,
  serviceTypes: ServiceTypeRegistry,
): Promise<GatewayConfig> {
  const file = config.displayName ?? config.file ?? DEFAULT_FLEET_NAME;
  const problem = (path: string, message: string): GatewayConfigProblem =>
    locatedProblem(file, path, message, config.positions);

  const fatal = aggregatorProblems(config.aggregator, problem);
  if (fatal.length > 0) throw new ConfigFileError(fatal);

  const problems: GatewayConfigProblem[] = [];
  const valid = new Map<string, ServiceEntry>();
  const invalid = new Set<string>();
  for (const [name, entry] of Object.entries(config.services)) {
    const origin = config.origins[name] ?? { section: 'services', path: `services.${name}` };
    try {
      await serviceTypes.create(name, entry);
      valid.set(name, entry);
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      invalid.add(name);
      for (const p of error.problems) {
        problems.push(problem(inFileTerms(p.path, name, origin), p.message));
      }
    }
  }

  problems.push(...dependencyProblems(config, valid, invalid, problem));
  const services = Object.fromEntries(valid);
  const origins = Object.fromEntries(
    Object.entries(config.origins).filter(([name]) => valid.has(name)),
  );
  return { ...config, services, origins, problems: [...config.problems, ...problems] };
}

/**
 * Leaves out (from `valid`) every entry whose dependencies cannot run — unknown, invalid,
 * disabled, left out themselves, or in a cycle — and says why, at the dependency's place.
 */
function dependencyProblems(
  config: GatewayConfig,
  valid: Map<string, ServiceEntry>,
  invalid: ReadonlySet<string>,
  problem: (path: string, message: string) => GatewayConfigProblem,
): GatewayConfigProblem[] {
  const problems: GatewayConfigProblem[] = [];
  const leftOut = new Map<string, string>();
  const pathOf = (name: string): string => config.origins[name]?.path ?? `services.${name}`;
  const dependsOn = (name: string): readonly string[] => {
    const deps = valid.get(name)?.['dependsOn'];
    return Array.isArray(deps) ? deps.filter((d): d is string => typeof d === 'string') : [];
  };
  const why = (dep: string): string | undefined => {
    if (dep === GATEWAY_SERVICE_NAME || valid.has(dep)) return undefined;
    if (invalid.has(dep)) return `which is invalid (see its problems): fix ${pathOf(dep)} first`;
    const dropped = droppedPath(config, dep);
    if (dropped !== undefined) return `which is invalid (see its problems): fix ${dropped} first`;
    if (config.disabled.includes(dep)) {
      return `which is disabled: enable ${dep} (remove disabled: true) or drop it from dependsOn`;
    }
    const reason = leftOut.get(dep);
    if (reason !== undefined) return `which cannot run (${reason}): fix ${pathOf(dep)} first`;
    const known = [...valid.keys()].join(', ') || '(none)';
    return `which is not configured: check the spelling (configured: ${known}) or add it`;
  };

  for (let changed = true; changed;) {
    changed = false;
    for (const name of [...valid.keys()]) {
      const deps = dependsOn(name);
      const index = deps.findIndex((dep) => why(dep) !== undefined);
      const dep = deps[index];
      if (dep === undefined) continue;
      const dependsPath = joinPath(joinPath(pathOf(name), 'dependsOn'), index);
      problems.push(problem(dependsPath, `depends on "${dep}", ${why(dep) ?? ''}`));
      valid.delete(name);
      leftOut.set(name, `it depends on ${dep}`);
      changed = true;
    }
    if (changed) continue;
    const graph = new Map([...valid.keys()].map((name) => [name, dependsOn(name)] as const));
    const cycle = findCycle(graph);
    if (cycle) {
      const loop = cycle.join(' → ');
      for (const name of new Set(cycle)) {
        problems.push(
          problem(
            joinPath(pathOf(name), 'dependsOn'),
            `is part of a dependency cycle (${loop}): remove one of these dependencies`,
          ),
        );
        valid.delete(name);
        leftOut.set(name, 'it is in a dependency cycle');
      }
      changed = true;
    }
  }
  return problems;
}

/** Where `name` is in the file, if reading it already dropped it with a problem. */
function droppedPath(config: GatewayConfig, name: string): string | undefined {
  for (const section of ['mcpServers', 'servers', 'services']) {
    const at = joinPath(section, name);
    const named = config.problems.some(
      (p) => p.path === at || p.path.startsWith(`${at}.`) || p.path.startsWith(`${at}[`),
    );
    if (named) return at;
  }
  return undefined;
}

/**
 * Core's `services.<name>.<field>` in the file's terms: `mcpServers.<name>.<field>`, and an
 * `MCPServer`'s `transport` is its entry's `type` there.
 */
function inFileTerms(corePath: string, name: string, origin: EntryOrigin): string {
  const prefix = `services.${name}`;
  if (!corePath.startsWith(prefix)) return corePath;
  let rest = corePath.slice(prefix.length);
  if (origin.section !== 'services' && /^\.transport(?=$|[.[])/.test(rest)) {
    rest = `.type${rest.slice('.transport'.length)}`;
  }
  return `${origin.path}${rest}`;
}

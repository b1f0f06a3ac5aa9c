import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type Corral,
  type CorralPlugin,
  createCorral,
  describeError,
  isToolProvider,
  type Logger,
  ServiceState,
} from '@corral/core';
import { AggregatorService } from '@corral/services-aggregator';
import { checkServiceEntries } from '../config/index.js';
import type { GatewayConfig, GatewayConfigProblem, ServiceEntry } from '../config/types.js';
import { builtinPlugins, GATEWAY_SERVICE_NAME } from '../plugins.js';
import { createDashboardPlugin } from './dashboard.js';

/** Command-line settings that win over the config file's `aggregator` section. */
export interface AggregatorOverrides {
  readonly host?: string;
  readonly port?: number;
  readonly yolo?: boolean;
  readonly stdio?: boolean;
  readonly http?: boolean;
}

export interface GatewayOptions {
  readonly logger: Logger;
  readonly overrides?: AggregatorOverrides;
}

/** What a reload did, by service name. */
export interface ReloadOutcome {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  readonly unchanged: readonly string[];
  /** Entries the new file gets wrong: the running fleet keeps them as they were. */
  readonly problems: readonly GatewayConfigProblem[];
  /** Changes that need a restart of `corral serve` to take effect (e.g. `plugins`). */
  readonly needsRestart: readonly string[];
}

/** Raised when the gateway cannot serve at all (e.g. its port is taken). */
export class GatewayStartError extends Error {
  readonly code = 'GATEWAY_START';
}

/**
 * A running gateway: Corral with the built-in plugins (and the config's own), one service per
 * valid config entry, and the aggregator as service `gateway`. `reload` applies an edited config
 * by touching only the entries that changed.
 */
export class Gateway {
  private entries = new Map<string, string>();
  private current: GatewayConfig;

  private constructor(
    readonly corral: Corral,
    config: GatewayConfig,
    private readonly overrides: AggregatorOverrides,
  ) {
    this.current = config;
  }

  /** Builds the fleet (nothing starts yet). Entries that do not validate are left out. */
  static async create(config: GatewayConfig, options: GatewayOptions): Promise<Gateway> {
    // The dashboard is served at `/` on the same port (and behind the same checks) as the API.
    const plugins = [...builtinPlugins(), createDashboardPlugin(), ...(await loadPlugins(config))];
    const corral = await createCorral({ plugins, logger: options.logger });
    const gateway = new Gateway(corral, config, options.overrides ?? {});
    const checked = await checkServiceEntries(config, corral.serviceTypes);
    gateway.current = checked;
    for (const name of dependencyOrder(checked.services)) {
      const entry = checked.services[name];
      if (entry === undefined) continue;
      await corral.addService(name, entry);
      gateway.entries.set(name, canonical(entry));
    }
    const aggregatorEntry = gateway.aggregatorEntry(checked);
    await corral.addService(GATEWAY_SERVICE_NAME, aggregatorEntry);
    gateway.entries.set(GATEWAY_SERVICE_NAME, canonical(aggregatorEntry));
    return gateway;
  }

  /** The config in force: the last one loaded, less the entries that did not validate. */
  get config(): GatewayConfig {
    return this.current;
  }

  get aggregator(): AggregatorService {
    const service = this.corral.registry.get(GATEWAY_SERVICE_NAME);
    if (!(service instanceof AggregatorService)) {
      throw new Error(`service '${GATEWAY_SERVICE_NAME}' is not the aggregator`);
    }
    return service;
  }

  /** How many tools service `name` offers now; undefined when it offers none (or is unknown). */
  toolCount(name: string): number | undefined {
    const service = this.corral.registry.find(name);
    return isToolProvider(service) ? service.listTools().length : undefined;
  }

  /** The MCP endpoint, while served over HTTP. */
  get url(): string | undefined {
    return this.aggregator.url;
  }

  /** The HTTP base (for the management API), while served over HTTP. */
  get baseUrl(): string | undefined {
    const url = this.url;
    return url === undefined ? undefined : new URL(url).origin;
  }

  /**
   * Starts the fleet in dependency order. Resolves when every service has run or failed once
   * (failed ones are retried in the background); rejects when the aggregator itself cannot
   * serve, since then nothing is reachable.
   */
  async start(): Promise<void> {
    await this.corral.start();
    const aggregator = this.aggregator;
    if (aggregator.state !== ServiceState.Running) {
      const reason = aggregator.lastError?.message ?? `it is ${aggregator.state}`;
      throw new GatewayStartError(`the gateway endpoint could not start: ${reason}`);
    }
  }

  async stop(): Promise<void> {
    await this.corral.stop();
  }

  /**
   * Applies an edited config: removed entries stop, added ones start, changed ones restart,
   * unchanged ones are not touched. An entry the new file gets wrong keeps running as it was.
   */
  async reload(next: GatewayConfig): Promise<ReloadOutcome> {
    const checked = await checkServiceEntries(next, this.corral.serviceTypes);
    const broken = new Set(checked.problems.map((problem) => entryName(problem.path)));
    const wanted = new Map<string, string>();
    for (const [name, entry] of Object.entries(checked.services))
      wanted.set(name, canonical(entry));
    const aggregatorEntry = this.aggregatorEntry(checked);
    wanted.set(GATEWAY_SERVICE_NAME, canonical(aggregatorEntry));

    const added: string[] = [];
    const removed: string[] = [];
    const changed: string[] = [];
    const unchanged: string[] = [];
    for (const [name, entry] of this.entries) {
      const next = wanted.get(name);
      if (next === undefined) {
        if (!broken.has(name)) removed.push(name);
      } else if (next !== entry) changed.push(name);
      else unchanged.push(name);
    }
    for (const name of wanted.keys()) if (!this.entries.has(name)) added.push(name);

    const needsRestart: string[] = [];
    if (canonical(checked.plugins) !== canonical(this.current.plugins))
      needsRestart.push('plugins');

    const orchestrator = this.corral.orchestrator;
    for (const name of [...removed, ...changed]) {
      await orchestrator.removeService(name);
      this.entries.delete(name);
    }
    const entries: Record<string, ServiceEntry> = {
      ...checked.services,
      [GATEWAY_SERVICE_NAME]: aggregatorEntry,
    };
    const toAdd = new Set([...added, ...changed]);
    for (const name of dependencyOrder(entries).filter((n) => toAdd.has(n))) {
      const entry = entries[name];
      if (entry === undefined) continue;
      try {
        await this.corral.addService(name, entry);
        this.entries.set(name, canonical(entry));
      } catch (error) {
        this.corral.logger.error(
          `reload: could not add service '${name}': ${describeError(error)}`,
        );
      }
    }
    this.current = {
      ...checked,
      plugins: this.current.plugins,
    };
    return { added, removed, changed, unchanged, problems: checked.problems, needsRestart };
  }

  private aggregatorEntry(config: GatewayConfig): ServiceEntry {
    const overrides = Object.fromEntries(
      Object.entries(this.overrides).filter(([, value]) => value !== undefined),
    );
    return { ...config.aggregator, ...overrides, type: 'Aggregator' };
  }
}

/** `mcpServers.memory.args[1]` → `memory`; `aggregator.port` → the gateway itself. */
function entryName(path: string): string {
  const [section, name] = path.split(/[.[]/);
  return section === 'aggregator' ? GATEWAY_SERVICE_NAME : (name ?? '');
}

/** Services in an order where each comes after the dependencies it has in `entries`. */
function dependencyOrder(entries: Readonly<Record<string, ServiceEntry>>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const entry = entries[name];
    if (entry === undefined) return;
    const dependsOn = Array.isArray(entry['dependsOn']) ? (entry['dependsOn'] as unknown[]) : [];
    for (const dependency of dependsOn) if (typeof dependency === 'string') visit(dependency);
    order.push(name);
  };
  for (const name of Object.keys(entries)) visit(name);
  return order;
}

/** JSON with sorted keys: equal entries compare equal however their keys were written. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) =>
    typeof field === 'object' && field !== null && !Array.isArray(field)
      ? Object.fromEntries(
          Object.entries(field as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : field,
  );
}

/**
 * The config's `plugins`: module specifiers resolved from the config file's directory, each
 * exporting a Corral plugin (as its default export or a named one).
 */
export async function loadPlugins(config: GatewayConfig): Promise<CorralPlugin[]> {
  const base = createRequire(join(config.file ?? join(process.cwd(), 'corral.yaml')));
  const plugins: CorralPlugin[] = [];
  for (const specifier of config.plugins) {
    let module: Record<string, unknown>;
    try {
      const resolved = specifier.startsWith('file:') ? specifier : base.resolve(specifier);
      module = (await import(
        resolved.startsWith('file:') ? resolved : pathToFileURL(resolved).href
      )) as Record<string, unknown>;
    } catch (error) {
      throw new GatewayStartError(
        `plugin '${specifier}' could not be loaded: ${describeError(error)}. ` +
          `Install it next to the config file (npm i ${specifier}) or fix the name in plugins.`,
      );
    }
    const found = [module['default'], ...Object.values(module)].filter(isPlugin);
    const plugin = found[0];
    if (plugin === undefined) {
      throw new GatewayStartError(
        `plugin '${specifier}' exports no Corral plugin (an object with an id and a register function)`,
      );
    }
    plugins.push(plugin);
  }
  return plugins;
}

function isPlugin(value: unknown): value is CorralPlugin {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<CorralPlugin>).id === 'string' &&
    typeof (value as Partial<CorralPlugin>).register === 'function'
  );
}

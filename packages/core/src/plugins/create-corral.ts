import { container as globalContainer, type DependencyContainer } from 'tsyringe';
import {
  type ConfigProblem,
  ConfigValidationError,
  DuplicatePluginError,
  PluginError,
} from '../errors/errors.js';
import { EventBus, type EventBusOptions } from '../events/event-bus.js';
import { consoleLogger, type Logger } from '../logging/logger.js';
import {
  type OrchestratorOptionsInput,
  resolveOrchestratorOptions,
} from '../orchestrator/options.js';
import { Orchestrator } from '../orchestrator/orchestrator.js';
import type { BaseService } from '../service/base-service.js';
import { ServiceRegistry } from '../service/registry.js';
import { type Clock, mathRandom, type RandomSource, systemClock } from '../time/clock.js';
import { CoreTokens, type Token } from '../tokens.js';
import type { CorralPlugin, PluginContext, Provider } from './plugin.js';
import { ServiceTypeRegistry } from './service-types.js';

export interface CorralConfig {
  /** Services by name; each entry names a `type` some plugin registered (see `ServiceConfigEntry`). */
  readonly services?: Readonly<Record<string, unknown>>;
}

export interface CreateCorralOptions {
  readonly plugins?: readonly CorralPlugin[];
  readonly config?: CorralConfig;
  /**
   * What to do with a config entry that does not validate: `throw` (default) rejects with every
   * problem; `skip` leaves it out, logs it and lists it in `corral.problems`, so one bad entry
   * never takes the others down.
   */
  readonly invalidServices?: 'throw' | 'skip';
  readonly orchestrator?: OrchestratorOptionsInput;
  readonly events?: EventBusOptions;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly logger?: Logger;
  /** Parent of Corral's root container (default: a child of tsyringe's global container). */
  readonly container?: DependencyContainer;
}

/** A composed application: the container, the orchestrator and the plugins around them. */
export class Corral {
  private started = false;
  private stopPromise: Promise<void> | undefined;

  constructor(
    readonly container: DependencyContainer,
    readonly orchestrator: Orchestrator,
    readonly registry: ServiceRegistry,
    readonly events: EventBus,
    readonly serviceTypes: ServiceTypeRegistry,
    readonly logger: Logger,
    /** Config entries that were skipped (with `invalidServices: 'skip'`), with their problems. */
    readonly problems: readonly ConfigProblem[],
    private readonly plugins: readonly { plugin: CorralPlugin; context: PluginContext }[],
  ) {}

  /** Starts every plugin, then the fleet in dependency order. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const { plugin, context } of this.plugins) {
      if (!plugin.start) continue;
      try {
        await plugin.start(context);
      } catch (error) {
        throw new PluginError(plugin.id, 'start', error);
      }
    }
    await this.orchestrator.start();
  }

  /** Stops the fleet, then every plugin in reverse order. Idempotent. */
  stop(): Promise<void> {
    this.stopPromise ??= this.shutdown();
    return this.stopPromise;
  }

  /** Validates one config entry and adds its service at runtime. */
  async addService(name: string, entry: unknown): Promise<BaseService> {
    const service = await this.serviceTypes.create(name, entry);
    await this.orchestrator.addService(service);
    return service;
  }

  resolve<T>(token: Token<T>): T {
    return this.container.resolve<T>(token);
  }

  private async shutdown(): Promise<void> {
    await this.orchestrator.stop();
    for (const { plugin, context } of [...this.plugins].reverse()) {
      if (!plugin.stop) continue;
      try {
        await plugin.stop(context);
      } catch (error) {
        this.logger.error(new PluginError(plugin.id, 'stop', error).message);
      }
    }
  }
}

/**
 * Composes an application: a root container with core's services, each plugin registered into
 * a child container of its own, and the configured services built through their types.
 */
export async function createCorral(options: CreateCorralOptions = {}): Promise<Corral> {
  const root = (options.container ?? globalContainer).createChildContainer();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? consoleLogger;
  const events = new EventBus(clock, options.events);
  const registry = new ServiceRegistry();
  const serviceTypes = new ServiceTypeRegistry(logger);
  const value = <T>(token: Token<T>, useValue: T): void => {
    root.register<T>(token, { useValue });
  };
  value(CoreTokens.Clock, clock);
  value(CoreTokens.Random, options.random ?? mathRandom);
  value(CoreTokens.Logger, logger);
  value(CoreTokens.EventBus, events);
  value(CoreTokens.Registry, registry);
  value(CoreTokens.ServiceTypes, serviceTypes);
  value(CoreTokens.OrchestratorOptions, resolveOrchestratorOptions(options.orchestrator));
  const orchestrator = root.resolve(Orchestrator);
  value(CoreTokens.Orchestrator, orchestrator);

  const plugins: { plugin: CorralPlugin; context: PluginContext }[] = [];
  const seen = new Set<string>();
  for (const plugin of options.plugins ?? []) {
    if (seen.has(plugin.id)) throw new DuplicatePluginError(plugin.id);
    seen.add(plugin.id);
    const context = createPluginContext(plugin.id, root, serviceTypes, logger);
    try {
      await plugin.register(context);
    } catch (error) {
      throw new PluginError(plugin.id, 'register', error);
    }
    plugins.push({ plugin, context });
  }

  const problems: ConfigProblem[] = [];
  const services: BaseService[] = [];
  for (const [name, entry] of Object.entries(options.config?.services ?? {})) {
    if (isDisabled(entry)) continue;
    try {
      services.push(await serviceTypes.create(name, entry));
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) {
    if (options.invalidServices !== 'skip') throw new ConfigValidationError(problems);
    for (const problem of problems) {
      logger.warn(`skipped invalid service config: ${problem.path}: ${problem.message}`);
    }
  }
  for (const service of services) registry.register(service);
  return new Corral(root, orchestrator, registry, events, serviceTypes, logger, problems, plugins);
}

function isDisabled(entry: unknown): boolean {
  return (
    typeof entry === 'object' &&
    entry !== null &&
    (entry as { disabled?: unknown }).disabled === true
  );
}

function createPluginContext(
  pluginId: string,
  root: DependencyContainer,
  serviceTypes: ServiceTypeRegistry,
  logger: Logger,
): PluginContext {
  const container = root.createChildContainer();
  return {
    pluginId,
    container,
    logger,
    registerServiceType(definition) {
      serviceTypes.register(definition, pluginId, container);
    },
    provide<T>(token: Token<T>, provider: Provider<T>) {
      if ('useValue' in provider) root.register<T>(token, { useValue: provider.useValue });
      else if ('useFactory' in provider)
        root.register<T>(token, { useFactory: provider.useFactory });
      else root.register<T>(token, { useClass: provider.useClass });
    },
    resolve<T>(token: Token<T>): T {
      return container.resolve<T>(token);
    },
    resolveAll<T>(token: Token<T>): T[] {
      return container.isRegistered(token, true) ? container.resolveAll<T>(token) : [];
    },
  };
}

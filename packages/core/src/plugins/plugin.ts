import type { ClassProvider, DependencyContainer } from 'tsyringe';
import type { Logger } from '../logging/logger.js';
import type { Token } from '../tokens.js';
import type { ServiceTypeDefinition } from './service-types.js';

/** How a plugin provides a value for a token. */
export type Provider<T> =
  | { readonly useValue: T }
  | { readonly useFactory: (container: DependencyContainer) => T }
  | { readonly useClass: ClassProvider<T>['useClass'] };

/** What a plugin gets in `register`, `start` and `stop`. */
export interface PluginContext {
  readonly pluginId: string;
  /**
   * The plugin's own child container: what it registers here stays private to it; it can
   * resolve everything core and earlier plugins `provide`d.
   */
  readonly container: DependencyContainer;
  readonly logger: Logger;
  /** Adds a service type that config entries can name. */
  registerServiceType<Config>(definition: ServiceTypeDefinition<Config>): void;
  /** Exports a value to the root container, where every plugin and the app can resolve it. */
  provide<T>(token: Token<T>, provider: Provider<T>): void;
  /** Resolves a token from the plugin's container (and so from the root). */
  resolve<T>(token: Token<T>): T;
  /** Every value provided for a token, by any plugin. */
  resolveAll<T>(token: Token<T>): T[];
}

/**
 * A plugin: an id and a `register` callback that adds service types and capabilities; optional
 * `start` (before the orchestrator starts the fleet) and `stop` (after it stopped it).
 */
export interface CorralPlugin {
  readonly id: string;
  register(context: PluginContext): void | Promise<void>;
  start?(context: PluginContext): void | Promise<void>;
  stop?(context: PluginContext): void | Promise<void>;
}

/** Identity helper that gives a plugin object literal its type. */
export function definePlugin(plugin: CorralPlugin): CorralPlugin {
  return plugin;
}

/** Resolves a typed token from a container. */
export function resolveToken<T>(container: DependencyContainer, token: Token<T>): T {
  return container.resolve<T>(token);
}

import type { EventBus } from './events/event-bus.js';
import type { Logger } from './logging/logger.js';
import type { Orchestrator } from './orchestrator/orchestrator.js';
import type { OrchestratorOptions } from './orchestrator/options.js';
import type { ServiceTypeRegistry } from './plugins/service-types.js';
import type { ServiceRegistry } from './service/registry.js';
import type { HttpRouteProvider, ToolCallObserver } from './plugins/contributions.js';
import type { ToolProvider } from './service/capabilities.js';
import type { Clock, RandomSource } from './time/clock.js';

/**
 * A typed injection token: a symbol that remembers the type it resolves to. Use it with
 * `@inject(token)` and `resolve(container, token)`.
 */
export type Token<T> = symbol & { readonly __corralTokenType?: T };

export function createToken<T>(description: string): Token<T> {
  return Symbol(description);
}

/** The tokens core registers in every Corral container. */
export const CoreTokens = {
  Clock: createToken<Clock>('corral.Clock'),
  Random: createToken<RandomSource>('corral.Random'),
  Logger: createToken<Logger>('corral.Logger'),
  EventBus: createToken<EventBus>('corral.EventBus'),
  Registry: createToken<ServiceRegistry>('corral.ServiceRegistry'),
  ServiceTypes: createToken<ServiceTypeRegistry>('corral.ServiceTypeRegistry'),
  Orchestrator: createToken<Orchestrator>('corral.Orchestrator'),
  OrchestratorOptions: createToken<OrchestratorOptions>('corral.OrchestratorOptions'),
  /**
   * Tool providers that are not services (the api-adapter's `core_*` tools): each plugin
   * `provide`s its own; consumers `resolveAll` them. Services that provide tools are found
   * through the registry instead.
   */
  ToolProvider: createToken<ToolProvider>('corral.ToolProvider'),
  /** HTTP routes for the shared server (the api-adapter's `/api`, `/healthz`, `/metrics`). */
  HttpRoutes: createToken<HttpRouteProvider>('corral.HttpRoutes'),
  /** Observers of every tool call served (metrics); plugins provide, the server notifies. */
  ToolCallObserver: createToken<ToolCallObserver>('corral.ToolCallObserver'),
} as const;

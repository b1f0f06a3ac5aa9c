import {
  isCompletionProvider,
  isLoggingProvider,
  isPromptProvider,
  isResourceProvider,
  isResourceSubscriptionProvider,
  isResourceTemplateProvider,
  isToolProvider,
  type CompletionProvider,
  type LoggingProvider,
  type PromptProvider,
  type ResourceProvider,
  type ResourceSubscriptionProvider,
  type ResourceTemplateProvider,
  type ToolProvider,
} from '@corral/core';

/**
 * Something whose tools, resources and prompts the aggregator serves: a running service (an MCP
 * server, a plugin's service) or a tool provider a plugin offers (the api-adapter's `core_*`).
 * Only core's capability interfaces are used, so the aggregator never knows what it is.
 */
export interface CatalogSource {
  /** Unique: the service's name, or the provider's prefix (`core`). */
  readonly key: string;
  readonly kind: 'service' | 'plugin';
  /** `x` for services (the configured prefix), `""` for plugin providers. */
  readonly namespace: string;
  /** `toolPrefix`, or the service name; `""` makes a transparent source. */
  readonly prefix: string;
  readonly tools: ToolProvider | undefined;
  readonly resources: ResourceProvider | undefined;
  readonly prompts: PromptProvider | undefined;
  readonly templates: ResourceTemplateProvider | undefined;
  readonly subscriptions: ResourceSubscriptionProvider | undefined;
  readonly completion: CompletionProvider | undefined;
  readonly logging: LoggingProvider | undefined;
}

/** How a source is described in messages: `server 'fs'`, `provider 'core'`. */
export function describeSource(source: CatalogSource): string {
  return `${source.kind === 'service' ? 'server' : 'provider'} '${source.key}'`;
}

/** Whether `value` offers anything to aggregate. */
export function offersAnything(value: object): boolean {
  return isToolProvider(value) || isResourceProvider(value) || isPromptProvider(value);
}

/** A source for a running service named `name`. */
export function serviceSource(name: string, service: object, namespace: string): CatalogSource {
  return sourceOf(name, 'service', namespace, prefixOf(service) ?? name, service);
}

/** A source for a plugin's tool provider; its prefix (default `core`) is its key. */
export function pluginSource(provider: ToolProvider, key: string): CatalogSource {
  return sourceOf(key, 'plugin', '', provider.toolPrefix ?? 'core', provider);
}

function sourceOf(
  key: string,
  kind: 'service' | 'plugin',
  namespace: string,
  prefix: string,
  target: object,
): CatalogSource {
  return {
    key,
    kind,
    namespace,
    prefix,
    tools: isToolProvider(target) ? target : undefined,
    resources: isResourceProvider(target) ? target : undefined,
    prompts: isPromptProvider(target) ? target : undefined,
    templates: isResourceTemplateProvider(target) ? target : undefined,
    subscriptions: isResourceSubscriptionProvider(target) ? target : undefined,
    completion: isCompletionProvider(target) ? target : undefined,
    logging: isLoggingProvider(target) ? target : undefined,
  };
}

function prefixOf(service: object): string | undefined {
  return isToolProvider(service) ? service.toolPrefix : undefined;
}

import type { DependencyContainer } from '@corral/core';
import { ApiAdapter } from './api-adapter.js';
import { type ApiAdapterOptions, resolveApiAdapterOptions } from './options.js';
import { ApiAdapterTokens } from './tokens.js';

/**
 * Builds an adapter from a Corral container (`corral.container`, or a plugin's): its options go
 * into a child scope, so nothing is registered on `container` itself. Then `start()` it and
 * `register()` it where its tools and routes should be found.
 */
export function createApiAdapter(
  container: DependencyContainer,
  options: ApiAdapterOptions = {},
): ApiAdapter {
  const scope = container.createChildContainer();
  scope.register(ApiAdapterTokens.Options, { useValue: resolveApiAdapterOptions(options) });
  return scope.resolve(ApiAdapter);
}

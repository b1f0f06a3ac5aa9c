import { type CorralPlugin, definePlugin } from '@corral/core';
import { createApiAdapter } from './create-api-adapter.js';
import { type ApiAdapterOptions, resolveApiAdapterOptions } from './options.js';
import { ApiAdapterTokens } from './tokens.js';

/**
 * The API adapter as a plugin: provides the `core_*` tools (`CoreTokens.ToolProvider`), the
 * `/api`, `/healthz`, `/metrics` routes (`CoreTokens.HttpRoutes`), the metrics observer
 * (`CoreTokens.ToolCallObserver`) and the adapter itself (`ApiAdapterTokens.Adapter`). Keeps
 * recent events from start to stop. Options are checked here, before anything runs.
 */
export function createApiAdapterPlugin(options: ApiAdapterOptions = {}): CorralPlugin {
  const checked = resolveApiAdapterOptions(options);
  return definePlugin({
    id: 'api-adapter',
    register(context) {
      const adapter = createApiAdapter(context.container, checked);
      context.provide(ApiAdapterTokens.Adapter, { useValue: adapter });
      adapter.register(context);
    },
    start(context) {
      context.resolve(ApiAdapterTokens.Adapter).start();
    },
    stop(context) {
      context.resolve(ApiAdapterTokens.Adapter).stop();
    },
  });
}

/** The plugin with default options. */
export const apiAdapterPlugin: CorralPlugin = createApiAdapterPlugin();

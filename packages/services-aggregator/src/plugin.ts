import { CoreTokens, type CorralPlugin, definePlugin, isClientRequestReceiver } from '@corral/core';
import { AggregatorService } from './aggregator-service.js';
import { aggregatorConfigSchema } from './config.js';
import { ClientRequestRouter } from './passthrough/client-request-router.js';

/**
 * Adds the `Aggregator` service type: a config entry with `type: Aggregator` serves every
 * running service's tools, resources and prompts as one MCP endpoint. The plugin also answers,
 * for every service that can ask its client for things (`ClientRequestReceiver`: sampling,
 * elicitation, roots), by forwarding to the connected client whose call caused the request —
 * installed as each service is registered, so the capabilities are declared when it connects.
 */
export const aggregatorPlugin: CorralPlugin = definePlugin({
  id: 'aggregator',
  register(context) {
    const registry = context.resolve(CoreTokens.Registry);
    const router = new ClientRequestRouter();
    registry.observe({
      added: (service) => {
        if (isClientRequestReceiver(service)) service.setClientRequestHandler(router.handler);
      },
      removed: () => undefined,
    });
    context.registerServiceType({
      type: 'Aggregator',
      description: 'One MCP endpoint over every running service (streamable HTTP and stdio)',
      configSchema: aggregatorConfigSchema,
      create: ({ name, config, dependencies, autoStart, restartPolicy, logger, container }) =>
        new AggregatorService({
          name,
          config,
          dependencies,
          autoStart,
          restartPolicy,
          logger,
          registry,
          orchestrator: container.resolve(CoreTokens.Orchestrator),
          clock: container.resolve(CoreTokens.Clock),
          clientRequests: router,
          contributions: {
            toolProviders: () => context.resolveAll(CoreTokens.ToolProvider),
            observers: () => context.resolveAll(CoreTokens.ToolCallObserver),
            routes: () => context.resolveAll(CoreTokens.HttpRoutes),
          },
        }),
    });
  },
});

import { definePlugin } from '@corral/core';
import { processConfigSchema } from './config.js';
import { ProcessService } from './process-service.js';

/**
 * Adds the `process` service type: config entries with `type: process` become supervised
 * commands with a readiness probe.
 */
export const processPlugin = definePlugin({
  id: 'process',
  register(context) {
    context.registerServiceType({
      type: 'process',
      description: 'A supervised long-running command with a TCP or stdout readiness probe',
      configSchema: processConfigSchema,
      create: ({ name, config, dependencies, autoStart, restartPolicy, logger }) =>
        new ProcessService({ name, config, dependencies, autoStart, restartPolicy, logger }),
    });
  },
});

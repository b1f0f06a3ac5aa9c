import { CoreTokens, definePlugin } from '@corral/core';
import { mcpServerConfigSchema } from './config.js';
import { MCPServerService } from './mcp-server-service.js';

/**
 * Adds the `MCPServer` service type: config entries with `type: MCPServer` become supervised
 * MCP servers (stdio, streamable HTTP or SSE).
 */
export const mcpServerPlugin = definePlugin({
  id: 'mcp-server',
  register(context) {
    context.registerServiceType({
      type: 'MCPServer',
      description: 'An MCP server: a stdio child process, or a remote server over HTTP',
      configSchema: mcpServerConfigSchema,
      create: ({ name, config, dependencies, autoStart, restartPolicy, logger, container }) =>
        new MCPServerService({
          name,
          config,
          dependencies,
          autoStart,
          restartPolicy,
          logger,
          clock: container.resolve(CoreTokens.Clock),
        }),
    });
  },
});

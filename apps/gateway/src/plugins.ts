import { apiAdapterPlugin } from '@corral/api-adapter';
import type { CorralPlugin } from '@corral/core';
import { processPlugin } from '@corral/plugin-example';
import { aggregatorPlugin } from '@corral/services-aggregator';
import { mcpServerPlugin } from '@corral/services-mcpserver';

/** The service name the gateway gives its aggregator; config entries may not use it. */
export const GATEWAY_SERVICE_NAME = 'gateway';

/**
 * The plugins every gateway loads: MCP servers (`MCPServer`), the aggregator (`Aggregator`), the
 * management API (`core_*` tools, `/api/*`) and the example plugin's `process` service type, so
 * `services: { tunnel: { type: process, … } }` works without further setup.
 */
export function builtinPlugins(): CorralPlugin[] {
  return [mcpServerPlugin, aggregatorPlugin, apiAdapterPlugin, processPlugin];
}

/**
 * A real gateway in-process for the tests that need one without the CLI: fixture MCP servers
 * behind the aggregator on a free 127.0.0.1 port, with the management API beside it.
 */
import { type Corral, createCorral } from '@corral/core';
import { AggregatorService } from '@corral/services-aggregator';
import { capturingLogger, fixtureServer, waitFor } from '@corral/testing';
import { builtinPlugins, GATEWAY_SERVICE_NAME } from '../src/plugins.js';

export interface InProcessGateway {
  readonly corral: Corral;
  readonly aggregator: AggregatorService;
  /** `http://127.0.0.1:PORT/mcp`. */
  readonly mcpUrl: string;
}

/** Starts fixture servers named `servers` (3 tools each) and the aggregator with `aggregator`. */
export async function startInProcessGateway(options: {
  readonly servers: readonly string[];
  readonly aggregator?: Readonly<Record<string, unknown>>;
}): Promise<InProcessGateway> {
  const services: Record<string, unknown> = {};
  for (const name of options.servers) {
    const { command, args } = fixtureServer({ name, tools: 3 });
    services[name] = { type: 'MCPServer', command, args };
  }
  services[GATEWAY_SERVICE_NAME] = { type: 'Aggregator', port: 0, ...options.aggregator };
  const corral = await createCorral({
    plugins: builtinPlugins(),
    config: { services },
    orchestrator: { stopTimeoutMs: 10_000 },
    logger: capturingLogger(),
  });
  try {
    await corral.start();
    const aggregator = corral.registry.get(GATEWAY_SERVICE_NAME);
    if (!(aggregator instanceof AggregatorService)) throw new Error('no aggregator service');
    const mcpUrl = await waitFor(() => aggregator.url, {
      timeoutMs: 30_000,
      description: 'the aggregator URL',
    });
    return { corral, aggregator, mcpUrl };
  } catch (error) {
    await corral.stop();
    throw error;
  }
}

/**
 * The gateway the benchmark measures, in a process of its own as in production: the fixture
 * server over stdio behind an aggregator on a free port of 127.0.0.1. Prints the MCP URL on
 * its first stdout line; stops (and exits) when its stdin ends. Imports the built packages.
 */
import { createCorral, silentLogger } from '@corral/core';
import { mcpServerPlugin } from '@corral/services-mcpserver';
import { aggregatorPlugin, AggregatorService } from '@corral/services-aggregator';
import { fixtureServer } from '@corral/testing';

const { command, args } = fixtureServer({ name: 'bench', tools: 4 });
const corral = await createCorral({
  plugins: [mcpServerPlugin, aggregatorPlugin],
  config: {
    services: {
      bench: { type: 'MCPServer', command, args },
      gateway: { type: 'Aggregator', port: 0 },
    },
  },
  logger: silentLogger,
});
await corral.start();
const gateway = corral.registry.get('gateway');
if (!(gateway instanceof AggregatorService) || gateway.url === undefined) {
  throw new Error(`the aggregator did not start: ${gateway.lastError?.message ?? gateway.state}`);
}
process.stdout.write(`${gateway.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void corral.stop().then(() => {
    process.exit(0);
  });
});

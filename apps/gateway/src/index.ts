/**
 * @corral/gateway — the `corral` CLI. Its programmatic surface is small: the pieces the CLI is
 * built from, for tests and for people who embed a gateway in their own program.
 */
export { builtinPlugins, GATEWAY_SERVICE_NAME } from './plugins.js';
export { ExitCode } from './io.js';
export type { Io } from './io.js';
export type {
  EntryOrigin,
  GatewayConfig,
  GatewayConfigProblem,
  ServiceEntry,
} from './config/types.js';

/**
 * @corral/gateway — the `corral` CLI. Its programmatic surface is small: the command line as a
 * function, and the pieces it is built from, for tests and for programs that embed a gateway.
 */
export { runCli } from './program.js';
export { builtinPlugins, GATEWAY_SERVICE_NAME } from './plugins.js';
export { ExitCode, processIo } from './io.js';
export type { Io } from './io.js';

// Config: loading, checking, formatting problems.
export {
  checkServiceEntries,
  ConfigFileError,
  formatProblem,
  loadConfigFile,
  resolveConfig,
  starterConfig,
} from './config/index.js';
export type {
  ConfigSource,
  EntryOrigin,
  GatewayConfig,
  GatewayConfigProblem,
  ServiceEntry,
  SourcePosition,
} from './config/index.js';

// Serving.
export { Gateway, GatewayStartError, loadPlugins } from './serve/gateway.js';
export type { AggregatorOverrides, GatewayOptions, ReloadOutcome } from './serve/gateway.js';
export { createDefaultFleet } from './serve/default-fleet.js';
export type { DefaultFleet } from './serve/default-fleet.js';
export { runServe } from './serve/run-serve.js';
export type { ServeFlags, SignalSource } from './serve/run-serve.js';

// Talking to a running gateway.
export { GatewayClient, GatewayClientError, resolveClientOptions } from './client/index.js';
export type { ClientOptions, ServiceView } from './client/index.js';

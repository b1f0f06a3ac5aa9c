/**
 * The config module: reading a config file (YAML, or JSON with comments), expanding variables,
 * mapping the clients' `mcpServers` to service entries, checking them against their types, and
 * the `corral validate` and `corral init` commands.
 */
export { loadConfigFile } from './load-config-file.js';
export { DEFAULT_FLEET_NAME, resolveConfig } from './resolve-config.js';
export type { ConfigSource } from './resolve-config.js';
export { checkServiceEntries } from './check-service-entries.js';
export { ConfigFileError } from './config-file-error.js';
export { formatProblem } from './format-problem.js';
export { runValidate } from './validate-command.js';
export type { ValidatedService, ValidateOptions } from './validate-command.js';
export { runInit } from './init-command.js';
export type { InitOptions } from './init-command.js';
export { starterConfig } from './starter-config.js';
export type {
  EntryOrigin,
  GatewayConfig,
  GatewayConfigProblem,
  ServiceEntry,
  SourcePosition,
} from './types.js';

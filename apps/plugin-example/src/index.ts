/**
 * @corral/plugin-example — the complete public surface: a third-party Corral plugin that adds
 * the `process` service type, written only against @corral/core's public API.
 */
export { processPlugin } from './plugin.js';
export { ProcessService } from './process-service.js';
export type { ProcessServiceOptions } from './process-service.js';
export { processConfigDefaults, processConfigSchema } from './config.js';
export type { ProcessServiceConfig, ReadyProbe } from './config.js';
export { ProcessExitedError, ProcessReadyTimeoutError, ProcessSpawnError } from './errors.js';
export type { ProcessExit } from './errors.js';

/**
 * @corral/testing — the complete public surface: helpers for testing Corral, its plugins and
 * your own service types.
 */

// Time, randomness and waiting.
export { capturingLogger } from './capturing-logger.js';
export type { CapturedLogFields, CapturingLogger } from './capturing-logger.js';
export { deferred } from './deferred.js';
export type { Deferred } from './deferred.js';
export { seededRandom } from './seeded-random.js';
export type { SeededRandom } from './seeded-random.js';
export { waitFor, waitForState } from './wait-for.js';
export type { StateSource, WaitForOptions } from './wait-for.js';

// Processes.
export {
  countProcessGroup,
  descendantsOf,
  isProcessAlive,
  processGroupMembers,
} from './processes.js';
export { freePort } from './ports.js';
export type { ProcessExit, RunningServer } from './server-process.js';

// The fixture MCP server, which misbehaves on cue.
export {
  fixtureServer,
  fixtureServerPath,
  startFixtureServer,
} from './fixtures/fixture-command.js';
export type { ServerCommand, StartFixtureOptions } from './fixtures/fixture-command.js';
export {
  DEFAULT_HUGE_BYTES,
  FIXTURE_BEHAVIOUR_TOOLS,
  fixtureArgs,
  fixtureToolNames,
} from './fixtures/fixture-flags.js';
export type { FixtureOptions, FixtureTransport } from './fixtures/fixture-flags.js';

// Reference MCP servers (server-everything, -memory, -filesystem).
export { referenceServer, referenceServerPath, startReferenceServer } from './reference-servers.js';
export type {
  ReferenceServerCommand,
  ReferenceServerName,
  StartReferenceServerOptions,
} from './reference-servers.js';

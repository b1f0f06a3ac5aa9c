/**
 * @corral/testing — the complete public surface: helpers for testing Corral, its plugins and
 * your own service types.
 */
export { deferred } from './deferred.js';
export type { Deferred } from './deferred.js';
export { seededRandom } from './seeded-random.js';
export type { SeededRandom } from './seeded-random.js';
export { waitFor, waitForState } from './wait-for.js';
export type { StateSource, WaitForOptions } from './wait-for.js';
export {
  countProcessGroup,
  descendantsOf,
  isProcessAlive,
  processGroupMembers,
} from './processes.js';

/**
 * @corral/services-aggregator — the complete public surface: the `Aggregator` service type,
 * which serves every running service's tools, resources and prompts as one MCP endpoint.
 */

// The plugin and the service it registers.
export { aggregatorPlugin } from './plugin.js';
export { AggregatorService } from './aggregator-service.js';
export type { AggregatorContributions, AggregatorServiceOptions } from './aggregator-service.js';

// Configuration.
export { aggregatorConfigSchema, aggregatorDefaults, resolveAggregatorSettings } from './config.js';
export type { AggregatorConfig, AggregatorSettings, MetaToolsMode } from './config.js';

// Names, the denylist and the meta-tools.
export { EXPOSED_NAME_PATTERN } from './naming/exposed-names.js';
export { DENIED_META_KEY } from './catalog/catalog.js';
export { DEFAULT_DENYLIST, Denylist } from './calls/denylist.js';
export type { Denial, DenylistSubject } from './calls/denylist.js';
export { META_TOOL_NAMES } from './calls/meta-tools.js';
export type { MetaToolName } from './calls/meta-tools.js';

// Requests from servers to their client (sampling, elicitation, roots).
export { ClientRequestRouter } from './passthrough/client-request-router.js';
export type { ClientDirectory } from './passthrough/client-request-router.js';

// Errors: typed, with stable codes.
export { AggregatorListenError, NoClientForRequestError } from './errors.js';

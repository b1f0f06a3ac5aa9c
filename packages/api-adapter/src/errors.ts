import { CorralError } from '@corral/core';

/**
 * The errors the API adapter raises itself. Everything about services (not found, failed to
 * start, orchestrator stopped) is core's own typed error, passed on unchanged.
 */

/** A tool argument or query parameter that does not fit its schema. */
export class InvalidArgumentError extends CorralError {
  readonly code = 'INVALID_ARGUMENT';
  constructor(
    readonly argument: string,
    problem: string,
  ) {
    super(`invalid '${argument}': ${problem}`);
  }
}

/** `executeTool` with a name this adapter does not offer. */
export class UnknownToolError extends CorralError {
  readonly code = 'UNKNOWN_TOOL';
  constructor(
    readonly toolName: string,
    known: readonly string[],
  ) {
    super(
      `the API adapter has no tool '${toolName}'. Its tools are: ${known.join(', ')} ` +
        '(exposed through the aggregator with the prefix core_).',
    );
  }
}

/** An HTTP path under the adapter's prefixes that it does not serve. */
export class RouteNotFoundError extends CorralError {
  readonly code = 'ROUTE_NOT_FOUND';
  constructor(method: string, path: string) {
    super(
      `no route for ${method} ${path}. Routes: GET /api/services, GET /api/services/:name, ` +
        'POST /api/services/:name/start|stop|restart, GET /api/events, GET /healthz, GET /metrics.',
    );
  }
}

/** Options given to the adapter or its plugin that make no sense. */
export class ApiAdapterOptionsError extends CorralError {
  readonly code = 'INVALID_API_ADAPTER_OPTIONS';
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`api-adapter option '${option}' ${problem}`);
  }
}

import { CorralError } from '@corral/core';

/**
 * The errors the aggregator raises. Each says what happened and what to do. Errors a client
 * caused reach it as MCP errors; these are for the embedder and for the servers behind.
 */

/** The HTTP port could not be bound (in use, no permission, bad address). */
export class AggregatorListenError extends CorralError {
  readonly code = 'AGGREGATOR_LISTEN_FAILED';
  constructor(
    readonly host: string,
    readonly port: number,
    reason: string,
  ) {
    super(
      `The aggregator could not listen on ${host}:${String(port)}: ${reason}. Stop whatever ` +
        'uses the port, or set another port (0 picks a free one).',
    );
  }
}

/**
 * A server behind the aggregator asked its client for something (sampling, elicitation,
 * roots) and no connected client can be named as the one to answer.
 */
export class NoClientForRequestError extends CorralError {
  readonly code = 'AGGREGATOR_NO_CLIENT';
  constructor(
    readonly serviceName: string,
    readonly method: string,
    reason: string,
  ) {
    super(
      `MCP server '${serviceName}' sent ${method}, but Corral cannot tell which client should ` +
        `answer it: ${reason}.`,
    );
  }
}

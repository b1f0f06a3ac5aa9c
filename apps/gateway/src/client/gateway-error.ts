import { CorralError } from '@corral/core';
import { ExitCode } from '../io.js';

/** What went wrong talking to a gateway; decides the exit code. */
export type GatewayErrorKind =
  /** The connection flags cannot work (a bad URL or port). */
  | 'invalid_options'
  /** Nothing answers at the URL. */
  | 'unreachable'
  /** The gateway wants a bearer token, or a different one (401). */
  | 'unauthorized'
  /** The gateway refused the request's Host or Origin (403). */
  | 'forbidden'
  /** No such service (404 `SERVICE_NOT_FOUND`). */
  | 'not_found'
  /** The API rejected the request (400), e.g. an invalid service name. */
  | 'bad_request'
  /** The request reached the API and failed there (409, 5xx), e.g. a start that failed. */
  | 'failed'
  /** Something answered that is not a Corral gateway's API. */
  | 'protocol'
  /** The gateway did not answer in time. */
  | 'timeout'
  /** The event stream broke off. */
  | 'stream_lost';

/** Kinds fixed by changing the command (name, flags, token): exit 2. The rest exit 1. */
const usageKinds: ReadonlySet<GatewayErrorKind> = new Set([
  'invalid_options',
  'unauthorized',
  'forbidden',
  'not_found',
  'bad_request',
]);

/** An error from a gateway client, with a message that says what to do. */
export class GatewayClientError extends CorralError {
  readonly code: string;
  /** The HTTP status, when the gateway answered. */
  readonly status: number | undefined;
  /** The API's own error code (`SERVICE_NOT_FOUND`, `SERVICE_START_FAILED`, …), when it sent one. */
  readonly apiCode: string | undefined;

  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
    options: { status?: number; apiCode?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = `GATEWAY_${kind.toUpperCase()}`;
    this.status = options.status;
    this.apiCode = options.apiCode;
  }

  get exitCode(): ExitCode {
    return usageKinds.has(this.kind) ? ExitCode.usage : ExitCode.failure;
  }
}

/** The exit code for an error a client command caught: 2 for usage problems, else 1. */
export function exitCodeFor(error: unknown): ExitCode {
  return error instanceof GatewayClientError ? error.exitCode : ExitCode.failure;
}

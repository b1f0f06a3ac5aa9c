import { GatewayClientError } from './gateway-error.js';

/** Why a connection failed, from Node's error codes, in words. */
const connectionFailures: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
};

export function describeConnectionFailure(error: unknown): string {
  // fetch wraps the reason: `TypeError: fetch failed` with the socket's error as its cause.
  let innermost = error instanceof Error ? error.message : String(error);
  for (let cause: unknown = error, depth = 0; cause !== undefined && depth < 5; depth++) {
    if (typeof cause !== 'object' || cause === null) break;
    const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
    const known = code === undefined ? undefined : connectionFailures[code];
    if (known !== undefined) return known;
    // Trying several addresses (localhost: ::1 and 127.0.0.1) fails with an AggregateError.
    if (cause instanceof AggregateError && cause.errors.length > 0) {
      return describeConnectionFailure(cause.errors[0]);
    }
    if (cause instanceof Error && cause.message !== '') innermost = cause.message;
    cause = 'cause' in cause ? cause.cause : undefined;
  }
  return innermost;
}

export function unreachable(baseUrl: string, error: unknown): GatewayClientError {
  return new GatewayClientError(
    'unreachable',
    `no Corral gateway answering at ${baseUrl} (${describeConnectionFailure(error)}): start one ` +
      'with `corral serve`, or point at it with --url or CORRAL_URL',
    { cause: error },
  );
}

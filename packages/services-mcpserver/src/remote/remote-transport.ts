import {
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  SSEClientTransport,
  SseError,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import { describeError } from '@corral/core';
import type { RemoteTransportKind } from '../config.js';
import { perRequestAbortFetch } from './per-request-abort-fetch.js';

// SSE is deprecated in favour of streamable HTTP, but servers still speak it: we support both.
/* eslint-disable @typescript-eslint/no-deprecated */

/**
 * A client transport for a remote server; `headers` go with every request, the SSE GET too.
 * Credentials in the URL (`https://user:pass@host/…`), which fetch refuses, are sent as HTTP
 * Basic authentication instead (unless `headers` has an Authorization of its own). Each request
 * gets an abort signal of its own (see `perRequestAbortFetch`), so none piles up on the transport's.
 */
export function createRemoteTransport(
  kind: RemoteTransportKind,
  url: string,
  headers: Readonly<Record<string, string>>,
): StreamableHTTPClientTransport | SSEClientTransport {
  const { endpoint, authorization } = splitCredentials(url);
  const hasAuthorization = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization');
  const requestInit: RequestInit = {
    headers: {
      ...(authorization !== undefined && !hasAuthorization ? { Authorization: authorization } : {}),
      ...headers,
    },
  };
  const fetch = perRequestAbortFetch();
  return kind === 'sse'
    ? new SSEClientTransport(endpoint, { requestInit, fetch })
    : new StreamableHTTPClientTransport(endpoint, { requestInit, fetch });
}

/** The URL without its user info, and that user info as a Basic Authorization value. */
export function splitCredentials(url: string): { endpoint: URL; authorization?: string } {
  const endpoint = new URL(url);
  if (endpoint.username === '' && endpoint.password === '') return { endpoint };
  const user = decodeURIComponent(endpoint.username);
  const password = decodeURIComponent(endpoint.password);
  endpoint.username = '';
  endpoint.password = '';
  const token = Buffer.from(`${user}:${password}`).toString('base64');
  return { endpoint, authorization: `Basic ${token}` };
}

/** The HTTP status a transport error carries, if the server answered at all. */
export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof SdkHttpError) return error.status;
  if (error instanceof SseError) return error.code;
  if (error instanceof UnauthorizedError) return 401;
  return undefined;
}

/** The server wants credentials we did not send (or that it refused). */
export function isUnauthorized(error: unknown): boolean {
  return (
    httpStatusOf(error) === 401 ||
    (error instanceof SdkError && error.code === SdkErrorCode.ClientHttpAuthentication)
  );
}

/**
 * The streamable-HTTP server no longer knows our session: the spec says 404; some servers
 * (server-everything among them) answer 400 "No valid session ID provided".
 */
export function isSessionLost(error: unknown): boolean {
  if (!(error instanceof SdkHttpError)) return false;
  if (error.status === 404) return true;
  return error.status === 400 && /session/i.test(error.message);
}

/** The SSE stream (which carries every answer on that transport) failed. */
export function isStreamFailure(error: unknown): boolean {
  return error instanceof SseError;
}

/** A one-line reason for a failed connection: the HTTP status, or the network error's code. */
export function describeRemoteFailure(error: unknown): string {
  const status = httpStatusOf(error);
  if (status !== undefined) {
    const text = error instanceof SdkHttpError ? error.statusText : undefined;
    return `the server answered HTTP ${status}${text ? ` ${text}` : ''}.`;
  }
  const code = networkCode(error);
  if (code !== undefined) return `could not connect (${code}).`;
  return `${describeError(error)}.`;
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = 'code' in current ? current.code : undefined;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    current = current.cause;
  }
  return undefined;
}

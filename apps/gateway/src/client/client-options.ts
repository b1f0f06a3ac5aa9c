import { GatewayClientError } from './gateway-error.js';

/** Where a gateway answers when nothing says otherwise: the aggregator's default address. */
export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8090';

/** How to reach a running gateway's management API. */
export interface ClientOptions {
  /** `http://host:port`, without a trailing slash; the API's routes hang off it. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` when set (the aggregator's `token`). */
  readonly token?: string;
  /** Deadline for a query (`status`); actions wait as long as the gateway takes (default 30 s). */
  readonly queryTimeoutMs?: number;
  /** For tests and embedders: the `fetch` to use (default: the global one). */
  readonly fetch?: typeof fetch;
}

/** The connection flags every client command accepts. */
export interface ClientFlags {
  readonly url?: string;
  readonly host?: string;
  readonly port?: string | number;
  readonly token?: string;
}

/**
 * The gateway to talk to: `--url`, else `--host`/`--port`, else `CORRAL_URL`, else
 * `http://127.0.0.1:8090`; the token from `--token`, else `CORRAL_TOKEN`. A URL ending in `/mcp`
 * (what `corral serve` prints for MCP clients) is taken as its gateway. Throws a
 * `GatewayClientError` of kind `invalid_options` (exit 2) for a flag that cannot work.
 */
export function resolveClientOptions(
  flags: ClientFlags,
  env: Readonly<Record<string, string | undefined>>,
): ClientOptions {
  const hasHostOrPort = nonEmpty(flags.host) !== undefined || flags.port !== undefined;
  if (nonEmpty(flags.url) !== undefined && hasHostOrPort) {
    throw invalid('give either --url or --host/--port, not both');
  }
  const url =
    nonEmpty(flags.url) ??
    (hasHostOrPort ? hostPortUrl(flags.host, flags.port) : undefined) ??
    nonEmpty(env['CORRAL_URL']) ??
    DEFAULT_GATEWAY_URL;
  const source = nonEmpty(flags.url) !== undefined || hasHostOrPort ? '--url' : 'CORRAL_URL';
  const token = nonEmpty(flags.token) ?? nonEmpty(env['CORRAL_TOKEN']);
  return { baseUrl: normaliseUrl(url, source), ...(token !== undefined ? { token } : {}) };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function hostPortUrl(host: string | undefined, port: string | number | undefined): string {
  const hostname = nonEmpty(host) ?? '127.0.0.1';
  const portText = port === undefined ? '8090' : String(port).trim();
  const portNumber = Number(portText);
  if (!/^\d+$/.test(portText) || portNumber < 1 || portNumber > 65_535) {
    throw invalid(
      `--port must be a TCP port number between 1 and 65535, e.g. 8090 (got '${portText}')`,
    );
  }
  // An IPv6 address needs brackets in a URL.
  const inUrl = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  return `http://${inUrl}:${portNumber}`;
}

function normaliseUrl(text: string, source: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid(`${source} '${text}' is not a URL: give one like ${DEFAULT_GATEWAY_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(
      `${source} '${text}' must be an http:// or https:// URL, e.g. ${DEFAULT_GATEWAY_URL}`,
    );
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/mcp$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

function invalid(message: string): GatewayClientError {
  return new GatewayClientError('invalid_options', message);
}

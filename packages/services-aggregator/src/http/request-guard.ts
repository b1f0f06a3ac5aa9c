import { timingSafeEqual } from 'node:crypto';
import {
  hostHeaderValidationResponse,
  originValidationResponse,
} from '@modelcontextprotocol/server';

export interface RequestGuardOptions {
  readonly allowedHosts: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly token: string | undefined;
}

/**
 * The checks every HTTP request passes before anything answers it, in order: `Host` against
 * the allowed hostnames and `Origin` (when a browser sends one) against the allowed origins —
 * both against DNS rebinding, 403 otherwise — then the bearer token when one is configured (401).
 * `publicAssets` says the request goes to a route of static files with no secrets: a `GET` or
 * `HEAD` to it skips only the token, so a browser can load the page that then asks for it.
 * Returns the refusal, or undefined to go on.
 */
export function guardRequest(
  request: Request,
  options: RequestGuardOptions,
  target: { readonly publicAssets: boolean } = { publicAssets: false },
): Response | undefined {
  const badHost = hostHeaderValidationResponse(request, [...options.allowedHosts]);
  if (badHost) return badHost;
  const badOrigin = originValidationResponse(request, [...options.allowedOrigins]);
  if (badOrigin) return badOrigin;
  if (target.publicAssets && (request.method === 'GET' || request.method === 'HEAD')) {
    return undefined;
  }
  if (options.token !== undefined && !hasBearer(request, options.token)) {
    return Response.json(
      {
        jsonrpc: '2.0',
        error: {
          code: -32001,
          message: 'Unauthorized: send the aggregator token as "Authorization: Bearer <token>".',
        },
        id: null,
      },
      { status: 401, headers: { 'www-authenticate': 'Bearer realm="corral"' } },
    );
  }
  return undefined;
}

function hasBearer(request: Request, token: string): boolean {
  const header = request.headers.get('authorization');
  const match = header === null ? null : /^Bearer\s+(.+)$/i.exec(header.trim());
  const given = match?.[1];
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

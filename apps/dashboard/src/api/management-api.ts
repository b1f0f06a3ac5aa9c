import type { ActionResult, ServiceAction, ServiceInfo } from '../model/types.js';
import type { GatewayToken } from './gateway-token.js';

/** A failed API call, with the message the gateway gave (or what went wrong on the way). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The gateway's management API, on the origin that served this page, with its token if set. */
export class ManagementApi {
  constructor(
    private readonly base: URL,
    private readonly token: GatewayToken,
  ) {}

  async services(): Promise<ServiceInfo[]> {
    const body = await this.request<{ services: ServiceInfo[] }>('GET', 'api/services');
    return body.services;
  }

  service(name: string): Promise<ServiceInfo> {
    return this.request<ServiceInfo>('GET', `api/services/${encodeURIComponent(name)}`);
  }

  act(name: string, action: ServiceAction): Promise<ActionResult> {
    return this.request<ActionResult>('POST', `api/services/${encodeURIComponent(name)}/${action}`);
  }

  /** The event stream's URL: `since=0` replays the history the gateway holds, then goes live. */
  eventsUrl(): URL {
    return new URL('api/events?since=0', this.base);
  }

  private async request<T>(method: 'GET' | 'POST', path: string): Promise<T> {
    let response: Response;
    const { sent, fetch } = this.token.sender();
    try {
      response = await fetch(new URL(path, this.base), {
        method,
        headers: { accept: 'application/json' },
      });
    } catch (error) {
      throw new ApiError(
        `The gateway did not answer (${error instanceof Error ? error.message : String(error)}). Is corral serve still running?`,
        undefined,
        undefined,
      );
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 401) {
      throw new ApiError(
        sent === undefined
          ? 'The gateway needs its token (aggregator.token).'
          : 'The gateway refused the token.',
        401,
        undefined,
      );
    }
    if (!response.ok) {
      const detail = errorOf(body);
      throw new ApiError(
        detail?.message ?? `HTTP ${String(response.status)} from ${method} /${path}`,
        response.status,
        detail?.code,
      );
    }
    return body as T;
  }
}

function errorOf(body: unknown): { code?: string; message?: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return { message: error };
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof message === 'string' ? { message } : {}),
    };
  }
  return undefined;
}

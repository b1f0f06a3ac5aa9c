import type { z } from 'zod';
import { isAborted } from './aborted.js';
import {
  type ActionResult,
  actionResultSchema,
  errorBodySchema,
  type GatewayEvent,
  serviceListSchema,
  type ServiceView,
  serviceViewSchema,
} from './api-schema.js';
import type { ClientOptions } from './client-options.js';
import { readEventStream } from './event-stream.js';
import { unreachable } from './connection-failure.js';
import { GatewayClientError } from './gateway-error.js';

export type ServiceAction = 'start' | 'stop' | 'restart';

export interface EventStreamOptions {
  /** Replay events after this seq first (sent as `Last-Event-ID`), then follow live ones. */
  readonly since?: number;
  /** Ends the stream (the iteration simply finishes). */
  readonly signal?: AbortSignal;
  /** Called once the gateway has accepted the stream, before any event. */
  readonly onOpen?: () => void;
}

const DEFAULT_QUERY_TIMEOUT_MS = 30_000;

/**
 * A client for a running gateway's management API (`/api/services…`, `/api/events`). Every
 * failure is a `GatewayClientError` whose message says what to do; its `kind` decides the exit code.
 */
export class GatewayClient {
  private readonly fetch: typeof fetch;

  constructor(readonly options: ClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Every registered service, in registration order. */
  async listServices(): Promise<ServiceView[]> {
    const body = await this.request('GET', '/api/services');
    return this.check(serviceListSchema, body, 'GET /api/services').services;
  }

  /** One service; a `not_found` error (naming the registered services) for an unknown name. */
  async getService(name: string): Promise<ServiceView> {
    const path = `/api/services/${encodeURIComponent(name)}`;
    return this.check(serviceViewSchema, await this.request('GET', path), `GET ${path}`);
  }

  /** Starts, stops or restarts a service; resolves with what the gateway says it did. */
  async act(name: string, action: ServiceAction): Promise<ActionResult> {
    const path = `/api/services/${encodeURIComponent(name)}/${action}`;
    return this.check(actionResultSchema, await this.request('POST', path), `POST ${path}`);
  }

  /**
   * Follows `/api/events`. The iteration ends when `signal` aborts or the gateway ends the stream
   * (it is stopping); a connection that breaks off throws a `stream_lost` error.
   */
  async *events(options: EventStreamOptions = {}): AsyncGenerator<GatewayEvent, void, undefined> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (options.since !== undefined) headers['last-event-id'] = String(options.since);
    let response: Response;
    try {
      response = await this.send('GET', '/api/events', headers, options.signal);
    } catch (error) {
      if (isAborted(options.signal)) return;
      throw error;
    }
    if (!response.ok) throw await this.refusal(response);
    const body = response.body;
    if (!body) throw this.notCorral('GET /api/events', 'answered without a body');
    options.onOpen?.();
    yield* readEventStream(body, {
      baseUrl: this.baseUrl,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  // ------------------------------------------------------------------------------------------

  private async request(method: 'GET' | 'POST', path: string): Promise<unknown> {
    // Queries have a deadline; actions last as long as the gateway's own start deadlines.
    const timeoutMs =
      method === 'GET' ? (this.options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS) : undefined;
    const signal = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await this.send(method, path, { accept: 'application/json' }, signal);
    } catch (error) {
      if (isAborted(signal)) {
        throw new GatewayClientError(
          'timeout',
          `the gateway at ${this.baseUrl} did not answer ${method} ${path} within ` +
            `${String(timeoutMs)} ms: it may be overloaded or stuck; try again, or check its logs`,
          { cause: error },
        );
      }
      throw error;
    }
    if (!response.ok) throw await this.refusal(response);
    return this.json(response, `${method} ${path}`);
  }

  /** Sends a request; a connection that fails becomes an `unreachable` error. */
  private async send(
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const all: Record<string, string> = { ...headers };
    if (this.options.token !== undefined) all['authorization'] = `Bearer ${this.options.token}`;
    try {
      return await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers: all,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (isAborted(signal)) throw error;
      throw unreachable(this.baseUrl, error);
    }
  }

  private async json(response: Response, what: string): Promise<unknown> {
    const text = await response.text();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw this.notCorral(
        what,
        `answered ${String(response.status)} with something that is not JSON`,
      );
    }
  }

  private check<T extends z.ZodType>(schema: T, body: unknown, what: string): z.output<T> {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw this.notCorral(
        what,
        `answered JSON of an unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`,
      );
    }
    return parsed.data;
  }

  /** The error for a non-2xx answer, in the user's terms. */
  private async refusal(response: Response): Promise<GatewayClientError> {
    const status = response.status;
    const text = await response.text().catch(() => '');
    const { apiCode, apiMessage } = errorOf(text);
    const options = { status, ...(apiCode !== undefined ? { apiCode } : {}) };
    if (status === 401) {
      const given = this.options.token !== undefined;
      return new GatewayClientError(
        'unauthorized',
        given
          ? `the gateway at ${this.baseUrl} refused the token (401): check --token or CORRAL_TOKEN ` +
              `against the aggregator's token`
          : `the gateway at ${this.baseUrl} needs a token (401): pass it with --token or set ` +
              `CORRAL_TOKEN (the aggregator's token)`,
        options,
      );
    }
    if (status === 403) {
      return new GatewayClientError(
        'forbidden',
        `the gateway at ${this.baseUrl} refused the request's Host or Origin (403` +
          (apiMessage !== undefined ? `: ${apiMessage}` : '') +
          `): it accepts only its allowed host names (by default localhost and 127.0.0.1); ` +
          `use one of them in --url, or add this one to the aggregator's allowedHosts`,
        options,
      );
    }
    if (apiMessage === undefined) {
      return this.notCorral(
        response.url || this.baseUrl,
        `answered ${String(status)} ${response.statusText} without a Corral API error`,
        status,
      );
    }
    if (status === 404 && apiCode === 'SERVICE_NOT_FOUND') {
      return new GatewayClientError('not_found', apiMessage, options);
    }
    if (status === 404) {
      return this.notCorral(
        response.url || this.baseUrl,
        `has no such route (${apiMessage})`,
        status,
      );
    }
    if (status === 400) return new GatewayClientError('bad_request', apiMessage, options);
    return new GatewayClientError('failed', `${apiMessage} (HTTP ${String(status)})`, options);
  }

  private notCorral(what: string, detail: string, status?: number): GatewayClientError {
    return new GatewayClientError(
      'protocol',
      `${this.baseUrl} does not look like a Corral gateway: ${what} ${detail}. Point at one ` +
        `with --url or CORRAL_URL (the address \`corral serve\` prints, without /mcp)`,
      status === undefined ? {} : { status },
    );
  }
}

function errorOf(text: string): { apiCode?: string; apiMessage?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    return {};
  }
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return {};
  const { code, message } = parsed.data.error;
  return { apiMessage: message, ...(typeof code === 'string' ? { apiCode: code } : {}) };
}

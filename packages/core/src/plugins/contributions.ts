/**
 * What plugins contribute to each other without importing each other: HTTP routes served on the
 * gateway's one port, and observers of every tool call. Web-standard `Request`/`Response` keep
 * core free of any HTTP framework.
 */

/** Routes a plugin serves under some path prefixes on the shared HTTP server. */
export interface HttpRouteProvider {
  /** Path prefixes this provider answers, e.g. `['/api', '/healthz', '/metrics']`. */
  readonly pathPrefixes: readonly string[];
  /**
   * Static files with no secrets (a web page's HTML, scripts, styles), served without the bearer
   * token so a browser can load the page that then asks for it: `GET` and `HEAD` requests routed
   * here skip the token check; every other method still needs it, and the `Host`/`Origin`
   * checks always apply. Leave it unset for anything that returns data.
   */
  readonly publicAssets?: true;
  /** Answers one request whose path starts with one of `pathPrefixes`. */
  fetch(request: Request): Promise<Response>;
}

/** One finished tool call, as the serving plugin saw it. */
export interface ToolCallRecord {
  /** The service (or provider) that owns the tool. */
  readonly service: string;
  /** The tool's own name on that service. */
  readonly tool: string;
  readonly durationMs: number;
  /** `ok`; `tool_error` (a result with isError); `error` (the call threw); `denied`. */
  readonly outcome: 'ok' | 'tool_error' | 'error' | 'denied';
}

/** Told of every tool call (metrics, audit logs). Must be cheap and never throw. */
export interface ToolCallObserver {
  onToolCall(record: ToolCallRecord): void;
}

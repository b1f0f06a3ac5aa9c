/**
 * Optional capabilities a service may implement. Plugins meet through these interfaces, never
 * through each other's classes: the aggregator serves any `ToolProvider`, whoever wrote it.
 * The shapes follow MCP's so an MCP server can pass its values through untouched, but nothing
 * here depends on MCP.
 */

/** A JSON value. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * What an open descriptor or result carries beyond the fields core names: any JSON the other
 * side sent (`icons`, `execution`, fields of later protocol revisions), kept so it passes
 * through untouched. Read-only arrays are allowed so typed fields like `content` fit.
 */
export type JsonField = JsonValue | readonly JsonValue[] | undefined;

/** Unsubscribes a listener. */
export type Unsubscribe = () => void;

// ---------------------------------------------------------------------------------------------
// Health

export interface HealthCheckResult {
  readonly healthy: boolean;
  /** `degraded` when it answers but not well. Defaults to healthy/unhealthy from `healthy`. */
  readonly degraded?: boolean;
  readonly message?: string;
}

export interface HealthChecker {
  /** Probe once. Throwing or returning `healthy: false` counts as a failed probe. */
  checkHealth(signal: AbortSignal): Promise<HealthCheckResult>;
  /** How often to probe while running, in ms. */
  readonly healthCheckIntervalMs: number;
  /** How long a probe may take, in ms (default 5 000). */
  readonly healthCheckTimeoutMs?: number;
  /** Consecutive failed probes that mark the service failed (default 3). */
  readonly healthFailureThreshold?: number;
}

export function isHealthChecker(value: unknown): value is HealthChecker {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<HealthChecker>).checkHealth === 'function' &&
    typeof (value as Partial<HealthChecker>).healthCheckIntervalMs === 'number'
  );
}

// ---------------------------------------------------------------------------------------------
// Tools

export interface ToolDescriptor {
  readonly [field: string]: JsonField;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: JsonObject;
  readonly outputSchema?: JsonObject;
  readonly annotations?: JsonObject;
  readonly _meta?: JsonObject;
}

export interface ToolProgress {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

export interface CallToolOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ToolProgress) => void;
  readonly timeoutMs?: number;
  readonly resetTimeoutOnProgress?: boolean;
  /**
   * An id the caller picks for this call. Requests the provider's server makes while the call
   * runs name it in `ClientRequestContext.relatedCallIds`, so they can be answered by whoever
   * made the call.
   */
  readonly callId?: string;
}

/**
 * A tool result, shaped like MCP's `CallToolResult`. `structuredContent` is any JSON value (the
 * spec's `unknown`; 2025-era servers send an object); other fields pass through.
 */
export interface ToolCallResult {
  readonly [field: string]: JsonField;
  readonly content: readonly JsonObject[];
  readonly structuredContent?: JsonValue;
  readonly isError?: boolean;
  readonly _meta?: JsonObject;
}

export interface ToolProvider {
  listTools(): readonly ToolDescriptor[];
  callTool(name: string, args: JsonObject, options?: CallToolOptions): Promise<ToolCallResult>;
  /** Called whenever the list of tools changes. */
  onToolsChanged(listener: () => void): Unsubscribe;
  /** Prefix used when tools are exposed next to others' (default: the service name). */
  readonly toolPrefix?: string;
}

export function isToolProvider(value: unknown): value is ToolProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ToolProvider>).listTools === 'function' &&
    typeof (value as Partial<ToolProvider>).callTool === 'function' &&
    typeof (value as Partial<ToolProvider>).onToolsChanged === 'function'
  );
}

// ---------------------------------------------------------------------------------------------
// Resources

export interface ResourceDescriptor {
  readonly [field: string]: JsonField;
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  readonly _meta?: JsonObject;
}

export interface ResourceReadResult {
  readonly [field: string]: JsonField;
  readonly contents: readonly JsonObject[];
  readonly _meta?: JsonObject;
}

export interface ResourceProvider {
  listResources(): readonly ResourceDescriptor[];
  readResource(uri: string, options?: { signal?: AbortSignal }): Promise<ResourceReadResult>;
  onResourcesChanged(listener: () => void): Unsubscribe;
}

export function isResourceProvider(value: unknown): value is ResourceProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ResourceProvider>).listResources === 'function' &&
    typeof (value as Partial<ResourceProvider>).readResource === 'function'
  );
}

// ---------------------------------------------------------------------------------------------
// Prompts

export interface PromptDescriptor {
  readonly [field: string]: JsonField;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments?: readonly JsonObject[];
  readonly _meta?: JsonObject;
}

export interface PromptResult {
  readonly [field: string]: JsonField;
  readonly description?: string;
  readonly messages: readonly JsonObject[];
  readonly _meta?: JsonObject;
}

export interface PromptProvider {
  listPrompts(): readonly PromptDescriptor[];
  getPrompt(
    name: string,
    args: Readonly<Record<string, string>>,
    options?: { signal?: AbortSignal },
  ): Promise<PromptResult>;
  onPromptsChanged(listener: () => void): Unsubscribe;
}

export function isPromptProvider(value: unknown): value is PromptProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<PromptProvider>).listPrompts === 'function' &&
    typeof (value as Partial<PromptProvider>).getPrompt === 'function'
  );
}

// ---------------------------------------------------------------------------------------------
// Resource templates and subscriptions

/** A parameterised resource, as MCP's `resources/templates/list` describes it. */
export interface ResourceTemplateDescriptor {
  readonly [field: string]: JsonField;
  readonly uriTemplate: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  readonly _meta?: JsonObject;
}

/** Offers resource templates (URIs with `{placeholders}` that `readResource` accepts). */
export interface ResourceTemplateProvider {
  /** Asked each time (may be slow: a caller should bound it with `signal`). */
  listResourceTemplates(options?: {
    signal?: AbortSignal;
  }): Promise<readonly ResourceTemplateDescriptor[]>;
}

export function isResourceTemplateProvider(value: unknown): value is ResourceTemplateProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ResourceTemplateProvider>).listResourceTemplates === 'function'
  );
}

/** Tells its subscribers when a resource changes (MCP's `resources/subscribe`). */
export interface ResourceSubscriptionProvider {
  subscribeResource(uri: string, options?: { signal?: AbortSignal }): Promise<void>;
  unsubscribeResource(uri: string, options?: { signal?: AbortSignal }): Promise<void>;
  /** Called with the URI of every subscribed resource that was updated. */
  onResourceUpdated(listener: (uri: string) => void): Unsubscribe;
}

export function isResourceSubscriptionProvider(
  value: unknown,
): value is ResourceSubscriptionProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ResourceSubscriptionProvider>).subscribeResource === 'function' &&
    typeof (value as Partial<ResourceSubscriptionProvider>).unsubscribeResource === 'function' &&
    typeof (value as Partial<ResourceSubscriptionProvider>).onResourceUpdated === 'function'
  );
}

// ---------------------------------------------------------------------------------------------
// Completion

/**
 * Suggests argument values (MCP's `completion/complete`). `params` and the result are shaped
 * like MCP's: `{ ref: { type: 'ref/prompt', name } | { type: 'ref/resource', uri }, argument:
 * { name, value }, context? }` → `{ completion: { values, total?, hasMore? } }`.
 */
export interface CompletionProvider {
  complete(params: JsonObject, options?: { signal?: AbortSignal }): Promise<JsonObject>;
}

export function isCompletionProvider(value: unknown): value is CompletionProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<CompletionProvider>).complete === 'function'
  );
}

// ---------------------------------------------------------------------------------------------
// Logging

/** Syslog severities, least severe first (MCP's `LoggingLevel`). */
export const loggingLevels = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
] as const;
export type LoggingLevel = (typeof loggingLevels)[number];

export function isLoggingLevel(value: unknown): value is LoggingLevel {
  return typeof value === 'string' && (loggingLevels as readonly string[]).includes(value);
}

/** A message a provider's server logged (MCP's `notifications/message` params). */
export interface LogMessage {
  readonly [field: string]: JsonField;
  readonly level: LoggingLevel;
  readonly logger?: string;
  readonly data: JsonValue;
  readonly _meta?: JsonObject;
}

/** Forwards its server's log messages, filtered by a level the caller sets. */
export interface LoggingProvider {
  /** The least severe level the server should send (MCP's `logging/setLevel`). */
  setLoggingLevel(level: LoggingLevel, options?: { signal?: AbortSignal }): Promise<void>;
  onLogMessage(listener: (message: LogMessage) => void): Unsubscribe;
}

export function isLoggingProvider(value: unknown): value is LoggingProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<LoggingProvider>).setLoggingLevel === 'function' &&
    typeof (value as Partial<LoggingProvider>).onLogMessage === 'function'
  );
}

// ---------------------------------------------------------------------------------------------
// Requests from a provider's server to its client (sampling, elicitation, roots)

/** What a handler learns about a request from a provider's server. */
export interface ClientRequestContext {
  /** The service the request came from. */
  readonly serviceName: string;
  /** Aborted when the server cancels the request or the connection closes. */
  readonly signal: AbortSignal;
  /**
   * The `callId`s (see `CallToolOptions.callId`) of this service's tool calls in flight when
   * the request arrived: the calls that may have caused it. MCP does not say which one did, so
   * one id is certain, several are candidates, none means it came unprompted (e.g. `roots/list`
   * after connecting).
   */
  readonly relatedCallIds: readonly string[];
}

/**
 * Answers the requests a provider's server sends to its client, in MCP's shapes:
 * `createMessage` (`sampling/createMessage`: `{ messages, maxTokens, … }` → `{ role, content,
 * model, … }`), `elicit` (`elicitation/create`: `{ message, requestedSchema | url, … }` →
 * `{ action, content? }`) and `listRoots` (`roots/list` → `{ roots }`). A rejection reaches the
 * server as an error response.
 */
export interface ClientRequestHandler {
  readonly createMessage?: (
    params: JsonObject,
    context: ClientRequestContext,
  ) => Promise<JsonObject>;
  readonly elicit?: (params: JsonObject, context: ClientRequestContext) => Promise<JsonObject>;
  readonly listRoots?: (params: JsonObject, context: ClientRequestContext) => Promise<JsonObject>;
}

/**
 * A provider whose server may ask its client for things. The kinds with a handler when the
 * server connects are the ones announced to it: set the handler before the service starts.
 */
export interface ClientRequestReceiver {
  setClientRequestHandler(handler: ClientRequestHandler | undefined): void;
  /** Tells the server the client's roots changed (`notifications/roots/list_changed`). */
  notifyRootsChanged?(): Promise<void>;
}

export function isClientRequestReceiver(value: unknown): value is ClientRequestReceiver {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ClientRequestReceiver>).setClientRequestHandler === 'function'
  );
}

// ---------------------------------------------------------------------------------------------
// Status metadata

export interface ServiceDataProvider {
  /** JSON-safe metadata for status views. Secrets must already be redacted. */
  getServiceData(): JsonObject;
}

export function isServiceDataProvider(value: unknown): value is ServiceDataProvider {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ServiceDataProvider>).getServiceData === 'function'
  );
}

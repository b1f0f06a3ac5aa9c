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
}

/** A tool result, shaped like MCP's `CallToolResult`. */
export interface ToolCallResult {
  readonly content: readonly JsonObject[];
  readonly structuredContent?: JsonObject;
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
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  readonly _meta?: JsonObject;
}

export interface ResourceReadResult {
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
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments?: readonly JsonObject[];
  readonly _meta?: JsonObject;
}

export interface PromptResult {
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

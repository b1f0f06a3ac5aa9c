import type {
  JsonObject,
  LoggingLevel,
  PromptDescriptor,
  PromptResult,
  ResourceDescriptor,
  ResourceReadResult,
  ResourceTemplateDescriptor,
  ToolCallResult,
  ToolDescriptor,
  ToolProgress,
} from '@corral/core';
import type { ClientSession } from './client-session.js';

/** What a tool call carries besides its name and arguments. */
export interface CallContext {
  readonly session: ClientSession | undefined;
  readonly signal: AbortSignal;
  /** Reports progress to the client, if it asked for progress. */
  readonly onProgress: ((progress: ToolProgress) => void) | undefined;
  /** Sends a request to the client on the call's own stream (sampling, elicitation, roots). */
  readonly sendToClient:
    ((method: string, params: JsonObject, signal: AbortSignal) => Promise<JsonObject>) | undefined;
}

/**
 * What every client session asks of the aggregator, whatever its transport. Results are JSON in
 * MCP's shapes; failures a client caused are `ProtocolError`s.
 */
export interface AggregatorFrontend {
  /** Resolves when listing should go ahead (servers that are starting have had their chance). */
  settled(): Promise<void>;
  listTools(): readonly ToolDescriptor[];
  callTool(name: string, args: JsonObject, context: CallContext): Promise<ToolCallResult>;
  listResources(): readonly ResourceDescriptor[];
  listResourceTemplates(): Promise<readonly ResourceTemplateDescriptor[]>;
  readResource(uri: string, signal: AbortSignal): Promise<ResourceReadResult>;
  subscribe(session: ClientSession, uri: string, signal: AbortSignal): Promise<void>;
  unsubscribe(session: ClientSession, uri: string, signal: AbortSignal): Promise<void>;
  listPrompts(): readonly PromptDescriptor[];
  getPrompt(
    name: string,
    args: Readonly<Record<string, string>>,
    signal: AbortSignal,
  ): Promise<PromptResult>;
  complete(params: JsonObject, signal: AbortSignal): Promise<JsonObject>;
  setLoggingLevel(session: ClientSession, level: LoggingLevel): Promise<void>;
  /** The client's roots changed: tell the servers behind. */
  rootsChanged(): void;
  /** A session ended (DELETE, idle, transport closed). */
  sessionClosed(session: ClientSession): void;
}

// Sampling, roots and logging are deprecated as of the 2026-07-28 protocol revision, but servers
// still use them and the aggregator must pass them through: they stay supported here.
/* eslint-disable @typescript-eslint/no-deprecated */
import {
  type Client,
  type ClientCapabilities,
  type CreateMessageRequest,
  type CreateMessageResult,
  type CreateMessageResultWithTools,
  type ElicitRequest,
  type ElicitResult,
  type ListRootsRequest,
  type ListRootsResult,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/client';

/** What a handler gets with a request from the server: its cancellation. */
export interface ClientRequestContext {
  /** The service the request came from. */
  readonly serviceName: string;
  /** Aborted when the server cancels the request or the connection closes. */
  readonly signal: AbortSignal;
}

/**
 * Answers the requests an MCP server sends to its client: sampling (`sampling/createMessage`),
 * elicitation (`elicitation/create`) and roots (`roots/list`). Corral is the client, so whoever
 * embeds it (the aggregator, forwarding to its own client) supplies the answers. Only the kinds
 * with a handler at connect time are declared as client capabilities.
 */
export interface ClientRequestHandler {
  readonly createMessage?: (
    params: CreateMessageRequest['params'],
    context: ClientRequestContext,
  ) => Promise<CreateMessageResult | CreateMessageResultWithTools>;
  readonly elicit?: (
    params: ElicitRequest['params'],
    context: ClientRequestContext,
  ) => Promise<ElicitResult>;
  readonly listRoots?: (
    params: ListRootsRequest['params'],
    context: ClientRequestContext,
  ) => Promise<ListRootsResult>;
}

/** The client capabilities that announce the handlers present. */
export function capabilitiesFor(handler: ClientRequestHandler | undefined): ClientCapabilities {
  return {
    ...(handler?.createMessage ? { sampling: {} } : {}),
    ...(handler?.elicit ? { elicitation: { form: {}, url: {} } } : {}),
    ...(handler?.listRoots ? { roots: { listChanged: true } } : {}),
  };
}

/**
 * Routes the server's requests to whatever handler is current when they arrive (it may change
 * while connected). A kind that was declared but whose handler is gone, or one never declared,
 * gets a clear MCP error instead of silence.
 */
export function installClientRequestHandlers(
  client: Client,
  serviceName: string,
  declared: ClientCapabilities,
  current: () => ClientRequestHandler | undefined,
): void {
  const missing = (method: string, what: string): ProtocolError =>
    new ProtocolError(
      ProtocolErrorCode.MethodNotFound,
      `Corral has no ${what} handler for MCP server '${serviceName}', so it cannot answer ` +
        `${method}. Set one with setClientRequestHandler() before the server starts.`,
    );
  if (declared.sampling) {
    client.setRequestHandler('sampling/createMessage', (request, ctx) => {
      const handle = current()?.createMessage;
      if (!handle) throw missing('sampling/createMessage', 'sampling');
      return handle(request.params, { serviceName, signal: ctx.mcpReq.signal });
    });
  }
  if (declared.elicitation) {
    client.setRequestHandler('elicitation/create', (request, ctx) => {
      const handle = current()?.elicit;
      if (!handle) throw missing('elicitation/create', 'elicitation');
      return handle(request.params, { serviceName, signal: ctx.mcpReq.signal });
    });
  }
  if (declared.roots) {
    client.setRequestHandler('roots/list', (request, ctx) => {
      const handle = current()?.listRoots;
      if (!handle) throw missing('roots/list', 'roots');
      return handle(request.params, { serviceName, signal: ctx.mcpReq.signal });
    });
  }
  client.fallbackRequestHandler = (request) =>
    Promise.reject(missing(request.method, request.method.split('/')[0] ?? request.method));
}

import type { ClientRequestContext, ClientRequestHandler, JsonObject } from '@corral/core';
import {
  type Client,
  type ClientCapabilities,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/client';
import { z } from 'zod';
import { toJsonObject } from '@corral/core';

/** The client capabilities that announce the handlers present. */
export function capabilitiesFor(handler: ClientRequestHandler | undefined): ClientCapabilities {
  return {
    ...(handler?.createMessage ? { sampling: {} } : {}),
    ...(handler?.elicit ? { elicitation: { form: {}, url: {} } } : {}),
    ...(handler?.listRoots ? { roots: { listChanged: true } } : {}),
  };
}

/** Params are passed on as JSON; the SDK has already checked the request against the spec. */
const anyParams = z.looseObject({});

type Kind = 'createMessage' | 'elicit' | 'listRoots';

const methods: readonly {
  kind: Kind;
  method: string;
  what: string;
  declared: keyof ClientCapabilities;
}[] = [
  {
    kind: 'createMessage',
    method: 'sampling/createMessage',
    what: 'sampling',
    declared: 'sampling',
  },
  { kind: 'elicit', method: 'elicitation/create', what: 'elicitation', declared: 'elicitation' },
  { kind: 'listRoots', method: 'roots/list', what: 'roots', declared: 'roots' },
];

/**
 * Routes the server's requests to whatever handler is current when they arrive (it may change
 * while connected), with the calls in flight that may have caused them. A kind that was declared
 * but whose handler is gone, or one never declared, gets a clear MCP error instead of silence.
 * Params and results cross as JSON; the SDK checks both against the spec (a malformed answer
 * becomes an error response to the server).
 */
export function installClientRequestHandlers(
  client: Client,
  serviceName: string,
  declared: ClientCapabilities,
  current: () => ClientRequestHandler | undefined,
  relatedCallIds: () => readonly string[],
): void {
  const missing = (method: string, what: string): ProtocolError =>
    new ProtocolError(
      ProtocolErrorCode.MethodNotFound,
      `Corral has no ${what} handler for MCP server '${serviceName}', so it cannot answer ` +
        `${method}. Set one with setClientRequestHandler() before the server starts.`,
    );
  for (const { kind, method, what, declared: capability } of methods) {
    if (!declared[capability]) continue;
    client.setRequestHandler(method, { params: anyParams }, (params, ctx): Promise<JsonObject> => {
      const handle = current()?.[kind];
      if (!handle) throw missing(method, what);
      const context: ClientRequestContext = {
        serviceName,
        signal: ctx.mcpReq.signal,
        relatedCallIds: relatedCallIds(),
      };
      return handle(toJsonObject(params), context);
    });
  }
  client.fallbackRequestHandler = (request) =>
    Promise.reject(missing(request.method, request.method.split('/')[0] ?? request.method));
}

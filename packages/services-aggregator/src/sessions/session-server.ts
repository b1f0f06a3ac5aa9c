// Logging, sampling, roots and elicitation are deprecated as of the 2026-07-28 revision; the
// servers behind still use them and the aggregator must pass them through.
/* eslint-disable @typescript-eslint/no-deprecated */
import {
  type JsonObject,
  loggingLevels,
  type ToolCallResult,
  type ToolProgress,
} from '@corral/core';
import { Server, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { toJsonObject } from '@corral/core';
import { CLIENT_REQUEST_TIMEOUT_MS, ClientSession } from './client-session.js';
import type { AggregatorFrontend, CallContext } from './frontend.js';

/** Who the aggregator says it is in `initialize`. */
export interface ServerIdentity {
  readonly name: string;
  readonly version: string;
  readonly instructions?: string;
}

// Params are checked by the SDK against the spec first; these schemas only pick out what the
// aggregator reads, and keep everything else.
const paginated = z.looseObject({ cursor: z.string().optional() }).optional();
const callParams = z.looseObject({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()).optional(),
});
const uriParams = z.looseObject({ uri: z.string() });
const promptParams = z.looseObject({
  name: z.string(),
  arguments: z.record(z.string(), z.string()).optional(),
});
const completeParams = z.looseObject({
  ref: z.looseObject({ type: z.string() }),
  argument: z.looseObject({ name: z.string(), value: z.string() }),
});
const setLevelParams = z.looseObject({ level: z.enum(loggingLevels) });
const anyResult = z.looseObject({});

/**
 * A client session's SDK `Server`, its handlers forwarding to the aggregator. Low-level request
 * handlers with the aggregator's own schemas pass every result through as the server behind
 * sent it (unknown fields included); the SDK still checks requests and tool results against
 * the spec.
 */
export function createClientSession(
  frontend: AggregatorFrontend,
  identity: ServerIdentity,
  id: string,
  transport: 'streamable-http' | 'stdio',
  now: number,
): ClientSession {
  const server = new Server(
    { name: identity.name, version: identity.version },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { listChanged: true, subscribe: true },
        prompts: { listChanged: true },
        completions: {},
        logging: {},
      },
      ...(identity.instructions === undefined ? {} : { instructions: identity.instructions }),
    },
  );
  const session = new ClientSession(id, transport, server, now);

  server.setRequestHandler('tools/list', { params: paginated }, async () => {
    await frontend.settled();
    return { tools: frontend.listTools() };
  });
  server.setRequestHandler('tools/call', { params: callParams }, async (params, ctx) =>
    callTool(frontend, session, params.name, toJsonObject(params.arguments ?? {}), ctx),
  );
  server.setRequestHandler('resources/list', { params: paginated }, async () => {
    await frontend.settled();
    return { resources: frontend.listResources() };
  });
  server.setRequestHandler('resources/templates/list', { params: paginated }, async () => {
    await frontend.settled();
    return { resourceTemplates: await frontend.listResourceTemplates() };
  });
  server.setRequestHandler('resources/read', { params: uriParams }, (params, ctx) =>
    frontend.readResource(params.uri, ctx.mcpReq.signal),
  );
  server.setRequestHandler('resources/subscribe', { params: uriParams }, async (params, ctx) => {
    await frontend.subscribe(session, params.uri, ctx.mcpReq.signal);
    return {};
  });
  server.setRequestHandler('resources/unsubscribe', { params: uriParams }, async (params, ctx) => {
    await frontend.unsubscribe(session, params.uri, ctx.mcpReq.signal);
    return {};
  });
  server.setRequestHandler('prompts/list', { params: paginated }, async () => {
    await frontend.settled();
    return { prompts: frontend.listPrompts() };
  });
  server.setRequestHandler('prompts/get', { params: promptParams }, (params, ctx) =>
    frontend.getPrompt(params.name, params.arguments ?? {}, ctx.mcpReq.signal),
  );
  server.setRequestHandler('completion/complete', { params: completeParams }, (params, ctx) =>
    frontend.complete(toJsonObject(params), ctx.mcpReq.signal),
  );
  server.setRequestHandler('logging/setLevel', { params: setLevelParams }, async (params) => {
    await frontend.setLoggingLevel(session, params.level);
    return {};
  });
  server.setNotificationHandler('notifications/roots/list_changed', () => {
    frontend.rootsChanged();
  });
  session.onClosed(() => {
    frontend.sessionClosed(session);
  });
  return session;
}

/**
 * One tool call: progress goes back under the client's own token, every report sent before
 * the result (the last one is never overtaken by it); requests the server behind makes go out
 * on this call's own stream.
 */
async function callTool(
  frontend: AggregatorFrontend,
  session: ClientSession,
  name: string,
  args: JsonObject,
  ctx: ServerContext,
): Promise<ToolCallResult> {
  const token = ctx.mcpReq._meta?.progressToken;
  const sent: Promise<void>[] = [];
  const onProgress =
    token === undefined
      ? undefined
      : (progress: ToolProgress): void => {
          sent.push(
            ctx.mcpReq
              .notify({
                method: 'notifications/progress',
                params: { progressToken: token, ...progress },
              })
              .catch(() => undefined),
          );
        };
  const context: CallContext = {
    session,
    signal: ctx.mcpReq.signal,
    onProgress,
    sendToClient: async (method, params, signal) =>
      toJsonObject(
        await ctx.mcpReq.send({ method, params }, anyResult, {
          signal,
          timeout: CLIENT_REQUEST_TIMEOUT_MS,
          resetTimeoutOnProgress: true,
        }),
      ),
  };
  try {
    return await frontend.callTool(name, args, context);
  } finally {
    await Promise.all(sent);
  }
}

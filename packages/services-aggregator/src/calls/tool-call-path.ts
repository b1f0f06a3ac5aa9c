import { randomUUID } from 'node:crypto';
import {
  type Clock,
  describeError,
  type JsonObject,
  type Logger,
  type ToolCallObserver,
  type ToolCallRecord,
  type ToolCallResult,
} from '@corral/core';
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { Catalog } from '../catalog/catalog.js';
import type { CallContext } from '../sessions/frontend.js';
import type { CallRegistry } from './call-registry.js';
import { deniedResult, exposedResult, failedResult } from './tool-results.js';

export interface ToolCallPathOptions {
  readonly catalog: () => Catalog;
  readonly calls: CallRegistry;
  readonly observers: () => readonly ToolCallObserver[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** Why a tool that is not listed is missing (its server is stopped, …), when known. */
  readonly unavailable?: (name: string) => string | undefined;
}

const ignoreProgress = (): void => undefined;

/**
 * The one path every tool call takes, whoever makes it (a client directly, or `call_tool`):
 * name → source, the denylist, the call with progress, cancellation and a timeout that
 * progress resets, the result passed through as sent, and one record for the observers.
 */
export class ToolCallPath {
  constructor(private readonly options: ToolCallPathOptions) {}

  async call(name: string, args: JsonObject, context: CallContext): Promise<ToolCallResult> {
    const catalog = this.options.catalog();
    const tool = catalog.tool(name);
    const provider = tool?.source.tools;
    if (!tool || !provider) {
      const reason = this.options.unavailable?.(name);
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        reason === undefined
          ? `Unknown tool '${name}': no running server offers it (any more). List the tools again.`
          : `Unknown tool '${name}': it is not available now: ${reason}.`,
      );
    }
    const started = this.options.clock.now();
    if (tool.denial) {
      this.record({ service: tool.source.key, tool: tool.original, started, outcome: 'denied' });
      return deniedResult(tool);
    }
    const callId = randomUUID();
    this.options.calls.add(callId, {
      session: context.session,
      sendToClient: context.sendToClient,
    });
    let outcome: ToolCallRecord['outcome'] = 'error';
    try {
      const result = await provider.callTool(tool.original, args, {
        callId,
        signal: context.signal,
        // Always asked for, so that progress keeps the call's timeout from running out.
        onProgress: context.onProgress ?? ignoreProgress,
        resetTimeoutOnProgress: true,
      });
      outcome = result.isError === true ? 'tool_error' : 'ok';
      return exposedResult(result, (uri) => catalog.exposeUri(tool.source, uri));
    } catch (error) {
      // What the server answered with an MCP error reaches the client as that error.
      if (ProtocolError.isInstance(error) || context.signal.aborted) throw error;
      this.options.logger.warn(`tool call ${name} failed: ${describeError(error)}`, {
        service: tool.source.key,
      });
      return failedResult(tool, error);
    } finally {
      this.options.calls.delete(callId);
      this.record({ service: tool.source.key, tool: tool.original, started, outcome });
    }
  }

  /** Tells every observer; one that throws is logged and never breaks the call. */
  record(entry: {
    service: string;
    tool: string;
    started: number;
    outcome: ToolCallRecord['outcome'];
  }): void {
    const record: ToolCallRecord = {
      service: entry.service,
      tool: entry.tool,
      durationMs: this.options.clock.now() - entry.started,
      outcome: entry.outcome,
    };
    for (const observer of this.options.observers()) {
      try {
        observer.onToolCall(record);
      } catch (error) {
        this.options.logger.error(`a tool-call observer threw: ${describeError(error)}`);
      }
    }
  }
}

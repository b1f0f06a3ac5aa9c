import { describeError, type ToolCallResult } from '@corral/core';
import type { ExposedTool } from '../catalog/catalog.js';
import { DENIED_META_KEY } from '../catalog/catalog.js';
import { describeSource } from '../catalog/catalog-source.js';
import { isJsonObject } from '@corral/core';
import { rewriteContentUris, type UriMapper } from '../passthrough/uri-rewriting.js';

/** A tool error whose text is `text`. */
export function errorResult(text: string): ToolCallResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** What a refused call returns: why, and the two ways to allow it. */
export function deniedResult(tool: ExposedTool): ToolCallResult {
  const denial = tool.denial;
  const why =
    denial === undefined
      ? 'it is on the denylist'
      : `it matches the denylist entry '${denial.entry}'` +
        (denial.from === 'default' ? " (Corral's default list of destructive tools)" : '');
  return {
    ...errorResult(
      `Corral refused to call '${tool.name}' (tool '${tool.original}' of ` +
        `${describeSource(tool.source)}): ${why}. Destructive tools are blocked so an agent ` +
        `cannot run them unasked. To allow it, add '${tool.name}' to the aggregator's ` +
        'denylist.allow in the configuration, or run the aggregator with yolo: true ' +
        '(corral serve --yolo) to lift the denylist.',
    ),
    _meta: {
      [DENIED_META_KEY]: denial ? { entry: denial.entry, from: denial.from } : true,
    },
  };
}

/** A call that threw (the server stopped, the connection broke, it timed out). */
export function failedResult(tool: ExposedTool, error: unknown): ToolCallResult {
  return errorResult(
    `Corral could not call '${tool.name}' (tool '${tool.original}' of ` +
      `${describeSource(tool.source)}): ${describeError(error)}`,
  );
}

/**
 * The result as the server sent it, with the URIs of resource links and embedded resources
 * mapped to ones the client can read back. Structured content that is not an object (allowed
 * since the 2026 revision) is wrapped as `{ result }` with a text rendering, the way the SDK
 * serves it to a 2025-era client.
 */
export function exposedResult(result: ToolCallResult, map: UriMapper): ToolCallResult {
  const content = rewriteContentUris(result.content, map);
  const structured = result.structuredContent;
  if (structured === undefined || isJsonObject(structured)) return { ...result, content };
  const hasText = content.some((block) => block['type'] === 'text');
  return {
    ...result,
    content: hasText ? content : [...content, { type: 'text', text: JSON.stringify(structured) }],
    structuredContent: { result: structured },
  };
}

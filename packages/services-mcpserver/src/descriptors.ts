import type {
  PromptDescriptor,
  PromptResult,
  ResourceDescriptor,
  ResourceReadResult,
  ToolCallResult,
  ToolDescriptor,
} from '@corral/core';
import { toJsonObject } from './json.js';

/**
 * SDK values to core's capability shapes. Every field the server sent is kept (icons,
 * execution, annotations, _meta, …) so that a server looks the same through the aggregator as
 * it does directly; the fields core names are checked to have the type core promises.
 */

export function toToolDescriptor(tool: { name: string; inputSchema: unknown }): ToolDescriptor {
  return { ...toJsonObject(tool), name: tool.name, inputSchema: toJsonObject(tool.inputSchema) };
}

export function toResourceDescriptor(resource: { uri: string; name: string }): ResourceDescriptor {
  return { ...toJsonObject(resource), uri: resource.uri, name: resource.name };
}

export function toPromptDescriptor(prompt: { name: string }): PromptDescriptor {
  return { ...toJsonObject(prompt), name: prompt.name };
}

/** A resource template, as `resources/templates/list` describes it. */
export interface ResourceTemplateDescriptor {
  readonly uriTemplate: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  readonly [field: string]: unknown;
}

export function toResourceTemplateDescriptor(template: {
  uriTemplate: string;
  name: string;
}): ResourceTemplateDescriptor {
  return { ...toJsonObject(template), uriTemplate: template.uriTemplate, name: template.name };
}

export function toToolCallResult(result: { content?: unknown }): ToolCallResult {
  const json = toJsonObject(result);
  const content = Array.isArray(result.content) ? result.content.map(toJsonObject) : [];
  // Core types structured content as an object; anything else the server sent stays out.
  const { structuredContent, ...rest } = json;
  return {
    ...rest,
    content,
    ...(isObject(structuredContent) ? { structuredContent } : {}),
  };
}

export function toResourceReadResult(result: { contents: readonly unknown[] }): ResourceReadResult {
  return { ...toJsonObject(result), contents: result.contents.map(toJsonObject) };
}

export function toPromptResult(result: { messages: readonly unknown[] }): PromptResult {
  return { ...toJsonObject(result), messages: result.messages.map(toJsonObject) };
}

function isObject<T>(value: T): value is Extract<T, Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

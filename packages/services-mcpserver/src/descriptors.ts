import type {
  PromptDescriptor,
  PromptResult,
  ResourceDescriptor,
  ResourceReadResult,
  ResourceTemplateDescriptor,
  ToolCallResult,
  ToolDescriptor,
} from '@corral/core';
import { toJsonObject } from '@corral/core';

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

export function toResourceTemplateDescriptor(template: {
  uriTemplate: string;
  name: string;
}): ResourceTemplateDescriptor {
  return { ...toJsonObject(template), uriTemplate: template.uriTemplate, name: template.name };
}

/** Every field is kept, structured content of any JSON type included. */
export function toToolCallResult(result: { content?: unknown }): ToolCallResult {
  const content = Array.isArray(result.content) ? result.content.map(toJsonObject) : [];
  return { ...toJsonObject(result), content };
}

export function toResourceReadResult(result: { contents: readonly unknown[] }): ResourceReadResult {
  return { ...toJsonObject(result), contents: result.contents.map(toJsonObject) };
}

export function toPromptResult(result: { messages: readonly unknown[] }): PromptResult {
  return { ...toJsonObject(result), messages: result.messages.map(toJsonObject) };
}

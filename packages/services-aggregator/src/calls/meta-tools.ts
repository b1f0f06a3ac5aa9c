import type { JsonObject, ToolCallResult, ToolDescriptor } from '@corral/core';
import { z } from 'zod';
import type { Catalog, ExposedTool } from '../catalog/catalog.js';
import { toJsonObject } from '@corral/core';
import type { CallContext } from '../sessions/frontend.js';
import { errorResult } from './tool-results.js';

/** The meta-tools' names: reserved, so no server's tool can take them. */
export const META_TOOL_NAMES = [
  'list_tools',
  'filter_tools',
  'describe_tool',
  'call_tool',
] as const;
export type MetaToolName = (typeof META_TOOL_NAMES)[number];

const listArgs = z.strictObject({
  server: z.string().optional().describe('Only the tools of this server (its name).'),
});
const filterArgs = z.strictObject({
  pattern: z
    .string()
    .optional()
    .describe('A glob on the tool name: * for any characters, ? for one, e.g. "x_github_*".'),
  query: z
    .string()
    .optional()
    .describe('Words that must all appear in the name, title or description (any case).'),
  server: z.string().optional().describe('Only the tools of this server (its name).'),
  limit: z.number().int().min(1).max(1000).optional().describe('At most this many (default 50).'),
});
const describeArgs = z.strictObject({
  name: z.string().describe('The tool name, as list_tools or filter_tools gave it.'),
});
const callArgs = z.strictObject({
  name: z.string().describe('The tool name, as list_tools or filter_tools gave it.'),
  arguments: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("The tool's arguments, matching the inputSchema describe_tool gives."),
});

const SUMMARY_LENGTH = 160;
const DEFAULT_FILTER_LIMIT = 50;

/** The four meta-tools as clients see them. */
export function metaToolDescriptors(): ToolDescriptor[] {
  return [
    descriptor(
      'list_tools',
      'List every tool Corral can call, with its server and a one-line summary. Use ' +
        'describe_tool for a tool’s arguments and call_tool to call it.',
      listArgs,
    ),
    descriptor(
      'filter_tools',
      'Find tools by a name glob and/or words in their name, title or description.',
      filterArgs,
    ),
    descriptor(
      'describe_tool',
      'The full description and input schema of one tool, by name.',
      describeArgs,
    ),
    descriptor(
      'call_tool',
      'Call a tool by name with its arguments; returns exactly what the tool returns.',
      callArgs,
    ),
  ];
}

export function isMetaToolName(name: string): name is MetaToolName {
  return (META_TOOL_NAMES as readonly string[]).includes(name);
}

/**
 * For fleets with more tools than clients accept (many cap at 40–128): a few tools that find,
 * describe and call all the others. `call_tool` takes the one call path, so the denylist and
 * everything else apply exactly as to a direct call.
 */
export class MetaTools {
  constructor(
    private readonly catalog: () => Catalog,
    private readonly callTool: (
      name: string,
      args: JsonObject,
      context: CallContext,
    ) => Promise<ToolCallResult>,
    /** Why a tool that is not listed is missing (its server is stopped, …), when known. */
    private readonly unavailable: (name: string) => string | undefined = () => undefined,
  ) {}

  async call(name: MetaToolName, args: JsonObject, context: CallContext): Promise<ToolCallResult> {
    switch (name) {
      case 'list_tools': {
        const parsed = listArgs.safeParse(args);
        if (!parsed.success) return invalid(name, parsed.error);
        return this.listing(this.tools(parsed.data.server));
      }
      case 'filter_tools': {
        const parsed = filterArgs.safeParse(args);
        if (!parsed.success) return invalid(name, parsed.error);
        const { pattern, query, server, limit = DEFAULT_FILTER_LIMIT } = parsed.data;
        const glob = pattern === undefined ? undefined : globToRegExp(pattern);
        const words = (query ?? '')
          .toLowerCase()
          .split(/\s+/)
          .filter((w) => w !== '');
        const found = this.tools(server).filter((tool) => {
          if (glob && !glob.test(tool.name)) return false;
          const text =
            `${tool.name} ${tool.descriptor.title ?? ''} ${tool.descriptor.description ?? ''}`.toLowerCase();
          return words.every((word) => text.includes(word));
        });
        return this.listing(found.slice(0, limit), found.length);
      }
      case 'describe_tool': {
        const parsed = describeArgs.safeParse(args);
        if (!parsed.success) return invalid(name, parsed.error);
        const tool = this.catalog().tool(parsed.data.name);
        if (!tool) return this.unknownTool(parsed.data.name);
        const described = toJsonObject({ ...tool.descriptor, server: tool.source.key });
        return {
          content: [{ type: 'text', text: JSON.stringify(described) }],
          structuredContent: described,
        };
      }
      case 'call_tool': {
        const parsed = callArgs.safeParse(args);
        if (!parsed.success) return invalid(name, parsed.error);
        if (isMetaToolName(parsed.data.name)) {
          return errorResult('call_tool calls the other tools: call the meta-tools directly.');
        }
        if (!this.catalog().tool(parsed.data.name)) return this.unknownTool(parsed.data.name);
        return this.callTool(parsed.data.name, toJsonObject(parsed.data.arguments ?? {}), context);
      }
    }
  }

  private unknownTool(name: string): ToolCallResult {
    const reason = this.unavailable(name);
    return errorResult(
      reason === undefined
        ? `No tool is called '${name}'. Use list_tools or filter_tools to find one.`
        : `The tool '${name}' is not available now: ${reason}.`,
    );
  }

  private tools(server: string | undefined): ExposedTool[] {
    const all = this.catalog().tools;
    return server === undefined ? [...all] : all.filter((t) => t.source.key === server);
  }

  private listing(tools: readonly ExposedTool[], total = tools.length): ToolCallResult {
    const entries = tools.map((tool) => ({
      name: tool.name,
      server: tool.source.key,
      summary: summary(tool.descriptor.title ?? tool.descriptor.description ?? ''),
      ...(tool.denial ? { blocked: true } : {}),
    }));
    const structured = { tools: entries, total };
    return {
      content: [{ type: 'text', text: JSON.stringify(structured) }],
      structuredContent: structured,
    };
  }
}

function descriptor(name: MetaToolName, description: string, schema: z.ZodType): ToolDescriptor {
  const inputSchema = toJsonObject(z.toJSONSchema(schema));
  delete inputSchema['$schema'];
  return { name, description, inputSchema, annotations: { title: name } };
}

function summary(text: string): string {
  const line = text.split('\n')[0]?.trim() ?? '';
  return line.length > SUMMARY_LENGTH ? `${line.slice(0, SUMMARY_LENGTH - 1)}…` : line;
}

function invalid(name: string, error: z.ZodError): ToolCallResult {
  return errorResult(`Invalid arguments for ${name}: ${z.prettifyError(error)}`);
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

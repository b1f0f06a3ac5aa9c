import {
  BaseService,
  type CorralPlugin,
  definePlugin,
  type JsonObject,
  type ToolCallResult,
  type ToolDescriptor,
  type ToolProvider,
  type Unsubscribe,
} from '@corral/core';
import { z } from 'zod';

/** What a static tool returns: its own result, or `<service>:<tool>` as text. */
export type StaticResult = (args: JsonObject) => ToolCallResult | Promise<ToolCallResult>;

const configSchema = z.object({
  tools: z.array(z.string()),
  toolPrefix: z.string().optional(),
});

/**
 * A service whose tools are given by name in its config: no process, fully predictable names,
 * for naming, collision and denylist tests. A call answers `<service>:<tool>` unless the test
 * set a result for that tool.
 */
export class StaticToolsService extends BaseService implements ToolProvider {
  readonly toolPrefix: string | undefined;
  readonly results = new Map<string, StaticResult>();
  private names: string[];
  private readonly toolListeners = new Set<() => void>();

  constructor(name: string, config: z.infer<typeof configSchema>, autoStart: boolean) {
    super({ name, type: 'StaticTools', autoStart });
    this.names = config.tools;
    this.toolPrefix = config.toolPrefix;
  }

  protected doStart(): Promise<void> {
    return Promise.resolve();
  }

  protected doStop(): Promise<void> {
    return Promise.resolve();
  }

  listTools(): readonly ToolDescriptor[] {
    if (this.state !== 'running') return [];
    return this.names.map((name) => ({
      name,
      description: `static tool ${name}`,
      inputSchema: { type: 'object' },
    }));
  }

  async callTool(name: string, args: JsonObject): Promise<ToolCallResult> {
    const custom = this.results.get(name);
    if (custom) return custom(args);
    return Promise.resolve({ content: [{ type: 'text', text: `${this.name}:${name}` }] });
  }

  onToolsChanged(listener: () => void): Unsubscribe {
    this.toolListeners.add(listener);
    return () => this.toolListeners.delete(listener);
  }

  /** Replaces the tool list and says so. */
  setTools(names: string[]): void {
    this.names = names;
    for (const listener of this.toolListeners) listener();
  }
}

export const staticToolsPlugin: CorralPlugin = definePlugin({
  id: 'static-tools',
  register(context) {
    context.registerServiceType({
      type: 'StaticTools',
      configSchema,
      create: ({ name, config, autoStart }) => new StaticToolsService(name, config, autoStart),
    });
  },
});

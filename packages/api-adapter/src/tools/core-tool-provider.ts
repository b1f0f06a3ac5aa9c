import type {
  JsonObject,
  ToolCallResult,
  ToolDescriptor,
  ToolProvider,
  Unsubscribe,
} from '@corral/core';
import { UnknownToolError } from '../errors.js';
import type { ServiceManagement } from '../service-management.js';
import { type CoreTool, coreTools } from './core-tools.js';
import { errorResult, successResult } from './results.js';

const noop: Unsubscribe = () => undefined;

/**
 * The `core_*` tools as a `ToolProvider` that is not a service: the aggregator finds it under
 * `CoreTokens.ToolProvider` and exposes each tool as `core_<name>`. A failure (unknown service,
 * a start that failed, a bad argument) is a tool error whose text says why.
 */
export class CoreToolProvider implements ToolProvider {
  readonly toolPrefix = 'core';
  private readonly byName: ReadonlyMap<string, CoreTool>;

  constructor(private readonly api: ServiceManagement) {
    this.byName = new Map(coreTools.map((tool) => [tool.descriptor.name, tool]));
  }

  listTools(): readonly ToolDescriptor[] {
    return coreTools.map((tool) => tool.descriptor);
  }

  /** Throws `UnknownToolError` for a name it does not offer; everything else is a result. */
  async callTool(name: string, args: JsonObject): Promise<ToolCallResult> {
    const tool = this.byName.get(name);
    if (!tool) throw new UnknownToolError(name, [...this.byName.keys()]);
    try {
      return successResult(await tool.run(this.api, args));
    } catch (error) {
      return errorResult(error);
    }
  }

  /** The list never changes. */
  onToolsChanged(): Unsubscribe {
    return noop;
  }
}

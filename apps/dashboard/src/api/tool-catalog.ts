import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { ToolInfo } from '../model/types.js';
import type { GatewayToken } from './gateway-token.js';

/** What a tool call returned, as the dashboard shows it. */
export interface ToolCallOutcome {
  readonly isError: boolean;
  readonly content: readonly Readonly<Record<string, unknown>>[];
  readonly structuredContent?: unknown;
}

/**
 * The tools exactly as an agent sees them: an MCP client on the gateway's own endpoint (same
 * origin, so its Origin check passes), listing and calling through the aggregator — denylist
 * annotations, names and refusals included. The list follows `tools/list_changed`.
 */
export class ToolCatalog extends EventTarget {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  tools: readonly ToolInfo[] = [];
  /** Why the tools could not be listed, until they can. */
  error: string | undefined;

  /** `token`'s value is read once: make a new catalog when it changes. */
  constructor(
    private readonly endpoint: URL,
    private readonly token: GatewayToken,
  ) {
    super();
  }

  /** Lists the tools again (connecting first if needed). */
  async refresh(): Promise<void> {
    try {
      const { tools } = await this.withClient((client) => client.listTools());
      this.tools = tools as readonly ToolInfo[];
      this.error = undefined;
    } catch (error) {
      this.error = `Could not list tools over MCP: ${messageOf(error)}`;
    }
    this.dispatchEvent(new Event('change'));
  }

  async call(name: string, args: Record<string, unknown>): Promise<ToolCallOutcome> {
    const result = await this.withClient((client) => client.callTool({ name, arguments: args }));
    return {
      isError: result.isError === true,
      content: Array.isArray(result.content) ? result.content : [],
      structuredContent: result.structuredContent,
    };
  }

  /** Ends the MCP session, so the gateway need not wait for it to idle out. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    await client?.close().catch(() => undefined);
  }

  /** Runs `use` on a connected client; a lost session (gateway restarted) is opened again once. */
  private async withClient<T>(use: (client: Client) => Promise<T>): Promise<T> {
    try {
      return await use(await this.connect());
    } catch (error) {
      if (!(await this.isClosed())) throw error;
      await this.close();
      return use(await this.connect());
    }
  }

  private async isClosed(): Promise<boolean> {
    const client = this.client;
    if (!client) return true;
    try {
      await client.ping();
      return false;
    } catch {
      return true;
    }
  }

  private connect(): Promise<Client> {
    this.connecting ??= (async () => {
      const client = new Client(
        { name: 'corral-dashboard', version: '0.1.0' },
        {
          listChanged: {
            tools: {
              onChanged: (error, tools) => {
                if (error || tools === null) {
                  void this.refresh();
                  return;
                }
                this.tools = tools as readonly ToolInfo[];
                this.error = undefined;
                this.dispatchEvent(new Event('change'));
              },
            },
          },
        },
      );
      // The token as it is now on every request of this session; a 401 makes the page ask.
      const transport = new StreamableHTTPClientTransport(this.endpoint, {
        fetch: this.token.sender().fetch,
      });
      await client.connect(transport);
      this.client = client;
      return client;
    })().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

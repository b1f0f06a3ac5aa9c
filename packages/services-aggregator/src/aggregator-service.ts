import { createRequire } from 'node:module';
import type { Readable, Writable } from 'node:stream';
import {
  BaseService,
  type Clock,
  type HttpRouteProvider,
  isToolProvider,
  type JsonObject,
  type Logger,
  type Orchestrator,
  type ServiceDataProvider,
  type ServiceOptions,
  type ServiceRegistry,
  silentLogger,
  systemClock,
  type ToolCallObserver,
  type ToolProvider,
} from '@corral/core';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import {
  type AggregatorConfig,
  type AggregatorSettings,
  resolveAggregatorSettings,
} from './config.js';
import { FleetAggregator } from './fleet-aggregator.js';
import { HttpGateway } from './http/http-gateway.js';
import type { ClientRequestRouter } from './passthrough/client-request-router.js';
import { StreamableEndpoint } from './sessions/streamable-endpoint.js';

/** What other plugins contribute, read when the aggregator starts. */
export interface AggregatorContributions {
  /** `CoreTokens.ToolProvider`: tool providers that are not services (the `core_*` tools). */
  readonly toolProviders: () => readonly ToolProvider[];
  /** `CoreTokens.ToolCallObserver`: told of every tool call. */
  readonly observers: () => readonly ToolCallObserver[];
  /** `CoreTokens.HttpRoutes`: served on the same HTTP server. */
  readonly routes: () => readonly HttpRouteProvider[];
}

export interface AggregatorServiceOptions extends Omit<ServiceOptions, 'type'> {
  /** A validated config (see `aggregatorConfigSchema`); defaults are applied here. */
  readonly config: AggregatorConfig;
  readonly registry: ServiceRegistry;
  /** For the readiness hook (the `registered` signal); without it, none is installed. */
  readonly orchestrator?: Orchestrator;
  /** Routes servers' sampling, elicitation and roots requests to clients. */
  readonly clientRequests?: ClientRequestRouter;
  readonly contributions?: Partial<AggregatorContributions>;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Where `stdio: true` serves (default: this process's stdin and stdout). */
  readonly stdioStreams?: { readonly input: Readable; readonly output: Writable };
}

/** Largest message accepted from a stdio client. */
const MAX_STDIO_MESSAGE_BYTES = 64 * 1024 * 1024;

const instructions =
  'Corral serves the tools, resources and prompts of several MCP servers through this one ' +
  'endpoint. Tools are named <prefix>_<server>_<tool>; core_* tools manage the servers. ' +
  'Destructive tools may be blocked: their description says so, and calling one explains how ' +
  'the user can allow it.';

/**
 * The `Aggregator` service: one MCP endpoint over everything the running services offer through
 * core's capability interfaces — streamable HTTP (one SDK server per client session) and/or
 * stdio — plus the HTTP routes other plugins contribute. While it runs, every `ToolProvider`
 * service's start waits until its tools are registered here (DESIGN §4.2).
 */
export class AggregatorService extends BaseService implements ServiceDataProvider {
  readonly settings: AggregatorSettings;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private aggregator: FleetAggregator | undefined;
  private endpoint: StreamableEndpoint | undefined;
  private gateway: HttpGateway | undefined;
  private removeHook: (() => void) | undefined;
  private detachRouter: (() => void) | undefined;
  private stdioEnded: (() => void) | undefined;
  private stdioClosedPromise: Promise<void> = Promise.resolve();

  constructor(private readonly options: AggregatorServiceOptions) {
    super({ ...options, type: 'Aggregator' });
    this.settings = resolveAggregatorSettings(options.config);
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
  }

  /** `http://127.0.0.1:8090/mcp` while serving HTTP. */
  get url(): string | undefined {
    return this.gateway?.url;
  }

  /** Client sessions open now (streamable HTTP and stdio). */
  get sessionCount(): number {
    return this.aggregator?.sessions.size ?? 0;
  }

  /** Resolves when the stdio client closes its end (a gateway run over stdio should exit then). */
  get stdioClosed(): Promise<void> {
    return this.stdioClosedPromise;
  }

  protected async doStart(signal: AbortSignal): Promise<void> {
    const { options, settings } = this;
    const contributions = options.contributions ?? {};
    const aggregator = new FleetAggregator({
      name: this.name,
      self: this,
      settings,
      registry: options.registry,
      toolProviders: contributions.toolProviders?.() ?? [],
      observers: contributions.observers?.() ?? [],
      identity: { name: 'corral', version: packageVersion(), instructions },
      clock: this.clock,
      logger: this.logger,
    });
    this.aggregator = aggregator;
    aggregator.start();
    this.detachRouter = options.clientRequests?.attach(aggregator);
    this.removeHook = options.orchestrator?.addReadinessHook({
      name: `aggregator '${this.name}'`,
      waitFor: (service) => {
        if (service === this || !isToolProvider(service) || this.aggregator !== aggregator) {
          return undefined;
        }
        aggregator.registered(service);
        return Promise.resolve();
      },
    });
    if (settings.http) {
      const endpoint = new StreamableEndpoint(
        aggregator.sessions,
        (id) => aggregator.openSession(id, 'streamable-http'),
        this.clock,
      );
      this.endpoint = endpoint;
      this.gateway = new HttpGateway({
        host: settings.host,
        port: settings.port,
        path: settings.path,
        allowedHosts: settings.allowedHosts,
        allowedOrigins: settings.allowedOrigins,
        token: settings.token,
        mcp: (request) => endpoint.handle(request),
        routes: contributions.routes?.() ?? [],
        logger: this.logger,
      });
      await this.gateway.listen();
      signal.throwIfAborted();
    }
    if (settings.stdio) await this.serveStdio(aggregator);
    this.logger.info(
      `aggregator '${this.name}' serving MCP` +
        (this.url === undefined ? '' : ` at ${this.url}`) +
        (settings.stdio ? ' on stdio' : ''),
      { service: this.name },
    );
  }

  protected async doStop(): Promise<void> {
    this.removeHook?.();
    this.removeHook = undefined;
    this.detachRouter?.();
    this.detachRouter = undefined;
    const gateway = this.gateway;
    const endpoint = this.endpoint;
    const aggregator = this.aggregator;
    this.gateway = undefined;
    this.endpoint = undefined;
    this.aggregator = undefined;
    await Promise.all([gateway?.close(), endpoint?.closeAll(), aggregator?.stop()]);
    this.stdioEnded?.();
  }

  /** Status: where it serves, how many sessions, what it serves. */
  getServiceData(): JsonObject {
    const catalog = this.aggregator?.catalog();
    return {
      url: this.url ?? null,
      stdio: this.settings.stdio,
      sessions: this.sessionCount,
      tools: catalog?.tools.length ?? 0,
      blockedTools: this.settings.yolo ? 0 : (catalog?.tools.filter((t) => t.denial).length ?? 0),
      resources: catalog?.resources.length ?? 0,
      prompts: catalog?.prompts.length ?? 0,
      sources: catalog ? [...catalog.sources].map((s) => s.key) : [],
      prefix: this.settings.prefix,
      metaTools: this.settings.metaTools,
      yolo: this.settings.yolo,
      tokenRequired: this.settings.token !== undefined,
    };
  }

  private async serveStdio(aggregator: FleetAggregator): Promise<void> {
    const streams = this.options.stdioStreams;
    const transport = new StdioServerTransport(
      streams?.input ?? process.stdin,
      streams?.output ?? process.stdout,
      { maxBufferSize: MAX_STDIO_MESSAGE_BYTES },
    );
    const session = aggregator.openSession('stdio', 'stdio');
    this.stdioClosedPromise = new Promise<void>((resolve) => {
      this.stdioEnded = resolve;
      session.onClosed(resolve);
    });
    aggregator.sessions.add(session);
    await session.server.connect(transport);
  }
}

function packageVersion(): string {
  try {
    const manifest: unknown = createRequire(import.meta.url)('../package.json');
    if (typeof manifest === 'object' && manifest !== null && 'version' in manifest) {
      return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
    }
  } catch {
    // bundled without its manifest: the version is only informative
  }
  return '0.0.0';
}

import {
  type Clock,
  describeError,
  isClientRequestReceiver,
  type JsonObject,
  type Logger,
  type LoggingLevel,
  type LogMessage,
  type PromptDescriptor,
  type PromptResult,
  type ResourceDescriptor,
  type ResourceReadResult,
  type ResourceTemplateDescriptor,
  type Service,
  type ServiceRegistry,
  type ToolCallObserver,
  type ToolCallResult,
  type ToolDescriptor,
  type ToolProvider,
} from '@corral/core';
import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  UriTemplate,
} from '@modelcontextprotocol/server';
import { CallRegistry, type InFlightCall } from './calls/call-registry.js';
import { Denylist } from './calls/denylist.js';
import {
  isMetaToolName,
  META_TOOL_NAMES,
  metaToolDescriptors,
  MetaTools,
} from './calls/meta-tools.js';
import { ToolCallPath } from './calls/tool-call-path.js';
import { unavailableToolReason } from './calls/unavailable-tool.js';
import { Catalog } from './catalog/catalog.js';
import {
  type CatalogSource,
  describeSource,
  pluginSource,
  serviceSource,
} from './catalog/catalog-source.js';
import { FleetWatcher } from './catalog/fleet-watcher.js';
import { ListNotifier } from './catalog/list-notifier.js';
import type { AggregatorSettings } from './config.js';
import { isJsonObject } from '@corral/core';
import type { ClientDirectory } from './passthrough/client-request-router.js';
import { LoggingRelay } from './passthrough/logging-relay.js';
import { ResourceSubscriptions } from './passthrough/resource-subscriptions.js';
import { TemplateCache } from './passthrough/template-cache.js';
import { rewriteMessageUris, rewriteResourceContents } from './passthrough/uri-rewriting.js';
import type { ClientSession, ListKind } from './sessions/client-session.js';
import type { AggregatorFrontend, CallContext } from './sessions/frontend.js';
import { SessionHub } from './sessions/session-hub.js';
import { createClientSession, type ServerIdentity } from './sessions/session-server.js';

export interface FleetAggregatorOptions {
  /** The aggregator service's name (records of meta-tool calls carry it). */
  readonly name: string;
  /** The aggregator service itself: never aggregated. */
  readonly self: object;
  readonly settings: AggregatorSettings;
  readonly registry: ServiceRegistry;
  /** Tool providers plugins offer (`CoreTokens.ToolProvider`): the `core_*` tools. */
  readonly toolProviders: readonly ToolProvider[];
  readonly observers: readonly ToolCallObserver[];
  readonly identity: ServerIdentity;
  readonly clock: Clock;
  readonly logger: Logger;
}

interface ResolvedUri {
  readonly source: CatalogSource;
  readonly original: string;
}

/**
 * What the aggregator does, transport aside: keeps the catalog of every running source, serves
 * it to every client session, routes each request to its source and passes everything back —
 * progress, cancellation, requests to the client, log messages, subscriptions — and tells
 * clients when their lists change.
 */
export class FleetAggregator implements AggregatorFrontend, ClientDirectory {
  readonly sessions: SessionHub;
  readonly calls = new CallRegistry();
  private readonly settings: AggregatorSettings;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly watcher: FleetWatcher;
  private readonly notifier: ListNotifier;
  private readonly path: ToolCallPath;
  private readonly meta: MetaTools;
  private readonly templates: TemplateCache;
  private readonly subscriptions: ResourceSubscriptions;
  private readonly logging: LoggingRelay;
  private readonly denylist: Denylist;
  private readonly reserved: ReadonlySet<string>;
  private current: Catalog | undefined;
  private dirty = true;
  private readonly warnedCollisions = new Set<string>();
  /** Listings waiting for starting servers (see `settled`). */
  private readonly settleWaiters = new Set<() => void>();

  constructor(private readonly options: FleetAggregatorOptions) {
    const { settings, clock, logger } = options;
    this.settings = settings;
    this.clock = clock;
    this.logger = logger;
    this.denylist = new Denylist(settings.denylist);
    this.reserved = new Set(settings.metaTools === 'off' ? [] : META_TOOL_NAMES);
    this.sessions = new SessionHub(clock, logger, settings.sessionIdleTimeoutMs);
    this.templates = new TemplateCache(clock, logger, settings.listDeadlineMs);
    this.subscriptions = new ResourceSubscriptions(logger);
    this.logging = new LoggingRelay(
      () => this.sessions.ready(),
      () => this.catalog().sources,
      logger,
    );
    const unavailable = (name: string): string | undefined =>
      unavailableToolReason(
        name,
        options.registry.list().filter((service) => service !== options.self),
        settings.prefix,
      );
    this.path = new ToolCallPath({
      catalog: () => this.catalog(),
      calls: this.calls,
      observers: () => options.observers,
      clock,
      logger,
      unavailable,
    });
    this.meta = new MetaTools(
      () => this.catalog(),
      (name, args, context) => this.path.call(name, args, context),
      unavailable,
    );
    this.notifier = new ListNotifier(
      clock,
      settings.debounceMs,
      (kind) => this.fingerprint(kind),
      (kind) => {
        this.sessions.broadcastListChanged(kind);
      },
    );
    this.watcher = new FleetWatcher(options.registry, options.self, {
      changed: (kind, name) => {
        this.dirty = true;
        if (kind === 'resources') this.templates.invalidate(name);
        this.notifier.changed(kind);
      },
      serviceUp: (name) => {
        this.dirty = true;
        this.templates.invalidate(name);
        const source = this.catalog().source(name);
        if (!source) return;
        this.templates.prefetch(source);
        this.subscriptions.resubscribe(source);
        this.logging.sourceUp(source);
      },
      serviceDown: (name) => {
        this.dirty = true;
        this.templates.forget(name);
        this.logging.sourceGone(name);
      },
      resourceUpdated: (name, uri) => {
        this.subscriptions.updated(name, uri);
      },
      logMessage: (name, message) => {
        this.logMessage(name, message);
      },
      transition: () => {
        for (const check of [...this.settleWaiters]) check();
      },
    });
  }

  start(): void {
    this.watcher.start();
    this.dirty = true;
    for (const source of this.catalog().sources) this.templates.prefetch(source);
    this.notifier.prime();
  }

  async stop(): Promise<void> {
    this.watcher.stop();
    this.notifier.stop();
    await this.sessions.closeAll();
  }

  /** A new client session under `id`, not yet connected to a transport. */
  openSession(id: string, transport: 'streamable-http' | 'stdio'): ClientSession {
    return createClientSession(this, this.options.identity, id, transport, this.clock.now());
  }

  /**
   * The `registered` signal (DESIGN §4.2): the catalog now holds `service`'s tools, so they are
   * callable. Resolves at once; templates are fetched in the background.
   */
  registered(service: Service): void {
    this.dirty = true;
    const source = this.catalog().source(service.name);
    if (!source) return;
    this.templates.prefetch(source);
    const tools = this.current?.tools.filter((t) => t.source === source).length ?? 0;
    this.logger.debug(`aggregator registered ${String(tools)} tools of '${service.name}'`, {
      service: service.name,
    });
  }

  /**
   * Resolves once no server is starting, or after the list deadline: a listing asked for while
   * the fleet comes up (a client connecting to a fresh gateway) includes the servers about to
   * be ready, and never waits longer than the deadline for one that is slow.
   */
  settled(): Promise<void> {
    if (!this.watcher.anyStarting()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        this.clock.clearTimeout(timer);
        this.settleWaiters.delete(check);
        resolve();
      };
      const check = (): void => {
        if (!this.watcher.anyStarting()) finish();
      };
      const timer = this.clock.setTimeout(finish, this.settings.listDeadlineMs);
      this.settleWaiters.add(check);
    });
  }

  /** The current snapshot, rebuilt first if anything changed since. */
  catalog(): Catalog {
    if (this.dirty || !this.current) {
      this.dirty = false;
      this.current = new Catalog(this.sources(), {
        denylist: this.denylist,
        yolo: this.settings.yolo,
        reservedToolNames: this.reserved,
      });
      this.warnAboutCollisions(this.current);
    }
    return this.current;
  }

  // ------------------------------------------------------------------------------------------
  // ClientDirectory

  call(callId: string): InFlightCall | undefined {
    return this.calls.get(callId);
  }

  readySessions(): readonly ClientSession[] {
    return this.sessions.ready();
  }

  // ------------------------------------------------------------------------------------------
  // AggregatorFrontend: tools

  listTools(): readonly ToolDescriptor[] {
    this.notifier.listed('tools');
    const mode = this.settings.metaTools;
    const direct = mode === 'replace' ? [] : this.catalog().tools.map((t) => t.descriptor);
    return mode === 'off' ? direct : [...metaToolDescriptors(), ...direct];
  }

  async callTool(name: string, args: JsonObject, context: CallContext): Promise<ToolCallResult> {
    if (this.settings.metaTools !== 'off' && isMetaToolName(name)) {
      if (name === 'call_tool') return this.meta.call(name, args, context);
      const started = this.clock.now();
      const result = await this.meta.call(name, args, context);
      this.path.record({
        service: this.options.name,
        tool: name,
        started,
        outcome: result.isError === true ? 'tool_error' : 'ok',
      });
      return result;
    }
    return this.path.call(name, args, context);
  }

  // ------------------------------------------------------------------------------------------
  // Resources

  listResources(): readonly ResourceDescriptor[] {
    this.notifier.listed('resources');
    return this.catalog().resources.map((r) => r.descriptor);
  }

  async listResourceTemplates(): Promise<readonly ResourceTemplateDescriptor[]> {
    const catalog = this.catalog();
    const listed = await this.templates.list(catalog.sources);
    return listed.flatMap(({ source, templates }) =>
      templates.map((template) => ({
        ...template,
        uriTemplate:
          source.prefix === ''
            ? template.uriTemplate
            : catalog.uris.encode(source.key, template.uriTemplate),
      })),
    );
  }

  async readResource(uri: string, signal: AbortSignal): Promise<ResourceReadResult> {
    const catalog = this.catalog();
    const target = this.resolveUri(catalog, uri);
    const provider = target?.source.resources;
    if (!target || !provider) throw new ResourceNotFoundError(uri, unknownUri(uri));
    const result = await provider.readResource(target.original, { signal });
    return {
      ...result,
      contents: rewriteResourceContents(result.contents, (u) =>
        catalog.exposeUri(target.source, u),
      ),
    };
  }

  async subscribe(session: ClientSession, uri: string, signal: AbortSignal): Promise<void> {
    const target = this.resolveUri(this.catalog(), uri);
    if (!target) throw new ResourceNotFoundError(uri, unknownUri(uri));
    if (!target.source.subscriptions) {
      throw new ProtocolError(
        ProtocolErrorCode.MethodNotFound,
        `${describeSource(target.source)} does not offer resource subscriptions`,
      );
    }
    await this.subscriptions.subscribe(session, target.source, target.original, uri, signal);
  }

  async unsubscribe(session: ClientSession, uri: string, signal: AbortSignal): Promise<void> {
    const target = this.resolveUri(this.catalog(), uri);
    if (!target) return;
    await this.subscriptions.unsubscribe(session, target.source, target.original, signal);
  }

  // ------------------------------------------------------------------------------------------
  // Prompts and completion

  listPrompts(): readonly PromptDescriptor[] {
    this.notifier.listed('prompts');
    return this.catalog().prompts.map((p) => p.descriptor);
  }

  async getPrompt(
    name: string,
    args: Readonly<Record<string, string>>,
    signal: AbortSignal,
  ): Promise<PromptResult> {
    const catalog = this.catalog();
    const prompt = catalog.prompt(name);
    const provider = prompt?.source.prompts;
    if (!prompt || !provider) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown prompt '${name}': no running server offers it (any more). List the prompts again.`,
      );
    }
    const result = await provider.getPrompt(prompt.original, args, { signal });
    return {
      ...result,
      messages: rewriteMessageUris(result.messages, (u) => catalog.exposeUri(prompt.source, u)),
    };
  }

  /** `completion/complete`: the reference mapped to the source's own prompt or template. */
  async complete(params: JsonObject, signal: AbortSignal): Promise<JsonObject> {
    const catalog = this.catalog();
    const ref = params['ref'];
    const none: JsonObject = { completion: { values: [], hasMore: false } };
    if (!isJsonObject(ref)) return none;
    let source: CatalogSource | undefined;
    let mapped: JsonObject | undefined;
    if (ref['type'] === 'ref/prompt' && typeof ref['name'] === 'string') {
      const prompt = catalog.prompt(ref['name']);
      if (prompt) {
        source = prompt.source;
        mapped = { ...ref, name: prompt.original };
      }
    } else if (ref['type'] === 'ref/resource' && typeof ref['uri'] === 'string') {
      const target = this.resolveUri(catalog, ref['uri']);
      if (target) {
        source = target.source;
        mapped = { ...ref, uri: target.original };
      }
    }
    if (!source?.completion || !mapped) return none;
    return source.completion.complete({ ...params, ref: mapped }, { signal });
  }

  // ------------------------------------------------------------------------------------------
  // Logging, roots, sessions

  async setLoggingLevel(session: ClientSession, level: LoggingLevel): Promise<void> {
    await this.logging.setLevel(session, level);
  }

  rootsChanged(): void {
    for (const service of this.options.registry.list()) {
      if (service.state !== 'running' || !isClientRequestReceiver(service)) continue;
      service.notifyRootsChanged?.().catch((error: unknown) => {
        this.logger.debug(`roots/list_changed to '${service.name}': ${describeError(error)}`);
      });
    }
  }

  sessionClosed(session: ClientSession): void {
    this.sessions.remove(session);
    this.subscriptions.dropSession(session);
  }

  // ------------------------------------------------------------------------------------------
  // Internals

  private sources(): CatalogSource[] {
    const services = this.watcher
      .runningServices()
      .map((service) => serviceSource(service.name, service, this.settings.prefix));
    const taken = new Set(services.map((s) => s.key));
    const plugins = this.options.toolProviders.map((provider, index) => {
      const prefix = provider.toolPrefix ?? 'core';
      const key = taken.has(prefix) ? `${prefix}-plugin-${String(index)}` : prefix;
      taken.add(key);
      return pluginSource(provider, key);
    });
    return [...plugins, ...services];
  }

  /**
   * The source and original URI behind an exposed URI: one listed, one in token form, or —
   * for transparent sources — the one whose templates match it.
   */
  private resolveUri(catalog: Catalog, uri: string): ResolvedUri | undefined {
    const listed = catalog.listedResource(uri);
    if (listed) return { source: listed.source, original: listed.original };
    const decoded = catalog.uris.decode(uri);
    const decodedSource = decoded ? catalog.source(decoded.sourceKey) : undefined;
    if (decoded && decodedSource) return { source: decodedSource, original: decoded.original };
    const transparent = catalog.transparentSources;
    const only = transparent[0];
    if (transparent.length === 1 && only) return { source: only, original: uri };
    const matching = transparent.filter((source) =>
      this.templates.cached(source.key).some((t) => matchesTemplate(t.uriTemplate, uri)),
    );
    const match = matching[0];
    return matching.length === 1 && match ? { source: match, original: uri } : undefined;
  }

  private logMessage(name: string, message: LogMessage): void {
    const source = this.catalog().source(name);
    if (source) this.logging.message(source, message);
  }

  private fingerprint(kind: ListKind): string {
    const catalog = this.catalog();
    if (kind === 'tools') return JSON.stringify(catalog.tools.map((t) => t.descriptor));
    if (kind === 'resources') return JSON.stringify(catalog.resources.map((r) => r.descriptor));
    return JSON.stringify(catalog.prompts.map((p) => p.descriptor));
  }

  private warnAboutCollisions(catalog: Catalog): void {
    for (const { kind, collision } of catalog.collisions) {
      const signature = `${kind}:${collision.name}:${collision.claimants
        .map((c) => `${c.owner}/${c.original}`)
        .join(',')}`;
      if (this.warnedCollisions.has(signature)) continue;
      this.warnedCollisions.add(signature);
      const who = collision.claimants
        .map((c) => `'${c.original}' of '${c.owner}' as '${c.name}'`)
        .join(', ');
      this.logger.warn(
        `${String(collision.claimants.length)} ${kind}s would be exposed as '${collision.name}': ` +
          `each keeps a name of its own (${who}). Give one of the servers a toolPrefix to avoid it.`,
      );
    }
  }
}

function matchesTemplate(template: string, uri: string): boolean {
  try {
    return new UriTemplate(template).match(uri) !== null;
  } catch {
    return false;
  }
}

function unknownUri(uri: string): string {
  return `Resource ${uri} not found: no running server offers it (any more). List the resources again.`;
}

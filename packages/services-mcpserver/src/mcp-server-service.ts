// Server logging is deprecated as of the 2026-07-28 revision; servers still use it.
/* eslint-disable @typescript-eslint/no-deprecated */
import {
  BaseService,
  type CallToolOptions,
  type ClientRequestHandler,
  type ClientRequestReceiver,
  type Clock,
  type CompletionProvider,
  describeError,
  type HealthChecker,
  type HealthCheckResult,
  type JsonObject,
  type Logger,
  type LoggingLevel,
  type LoggingProvider,
  type LogMessage,
  type PromptDescriptor,
  type PromptProvider,
  type PromptResult,
  type ResourceDescriptor,
  type ResourceProvider,
  type ResourceReadResult,
  type ResourceSubscriptionProvider,
  type ResourceTemplateDescriptor,
  type ResourceTemplateProvider,
  type ServiceDataProvider,
  type ServiceOptions,
  silentLogger,
  systemClock,
  type ToolCallResult,
  type ToolDescriptor,
  type ToolProvider,
  type Unsubscribe,
} from '@corral/core';
import { specTypeSchemas } from '@modelcontextprotocol/client';
import { type MCPServerConfig, type MCPServerSettings, resolveSettings } from './config.js';
import { Connection, type ListKind } from './connection.js';
import {
  toPromptResult,
  toResourceReadResult,
  toResourceTemplateDescriptor,
  toToolCallResult,
} from './descriptors.js';
import {
  MCPConnectionLostError,
  MCPInvalidParamsError,
  MCPServerNotRunningError,
  MCPSessionLostError,
  NotJsonRpcOutputError,
} from './errors.js';
import { MAX_NOT_JSON_RPC_LINES_IN_A_ROW } from './stdio/stdio-process-transport.js';
import { toJsonObject, toJsonValue } from '@corral/core';
import { LineRing } from './line-ring.js';
import {
  Redactor,
  redactArgs,
  redactUrl,
  redactValues,
  secretsInEnv,
  secretsInHeaders,
  secretsInUrl,
} from './redaction.js';
import { isSessionLost, isStreamFailure } from './remote/remote-transport.js';

export interface MCPServerServiceOptions extends Omit<ServiceOptions, 'type'> {
  /** A validated config (see `mcpServerConfigSchema`); defaults are applied here. */
  readonly config: MCPServerConfig;
  readonly logger?: Logger;
  /** For uptime; core's clock when built through the plugin. */
  readonly clock?: Clock;
  /** Answers the server's sampling, elicitation and roots requests (see `ClientRequestHandler`). */
  readonly clientRequestHandler?: ClientRequestHandler;
}

/** stderr lines kept for status and errors (DESIGN §6: a bounded ring of the last 200). */
const STDERR_RING = 200;
/** Of those, how many an error message quotes and status shows. */
const STDERR_IN_ERRORS = 10;
const STDERR_IN_STATUS = 20;
/** How much later than the ping's own timeout core gives up on a probe. */
const PROBE_DEADLINE_MARGIN_MS = 1_000;
/** How long the client of a forgotten session outlives its replacement (see `reestablish`). */
const LOST_SESSION_CLOSE_DELAY_MS = 5_000;
/** Connection warnings logged per window; the rest are counted and summed up. */
const WARNINGS_PER_WINDOW = 10;
const WARNING_WINDOW_MS = 10_000;

/**
 * One MCP server as a Corral service: a stdio child process in its own process group, or a
 * remote server over streamable HTTP or SSE, all through the SDK `Client`.
 *
 * - Start = spawn/connect + `initialize` + list tools, resources and prompts within `timeout`.
 * - Liveness: a stdio exit or a closed transport is reported at once; core pings through
 *   `checkHealth`; a streamable-HTTP session the server forgot is re-established once, then
 *   counts as a failure. Every failure goes to core's retry path.
 * - Capabilities: tools, resources and prompts (cached, re-listed on `list_changed`), with
 *   progress and cancellation passed through; resource templates and subscriptions, completion
 *   and logging; sampling, elicitation and roots requests from the server go to the
 *   `ClientRequestHandler`, with the calls in flight that may have caused them.
 * - Status never shows a secret.
 */
export class MCPServerService
  extends BaseService
  implements
    ToolProvider,
    ResourceProvider,
    ResourceTemplateProvider,
    ResourceSubscriptionProvider,
    PromptProvider,
    CompletionProvider,
    LoggingProvider,
    ClientRequestReceiver,
    HealthChecker,
    ServiceDataProvider
{
  readonly settings: MCPServerSettings;
  readonly toolPrefix: string | undefined;
  readonly healthCheckIntervalMs: number;
  readonly healthCheckTimeoutMs: number;
  readonly healthFailureThreshold: number;

  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly redactor: Redactor;
  private readonly displayUrl: string | undefined;
  private readonly stderr = new LineRing(STDERR_RING);
  private handler: ClientRequestHandler | undefined;
  /** The connection calls go through; `ready` once started. */
  private connection: Connection | undefined;
  /** Connections opened but not yet in service (a session being re-established). */
  private readonly pending = new Set<Connection>();
  /** Aborted by `doStop`: cancels whatever the current run still has in flight. */
  private run: AbortController | undefined;
  private recovery: Promise<Connection> | undefined;
  private startedAt: number | undefined;
  private sessionRecoveries = 0;
  private readonly changeListeners: Record<ListKind, Set<() => void>> = {
    tools: new Set(),
    resources: new Set(),
    prompts: new Set(),
  };
  private readonly resourceUpdateListeners = new Set<(uri: string) => void>();
  private readonly logListeners = new Set<(message: LogMessage) => void>();
  /** Tool calls in flight, by call id: what a request from the server may belong to. */
  private readonly callsInFlight = new Set<string>();
  private anonymousCalls = 0;
  private warningWindowStart = Number.NEGATIVE_INFINITY;
  private warningsInWindow = 0;
  private warningsSuppressed = 0;

  constructor(options: MCPServerServiceOptions) {
    super({ ...options, type: 'MCPServer' });
    this.settings = resolveSettings(options.config);
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.handler = options.clientRequestHandler;
    this.toolPrefix = this.settings.toolPrefix;
    this.healthCheckIntervalMs = this.settings.ping.intervalMs;
    // Core's deadline is a backstop: the ping's own timeout fires first, so a failed probe can
    // say why (e.g. a message left unfinished) instead of only that it timed out.
    this.healthCheckTimeoutMs = this.settings.ping.timeoutMs + PROBE_DEADLINE_MARGIN_MS;
    this.healthFailureThreshold = this.settings.ping.failures;
    const transport = this.settings.transport;
    if (transport.kind === 'stdio') {
      this.displayUrl = undefined;
      this.redactor = new Redactor(secretsInEnv(transport.env));
    } else {
      this.displayUrl = redactUrl(transport.url);
      this.redactor = new Redactor([
        ...secretsInUrl(transport.url),
        ...secretsInHeaders(transport.headers),
      ]);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Lifecycle

  protected async doStart(signal: AbortSignal): Promise<void> {
    const run = new AbortController();
    this.run = run;
    const connection = this.createConnection();
    this.connection = connection;
    await connection.open(AbortSignal.any([signal, run.signal]), this.settings.timeoutMs);
    connection.ready = true;
    this.startedAt = this.clock.now();
    this.logger.info(`MCP server '${this.name}' is running`, {
      service: this.name,
      transport: connection.kind,
      ...(connection.pid === undefined ? {} : { pid: connection.pid }),
      tools: connection.tools.length,
      resources: connection.resources.length,
      prompts: connection.prompts.length,
    });
  }

  protected async doStop(signal: AbortSignal): Promise<void> {
    this.run?.abort();
    this.run = undefined;
    this.startedAt = undefined;
    const connections = [...this.pending, ...(this.connection ? [this.connection] : [])];
    this.pending.clear();
    this.connection = undefined;
    const graceMs = this.settings.stopGraceMs;
    await Promise.all(connections.map((c) => c.close({ graceMs, signal })));
  }

  /** The stdio server's pid (and process group id) while it runs. */
  get pid(): number | undefined {
    return this.connection?.pid;
  }

  /** The last stderr lines (up to 200), across restarts, oldest first, secrets scrubbed. */
  stderrLines(count?: number): string[] {
    return this.stderr.last(count);
  }

  /**
   * Sets (or clears) the handler for the server's sampling, elicitation and roots requests.
   * The kinds it handles are declared to the server at connect: set it before start, or
   * restart for a new kind to be announced. Requests of a declared kind without a handler are
   * answered with a clear MCP error.
   */
  setClientRequestHandler(handler: ClientRequestHandler | undefined): void {
    this.handler = handler;
  }

  /** Tells the server its client's roots changed (`notifications/roots/list_changed`). */
  async notifyRootsChanged(): Promise<void> {
    await this.withConnection((c) => c.client.sendRootsListChanged());
  }

  // ------------------------------------------------------------------------------------------
  // Tools

  listTools(): readonly ToolDescriptor[] {
    return this.readyConnection()?.tools ?? [];
  }

  async callTool(
    name: string,
    args: JsonObject,
    options: CallToolOptions = {},
  ): Promise<ToolCallResult> {
    const { signal, onProgress, timeoutMs, resetTimeoutOnProgress } = options;
    // A call without an id still counts: a request it causes must not look certain to be
    // another call's.
    const callId = options.callId ?? `${this.name}#${String(++this.anonymousCalls)}`;
    this.callsInFlight.add(callId);
    try {
      const result = await this.withConnection((c) =>
        c.client.callTool(
          { name, arguments: args },
          {
            ...(signal ? { signal } : {}),
            ...(onProgress
              ? {
                  onprogress: (p) => {
                    onProgress({
                      progress: p.progress,
                      ...(p.total === undefined ? {} : { total: p.total }),
                      ...(p.message === undefined ? {} : { message: p.message }),
                    });
                  },
                }
              : {}),
            timeout: timeoutMs ?? this.settings.timeoutMs,
            ...(resetTimeoutOnProgress === undefined ? {} : { resetTimeoutOnProgress }),
          },
        ),
      );
      return toToolCallResult(result);
    } finally {
      this.callsInFlight.delete(callId);
    }
  }

  onToolsChanged(listener: () => void): Unsubscribe {
    return this.subscribe(this.changeListeners.tools, listener);
  }

  // ------------------------------------------------------------------------------------------
  // Resources

  listResources(): readonly ResourceDescriptor[] {
    return this.readyConnection()?.resources ?? [];
  }

  async readResource(
    uri: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<ResourceReadResult> {
    const result = await this.withConnection((c) =>
      c.client.readResource({ uri }, this.requestOptions(options.signal)),
    );
    return toResourceReadResult(result);
  }

  /** The server's resource templates (asked each time; they are not cached). */
  async listResourceTemplates(
    options: { signal?: AbortSignal } = {},
  ): Promise<readonly ResourceTemplateDescriptor[]> {
    const result = await this.withConnection((c) =>
      c.client.getServerCapabilities()?.resources
        ? c.client.listResourceTemplates(undefined, this.requestOptions(options.signal))
        : Promise.resolve({ resourceTemplates: [] }),
    );
    return result.resourceTemplates.map(toResourceTemplateDescriptor);
  }

  /** Asks the server to send `notifications/resources/updated` for `uri` (see `onResourceUpdated`). */
  async subscribeResource(uri: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.withConnection((c) =>
      c.client.subscribeResource({ uri }, this.requestOptions(options.signal)),
    );
  }

  async unsubscribeResource(uri: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.withConnection((c) =>
      c.client.unsubscribeResource({ uri }, this.requestOptions(options.signal)),
    );
  }

  onResourcesChanged(listener: () => void): Unsubscribe {
    return this.subscribe(this.changeListeners.resources, listener);
  }

  /** Called with the URI of every subscribed resource the server says was updated. */
  onResourceUpdated(listener: (uri: string) => void): Unsubscribe {
    return this.subscribe(this.resourceUpdateListeners, listener);
  }

  // ------------------------------------------------------------------------------------------
  // Prompts

  listPrompts(): readonly PromptDescriptor[] {
    return this.readyConnection()?.prompts ?? [];
  }

  async getPrompt(
    name: string,
    args: Readonly<Record<string, string>>,
    options: { signal?: AbortSignal } = {},
  ): Promise<PromptResult> {
    const result = await this.withConnection((c) =>
      c.client.getPrompt({ name, arguments: { ...args } }, this.requestOptions(options.signal)),
    );
    return toPromptResult(result);
  }

  onPromptsChanged(listener: () => void): Unsubscribe {
    return this.subscribe(this.changeListeners.prompts, listener);
  }

  // ------------------------------------------------------------------------------------------
  // Completion and logging (passed through for the aggregator)

  /**
   * `completion/complete`: argument suggestions for a prompt or resource template. `params` is
   * MCP's `{ ref, argument, context? }`; a malformed one is refused before it is sent.
   */
  async complete(params: JsonObject, options: { signal?: AbortSignal } = {}): Promise<JsonObject> {
    const checked = specTypeSchemas.CompleteRequestParams['~standard'].validate(params);
    if (checked.issues) {
      throw new MCPInvalidParamsError(
        this.name,
        'completion/complete',
        checked.issues.map((issue) => issue.message).join('; '),
      );
    }
    const result = await this.withConnection((c) =>
      c.client.complete(checked.value, this.requestOptions(options.signal)),
    );
    return toJsonObject(result);
  }

  /** `logging/setLevel`: the least severe message the server should send. */
  async setLoggingLevel(
    level: LoggingLevel,
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    await this.withConnection((c) =>
      c.client.setLoggingLevel(level, this.requestOptions(options.signal)),
    );
  }

  /** Called with every message the server logs (`notifications/message`). */
  onLogMessage(listener: (message: LogMessage) => void): Unsubscribe {
    return this.subscribe(this.logListeners, listener);
  }

  // ------------------------------------------------------------------------------------------
  // Health and status

  /** A `ping` through the connection (core probes it every `ping.intervalMs`). */
  async checkHealth(signal: AbortSignal): Promise<HealthCheckResult> {
    const connection = this.readyConnection();
    if (connection === undefined) {
      return { healthy: false, message: 'not connected' };
    }
    try {
      await this.withConnection((c) =>
        c.client.ping({ signal, timeout: this.settings.ping.timeoutMs }),
      );
      return { healthy: true };
    } catch (error) {
      // A server stuck mid-message cannot answer: its unfinished line says why.
      const unfinished = connection.describeUnfinishedOutput();
      return {
        healthy: false,
        message:
          `ping failed: ${this.redactor.scrub(describeError(error))}` +
          (unfinished === undefined ? '' : `; ${unfinished}`),
      };
    }
  }

  /**
   * Status metadata, JSON-safe: transport, command and args or URL, pid, uptime, counts, server
   * identity and the last stderr lines. Env and header values, URL credentials and
   * credential-like arguments show as `***`.
   */
  getServiceData(): JsonObject {
    const transport = this.settings.transport;
    const connection = this.readyConnection();
    const serverInfo = connection?.client.getServerVersion();
    const where: JsonObject =
      transport.kind === 'stdio'
        ? {
            command: transport.command,
            args: redactArgs(transport.args),
            env: redactValues(transport.env),
            cwd: transport.cwd ?? null,
            pid: connection?.pid ?? null,
          }
        : {
            url: this.displayUrl ?? null,
            headers: redactValues(transport.headers),
          };
    return {
      transport: transport.kind,
      ...where,
      connected: connection !== undefined,
      uptimeMs: this.startedAt === undefined ? null : this.clock.now() - this.startedAt,
      server:
        serverInfo === undefined ? null : { name: serverInfo.name, version: serverInfo.version },
      protocolVersion: connection?.client.getNegotiatedProtocolVersion() ?? null,
      tools: connection?.tools.length ?? 0,
      resources: connection?.resources.length ?? 0,
      prompts: connection?.prompts.length ?? 0,
      sessionRecoveries: this.sessionRecoveries,
      timeoutMs: this.settings.timeoutMs,
      ping: { ...this.settings.ping },
      stopGraceMs: this.settings.stopGraceMs,
      toolPrefix: this.settings.toolPrefix ?? null,
      stderr: this.stderr.last(STDERR_IN_STATUS),
    };
  }

  // ------------------------------------------------------------------------------------------
  // Connections

  private createConnection(): Connection {
    const mark = this.stderr.mark;
    return new Connection({
      serviceName: this.name,
      settings: this.settings,
      handler: () => this.handler,
      relatedCallIds: () => [...this.callsInFlight],
      displayUrl: this.displayUrl,
      scrub: (text) => this.redactor.scrub(text),
      onStderrLine: (line) => {
        this.stderr.push(this.redactor.scrub(line));
      },
      stderrTail: () => this.stderr.since(mark, STDERR_IN_ERRORS),
      hooks: {
        onListChanged: (connection, kind) => {
          if (connection === this.connection && connection.ready) this.notify(kind);
        },
        onResourceUpdated: (connection, uri) => {
          if (connection !== this.connection) return;
          for (const listener of this.resourceUpdateListeners) {
            this.safely(() => {
              listener(uri);
            });
          }
        },
        onLogMessage: (connection, params) => {
          if (connection !== this.connection) return;
          const message: LogMessage = {
            ...toJsonObject(params),
            level: params.level,
            data: toJsonValue(params.data) ?? null,
          };
          for (const listener of this.logListeners) {
            this.safely(() => {
              listener(message);
            });
          }
        },
        onClosed: (connection) => {
          this.onConnectionClosed(connection);
        },
        onError: (connection, error) => {
          this.onConnectionError(connection, error);
        },
        onProtocolViolation: (connection, error) => {
          this.fail(connection, error);
        },
      },
    });
  }

  /** The connection calls go through, if the service is serving. */
  private readyConnection(): Connection | undefined {
    const connection = this.connection;
    return connection?.ready === true ? connection : undefined;
  }

  /**
   * Runs `op` on the live connection. A streamable-HTTP session the server forgot is
   * re-established once and `op` retried on it; losing that one too is a failure.
   */
  private async withConnection<T>(op: (connection: Connection) => Promise<T>): Promise<T> {
    const connection = this.readyConnection();
    if (connection === undefined) throw new MCPServerNotRunningError(this.name, this.state);
    try {
      return await op(connection);
    } catch (error) {
      if (connection.kind !== 'streamable-http' || !isSessionLost(error)) throw error;
      const fresh = await this.recoverSession(connection);
      try {
        return await op(fresh);
      } catch (again) {
        if (isSessionLost(again)) {
          const reason = this.redactor.scrub(describeError(again));
          this.fail(fresh, new MCPSessionLostError(this.name, reason));
        }
        throw again;
      }
    }
  }

  /** One re-establishment per lost session, shared by every call that noticed it. */
  private recoverSession(lost: Connection): Promise<Connection> {
    if (this.connection !== lost) {
      const current = this.readyConnection();
      return current
        ? Promise.resolve(current)
        : Promise.reject(new MCPServerNotRunningError(this.name, this.state));
    }
    this.recovery ??= this.reestablish(lost).finally(() => {
      this.recovery = undefined;
    });
    return this.recovery;
  }

  private async reestablish(lost: Connection): Promise<Connection> {
    const run = this.run;
    if (run === undefined) throw new MCPServerNotRunningError(this.name, this.state);
    this.logger.warn(`MCP server '${this.name}' forgot our session: re-establishing it`, {
      service: this.name,
      url: this.displayUrl,
    });
    const fresh = this.createConnection();
    this.pending.add(fresh);
    try {
      await fresh.open(run.signal, this.settings.timeoutMs);
    } catch (error) {
      this.pending.delete(fresh);
      void fresh.close({ graceMs: 0, signal: AbortSignal.abort() });
      const failure = new MCPSessionLostError(this.name, this.redactor.scrub(describeError(error)));
      this.fail(lost, failure);
      throw failure;
    }
    this.pending.delete(fresh);
    if (run.signal.aborted || this.connection !== lost) {
      await fresh.close({ graceMs: 0, signal: AbortSignal.abort() });
      throw new MCPServerNotRunningError(this.name, this.state);
    }
    const before = { tools: lost.tools, resources: lost.resources, prompts: lost.prompts };
    fresh.ready = true;
    this.connection = fresh;
    this.sessionRecoveries++;
    // Requests still pending on the forgotten session are answered 404 by the server, which
    // sends each to the new session (above). Closing the old client at once would cut them off
    // with "Connection closed" first, failing calls the server never ran; so it goes later.
    setTimeout(() => {
      void lost.close({ graceMs: 0, signal: AbortSignal.abort() });
    }, LOST_SESSION_CLOSE_DELAY_MS).unref();
    this.logger.info(`MCP server '${this.name}': session re-established`, { service: this.name });
    for (const kind of ['tools', 'resources', 'prompts'] as const) {
      if (JSON.stringify(before[kind]) !== JSON.stringify(fresh[kind])) this.notify(kind);
    }
    return fresh;
  }

  /** The transport closed: expected when we closed it, a failure otherwise. */
  private onConnectionClosed(connection: Connection): void {
    if (connection.closing || !connection.ready) return; // ours, or the start reports it
    this.fail(connection, connection.describeLoss());
  }

  private onConnectionError(connection: Connection, error: Error): void {
    const message = this.redactor.scrub(describeError(error));
    const current = !connection.closing && connection === this.connection;
    if (current && error instanceof NotJsonRpcOutputError) {
      // Skipped, not fatal (a banner, a stray print): worth a warning even while starting.
      this.warn(
        `MCP server '${this.name}' ${message}. Skipped it; ` +
          `${MAX_NOT_JSON_RPC_LINES_IN_A_ROW + 1} such lines in a row fail the server.`,
      );
      return;
    }
    if (!current || !connection.ready) {
      this.logger.debug(`MCP server '${this.name}': ${message}`, { service: this.name });
      return;
    }
    if (connection.kind === 'streamable-http' && isSessionLost(error)) {
      this.recoverSession(connection).catch(() => undefined); // a failure is reported there
      return;
    }
    if (connection.kind === 'sse' && isStreamFailure(error)) {
      this.fail(
        connection,
        new MCPConnectionLostError(this.name, `the SSE stream failed: ${message}`),
      );
      return;
    }
    this.warn(`MCP server '${this.name}': ${message}`);
  }

  /**
   * A warning, at most WARNINGS_PER_WINDOW per WARNING_WINDOW_MS: a server that errs on every
   * message (a notification flood for unknown progress tokens) must not flood the log too.
   */
  private warn(message: string): void {
    const now = this.clock.now();
    if (now - this.warningWindowStart >= WARNING_WINDOW_MS) {
      if (this.warningsSuppressed > 0) {
        this.logger.warn(
          `MCP server '${this.name}': ${this.warningsSuppressed} more warnings were not logged`,
          { service: this.name },
        );
      }
      this.warningWindowStart = now;
      this.warningsInWindow = 0;
      this.warningsSuppressed = 0;
    }
    if (this.warningsInWindow < WARNINGS_PER_WINDOW) {
      this.warningsInWindow += 1;
      this.logger.warn(message, { service: this.name });
    } else {
      this.warningsSuppressed += 1;
    }
  }

  /** Reports a failure of the live connection to core (once; core then stops and retries). */
  private fail(connection: Connection, error: Error): void {
    if (connection !== this.connection || connection.closing || connection.failed) return;
    connection.failed = true;
    this.logger.warn(this.redactor.scrub(error.message), { service: this.name });
    this.reportFailure(error);
  }

  private requestOptions(signal: AbortSignal | undefined): {
    signal?: AbortSignal;
    timeout: number;
  } {
    return { ...(signal ? { signal } : {}), timeout: this.settings.timeoutMs };
  }

  private notify(kind: ListKind): void {
    for (const listener of this.changeListeners[kind]) this.safely(listener);
  }

  private subscribe<T>(set: Set<T>, listener: T): Unsubscribe {
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** A listener that throws must not break the connection or the other listeners. */
  private safely(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.logger.error(`a listener of MCP server '${this.name}' threw: ${describeError(error)}`, {
        service: this.name,
      });
    }
  }
}

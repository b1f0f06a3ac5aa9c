// SSE and server logging are deprecated as of the 2026-07-28 revision; servers still use both.
/* eslint-disable @typescript-eslint/no-deprecated */
import { createRequire } from 'node:module';
import {
  AuthRequiredError,
  type ClientRequestHandler,
  describeError,
  type PromptDescriptor,
  type ResourceDescriptor,
  type ToolDescriptor,
} from '@corral/core';
import {
  Client,
  type LoggingMessageNotification,
  type RequestOptions,
  SdkError,
  SdkErrorCode,
  SSEClientTransport,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { capabilitiesFor, installClientRequestHandlers } from './client-requests.js';
import type { MCPServerSettings, TransportKind } from './config.js';
import { toPromptDescriptor, toResourceDescriptor, toToolDescriptor } from './descriptors.js';
import {
  MCPConnectionLostError,
  MCPProtocolViolationError,
  MCPServerConnectError,
  MCPServerExitedError,
  MCPServerSpawnError,
  MCPServerStartFailedError,
  AWAITING_INITIALIZE,
  MCPServerStartTimeoutError,
  NotJsonRpcOutputError,
} from './errors.js';
import { OrderedDeliveryTransport } from './ordered-delivery.js';
import { ProtocolGuardTransport } from './protocol-guard.js';
import { SchemaValidatorCache } from './schema-validator-cache.js';
import {
  createRemoteTransport,
  describeRemoteFailure,
  httpStatusOf,
  isUnauthorized,
} from './remote/remote-transport.js';
import type { ProcessExit } from './stdio/process-exit.js';
import { StdioProcessTransport } from './stdio/stdio-process-transport.js';

export type ListKind = 'tools' | 'resources' | 'prompts';

/** What a connection tells its service about. */
export interface ConnectionHooks {
  /** The server said a list changed and it has been re-listed. */
  onListChanged(connection: Connection, kind: ListKind): void;
  onResourceUpdated(connection: Connection, uri: string): void;
  onLogMessage(connection: Connection, params: LoggingMessageNotification['params']): void;
  /** The transport closed (the process exited, the stream ended) — wanted or not. */
  onClosed(connection: Connection): void;
  /** A transport or protocol error; not necessarily fatal. */
  onError(connection: Connection, error: Error): void;
  /** The server broke the protocol past repair (see `MCPProtocolViolationError`). */
  onProtocolViolation(connection: Connection, error: MCPProtocolViolationError): void;
}

export interface ConnectionOptions {
  readonly serviceName: string;
  readonly settings: MCPServerSettings;
  /** The handler for the server's requests, read when each request arrives. */
  readonly handler: () => ClientRequestHandler | undefined;
  /** Ids of the tool calls in flight, read when each request from the server arrives. */
  readonly relatedCallIds: () => readonly string[];
  readonly hooks: ConnectionHooks;
  /** Every stderr line of the process, as read (the service scrubs and keeps them). */
  readonly onStderrLine: (line: string) => void;
  /** This connection's latest stderr lines, for error messages. */
  readonly stderrTail: () => string[];
  /** Hides configured secrets in text we surface. */
  readonly scrub: (text: string) => string;
  /** The URL fit to show. */
  readonly displayUrl: string | undefined;
}

export interface CloseOptions {
  readonly graceMs: number;
  /** Aborted when the stop must hurry: kill rather than ask. */
  readonly signal: AbortSignal;
}

/** Longest JSON-RPC line accepted from a stdio server (a 10 MB tool result fits, escaped). */
const MAX_STDIO_MESSAGE_BYTES = 64 * 1024 * 1024;
/** list_changed notifications in a burst are re-listed once. */
const LIST_CHANGED_DEBOUNCE_MS = 50;
/** The most a polite DELETE of a streamable-HTTP session may hold up a stop. */
const SESSION_DELETE_TIMEOUT_MS = 2_000;
/** After a failed start, how long to wait for a dying process's exit to explain it. */
const EXIT_GRACE_MS = 1_000;

const clientInfo = { name: 'corral', version: packageVersion() };

/**
 * One connection to an MCP server: an SDK `Client` over the configured transport, from spawn
 * (or connect) through `initialize` and the first listing to close. Caches the server's tools,
 * resources and prompts and re-lists a kind when the server says it changed. A service holds
 * one at a time; a lost streamable-HTTP session is replaced by a fresh connection.
 */
export class Connection {
  readonly client: Client;
  readonly transport: StdioProcessTransport | StreamableHTTPClientTransport | SSEClientTransport;
  readonly kind: TransportKind;
  tools: readonly ToolDescriptor[] = [];
  resources: readonly ResourceDescriptor[] = [];
  prompts: readonly PromptDescriptor[] = [];
  /** Set by the service once it serves calls through this connection. */
  ready = false;
  /** Set once a close was asked for: the transport closing is then expected. */
  closing = false;
  /** Set once the service reported this connection's failure: once is enough. */
  failed = false;
  /** Set once the server broke the protocol past repair; the start or the service fails. */
  violation: MCPProtocolViolationError | undefined;
  private phase = 'connecting';
  private closePromise: Promise<void> | undefined;
  /** Aborted on a protocol violation, so a start in progress stops at once. */
  private readonly broken = new AbortController();
  private readonly delivery: OrderedDeliveryTransport;

  constructor(private readonly options: ConnectionOptions) {
    const { settings, serviceName, hooks } = options;
    const declared = capabilitiesFor(options.handler());
    this.client = new Client(clientInfo, {
      capabilities: declared,
      // The SDK recompiles output schemas after every re-listing; compile each distinct one once.
      jsonSchemaValidator: new SchemaValidatorCache(),
      listChanged: {
        tools: this.onChanged('tools', (items) => (this.tools = items.map(toToolDescriptor))),
        resources: this.onChanged(
          'resources',
          (items) => (this.resources = items.map(toResourceDescriptor)),
        ),
        prompts: this.onChanged(
          'prompts',
          (items) => (this.prompts = items.map(toPromptDescriptor)),
        ),
      },
    });
    installClientRequestHandlers(
      this.client,
      serviceName,
      declared,
      options.handler,
      options.relatedCallIds,
    );
    this.client.setNotificationHandler('notifications/resources/updated', (notification) => {
      hooks.onResourceUpdated(this, notification.params.uri);
    });
    this.client.setNotificationHandler('notifications/message', (notification) => {
      hooks.onLogMessage(this, notification.params);
    });
    this.client.onclose = () => {
      hooks.onClosed(this);
    };
    this.client.onerror = (error) => {
      hooks.onError(this, error);
    };
    const transport = settings.transport;
    this.kind = transport.kind;
    if (transport.kind === 'stdio') {
      this.transport = new StdioProcessTransport({
        command: transport.command,
        args: transport.args,
        env: { ...getDefaultEnvironment(), ...transport.env },
        ...(transport.cwd === undefined ? {} : { cwd: transport.cwd }),
        maxMessageBytes: MAX_STDIO_MESSAGE_BYTES,
        onStderrLine: options.onStderrLine,
      });
    } else {
      this.transport = createRemoteTransport(transport.kind, transport.url, transport.headers);
    }
    const guard = new ProtocolGuardTransport(this.transport, {
      onRequestSent: (method) => {
        if (method === 'initialize') this.phase = AWAITING_INITIALIZE;
      },
      onUnknownResponseId: (id) => {
        this.violate(MCPProtocolViolationError.unknownResponseId(serviceName, JSON.stringify(id)));
      },
    });
    this.delivery = new OrderedDeliveryTransport(guard);
  }

  /**
   * What a stdio server left unfinished on stdout, said for an error message: a server that
   * stalls or dies mid-message leaves one. Undefined when nothing is pending.
   */
  describeUnfinishedOutput(): string | undefined {
    if (!(this.transport instanceof StdioProcessTransport)) return undefined;
    const unfinished = this.transport.unfinishedLine();
    if (unfinished === undefined) return undefined;
    return (
      `it left a message unfinished on stdout (${unfinished.bytes} bytes with no end of line, ` +
      `starting ${this.options.scrub(unfinished.start)})`
    );
  }

  /** The stdio server's pid (and process group), while it runs. */
  get pid(): number | undefined {
    if (!(this.transport instanceof StdioProcessTransport)) return undefined;
    return this.transport.exit === undefined ? this.transport.pid : undefined;
  }

  /**
   * Connects, initializes and lists everything, all within `timeoutMs`. Rejects with an error
   * that says why: exit code and stderr, HTTP status, `AuthRequiredError` for a 401, a timeout
   * naming the step it was on — or `signal`'s reason when the start was cancelled.
   */
  async open(signal: AbortSignal, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const timer = new AbortController();
    const handle = setTimeout(() => {
      timer.abort(new Error('start timeout'));
    }, timeoutMs);
    const combined = AbortSignal.any([signal, timer.signal, this.broken.signal]);
    const budget = (): RequestOptions => ({
      signal: combined,
      timeout: Math.max(1, deadline - Date.now()),
    });
    try {
      this.phase =
        this.kind === 'stdio'
          ? 'starting the process and initializing'
          : 'connecting and initializing';
      await untilAborted(this.client.connect(this.delivery, budget()), combined);
      this.phase = 'listing its tools, resources and prompts';
      await untilAborted(this.refreshAll(budget()), combined);
    } catch (error) {
      signal.throwIfAborted();
      if (this.violation !== undefined) throw this.violation;
      const timedOut = timer.signal.aborted || isTimeout(error);
      // A write to a process that just died fails before its exit is seen: give the exit (and
      // its last stderr) a moment to arrive, so the error can say how it ended.
      if (!timedOut && this.transport instanceof StdioProcessTransport) {
        await Promise.race([this.transport.closed, delay(EXIT_GRACE_MS)]);
      }
      throw this.explainStartFailure(error, timedOut, timeoutMs);
    } finally {
      clearTimeout(handle);
    }
  }

  /** Lists every kind the server advertises (the others stay empty), all pages of each. */
  async refreshAll(options: RequestOptions): Promise<void> {
    const offers = this.client.getServerCapabilities() ?? {};
    const [tools, resources, prompts] = await Promise.all([
      offers.tools ? this.client.listTools(undefined, options) : { tools: [] },
      offers.resources ? this.client.listResources(undefined, options) : { resources: [] },
      offers.prompts ? this.client.listPrompts(undefined, options) : { prompts: [] },
    ]);
    this.tools = tools.tools.map(toToolDescriptor);
    this.resources = resources.resources.map(toResourceDescriptor);
    this.prompts = prompts.prompts.map(toPromptDescriptor);
  }

  /**
   * Closes the connection. stdio: end stdin, wait `graceMs`, SIGTERM the process group, wait,
   * SIGKILL it (at once when `signal` aborts); resolves when nothing of the group is left.
   * Streamable HTTP: ends the session with a DELETE (briefly), then closes.
   */
  close(options: CloseOptions): Promise<void> {
    this.closing = true;
    this.closePromise ??= this.shutdown(options);
    return this.closePromise;
  }

  /** Why the transport closed under us, as the error the service reports. */
  describeLoss(): Error {
    const name = this.options.serviceName;
    if (this.violation !== undefined) return this.violation;
    if (this.transport instanceof StdioProcessTransport) {
      const { exit, fatalError } = this.transport;
      if (fatalError instanceof NotJsonRpcOutputError) {
        return MCPProtocolViolationError.notJsonRpc(name, fatalError, this.options.scrub);
      }
      if (fatalError !== undefined) return new MCPConnectionLostError(name, fatalError.message);
      if (exit !== undefined) return this.exitedError(exit, 'running');
      return new MCPConnectionLostError(name, 'the server closed its stdout');
    }
    return new MCPConnectionLostError(name, `the ${this.kind} transport closed`);
  }

  /** The stdio server exited: its last stderr, and what it left unfinished on stdout. */
  private exitedError(exit: ProcessExit, phase: 'starting' | 'running'): MCPServerExitedError {
    const { serviceName: name } = this.options;
    const unfinished = this.describeUnfinishedOutput();
    return new MCPServerExitedError(name, exit, this.options.stderrTail(), phase, unfinished);
  }

  /** The server broke the protocol: fail the start in progress, or the running service. */
  private violate(error: MCPProtocolViolationError): void {
    if (this.violation !== undefined || this.closing) return;
    this.violation = error;
    if (this.ready) this.options.hooks.onProtocolViolation(this, error);
    else this.broken.abort(error);
  }

  private async shutdown({ graceMs, signal }: CloseOptions): Promise<void> {
    const transport = this.transport;
    if (transport instanceof StdioProcessTransport) {
      await this.client.close().catch(() => undefined); // ends stdin: the polite request
      const empty = await transport.terminate({ graceMs, signal });
      if (!empty) {
        this.options.hooks.onError(
          this,
          new Error(
            `process group ${transport.pid ?? '?'} still has live members after SIGKILL ` +
              '(a process that left its group, or one stuck in the kernel)',
          ),
        );
      }
      return;
    }
    if (transport instanceof StreamableHTTPClientTransport && this.ready && !signal.aborted) {
      await untilAborted(
        transport.terminateSession(),
        AbortSignal.any([
          signal,
          AbortSignal.timeout(Math.min(graceMs, SESSION_DELETE_TIMEOUT_MS)),
        ]),
      ).catch(() => undefined); // a courtesy: the server may have forgotten us already
    }
    await this.client.close().catch(() => undefined);
  }

  private onChanged<T>(
    kind: ListKind,
    store: (items: T[]) => void,
  ): { debounceMs: number; onChanged: (error: Error | null, items: T[] | null) => void } {
    return {
      debounceMs: LIST_CHANGED_DEBOUNCE_MS,
      onChanged: (error, items) => {
        if (error !== null) {
          this.options.hooks.onError(this, error);
          return;
        }
        if (items === null || this.closing) return;
        store(items);
        this.options.hooks.onListChanged(this, kind);
      },
    };
  }

  private explainStartFailure(error: unknown, timedOut: boolean, timeoutMs: number): Error {
    const { serviceName: name, scrub } = this.options;
    const reason = scrub(describeError(error));
    if (this.transport instanceof StdioProcessTransport) {
      const { exit, pid, fatalError } = this.transport;
      const settings = this.options.settings.transport;
      if (pid === undefined && settings.kind === 'stdio') {
        return new MCPServerSpawnError(name, settings.command, settings.cwd, reason);
      }
      if (fatalError instanceof NotJsonRpcOutputError) {
        return MCPProtocolViolationError.notJsonRpc(name, fatalError, scrub);
      }
      if (exit !== undefined) return this.exitedError(exit, 'starting');
      if (timedOut) {
        return new MCPServerStartTimeoutError(
          name,
          timeoutMs,
          this.phase,
          this.options.stderrTail(),
        );
      }
      const why = fatalError === undefined ? reason : scrub(fatalError.message);
      return new MCPServerStartFailedError(name, this.phase, why, this.options.stderrTail());
    }
    const url = this.options.displayUrl ?? '(url)';
    if (isUnauthorized(error)) {
      return new AuthRequiredError(
        `MCP server '${name}' at ${url} answered 401 Unauthorized: it needs credentials. Put ` +
          'them in headers (e.g. Authorization: "Bearer …"), then start it again.',
      );
    }
    if (timedOut) return new MCPServerStartTimeoutError(name, timeoutMs, this.phase, undefined);
    return new MCPServerConnectError(
      name,
      url,
      httpStatusOf(error),
      scrub(describeRemoteFailure(error)),
    );
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `promise`, or a rejection with `signal`'s reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(toError(signal.reason));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(toError(signal.reason));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(toError(error));
      },
    );
  });
}

function isTimeout(error: unknown): boolean {
  return error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout;
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(describeError(value));
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

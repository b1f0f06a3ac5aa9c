// Server logging is deprecated as of the 2026-07-28 revision; clients still use it.
/* eslint-disable @typescript-eslint/no-deprecated */
import type { JsonObject, LoggingLevel } from '@corral/core';
import type { Server } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { toJsonObject } from '@corral/core';

/** Results of requests to the client pass through as JSON; the client's SDK checked them. */
const anyResult = z.looseObject({});

/** Requests to a client wait for a human (elicitation, sampling): the SDK's own round timeout. */
export const CLIENT_REQUEST_TIMEOUT_MS = 600_000;

export type ListKind = 'tools' | 'resources' | 'prompts';

/**
 * One connected client: its own SDK `Server` (one per streamable-HTTP session, one for stdio),
 * the logging level it asked for, and when it was last heard from.
 */
export class ClientSession {
  /** The level the client set with `logging/setLevel`; all messages until it does. */
  loggingLevel: LoggingLevel | undefined;
  lastActivity: number;
  private initialized = false;
  private closing: Promise<void> | undefined;
  private closeListeners: (() => void)[] = [];
  private ended = false;

  constructor(
    readonly id: string,
    readonly transport: 'streamable-http' | 'stdio',
    readonly server: Server,
    now: number,
  ) {
    this.lastActivity = now;
    server.oninitialized = () => {
      this.initialized = true;
    };
    // However it ends (DELETE, idle, the pipe closing, our close), listeners hear it once.
    server.onclose = () => {
      this.closing ??= Promise.resolve();
      if (this.ended) return;
      this.ended = true;
      const listeners = this.closeListeners;
      this.closeListeners = [];
      for (const listener of listeners) listener();
    };
  }

  /** Called once when the session ends. */
  onClosed(listener: () => void): void {
    if (this.ended) listener();
    else this.closeListeners.push(listener);
  }

  /** Initialized and not closed: notifications may be sent. */
  get ready(): boolean {
    return this.initialized && this.closing === undefined;
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  touch(now: number): void {
    this.lastActivity = now;
  }

  /** Closes the SDK server and its transport. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.server.close().catch(() => undefined);
    return this.closing;
  }

  /** `notifications/{kind}/list_changed`, if the session is ready. */
  async listChanged(kind: ListKind): Promise<void> {
    if (!this.ready) return;
    if (kind === 'tools') await this.server.sendToolListChanged();
    else if (kind === 'resources') await this.server.sendResourceListChanged();
    else await this.server.sendPromptListChanged();
  }

  async resourceUpdated(uri: string): Promise<void> {
    if (!this.ready) return;
    await this.server.sendResourceUpdated({ uri });
  }

  /** A log message from a server behind, already filtered for this session. */
  async log(params: JsonObject): Promise<void> {
    if (!this.ready) return;
    await this.server.notification({ method: 'notifications/message', params });
  }

  /** A request to the client not tied to any call of its (e.g. `roots/list` at connect). */
  async request(method: string, params: JsonObject, signal: AbortSignal): Promise<JsonObject> {
    const result = await this.server.request({ method, params }, anyResult, {
      signal,
      timeout: CLIENT_REQUEST_TIMEOUT_MS,
      resetTimeoutOnProgress: true,
    });
    return toJsonObject(result);
  }
}

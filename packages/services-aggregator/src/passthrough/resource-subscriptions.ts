import { describeError, type Logger } from '@corral/core';
import type { CatalogSource } from '../catalog/catalog-source.js';
import type { ClientSession } from '../sessions/client-session.js';

interface Subscription {
  readonly source: CatalogSource;
  readonly original: string;
  /** The URI the clients subscribed with, which `resources/updated` must name. */
  readonly exposedUri: string;
  readonly sessions: Set<ClientSession>;
}

/**
 * `resources/subscribe` across clients: the server behind is subscribed once per resource,
 * while any client wants it, and again when it restarts; each of its `resources/updated`
 * reaches exactly the clients that subscribed, under the URI they used.
 */
export class ResourceSubscriptions {
  private readonly subscriptions = new Map<string, Subscription>();

  constructor(private readonly logger: Logger) {}

  get size(): number {
    return this.subscriptions.size;
  }

  async subscribe(
    session: ClientSession,
    source: CatalogSource,
    original: string,
    exposedUri: string,
    signal: AbortSignal,
  ): Promise<void> {
    const key = keyOf(source.key, original);
    const existing = this.subscriptions.get(key);
    if (existing) {
      existing.sessions.add(session);
      return;
    }
    const provider = source.subscriptions;
    if (!provider) return;
    await provider.subscribeResource(original, { signal });
    const now = this.subscriptions.get(key);
    if (now) now.sessions.add(session);
    else
      this.subscriptions.set(key, { source, original, exposedUri, sessions: new Set([session]) });
  }

  async unsubscribe(
    session: ClientSession,
    source: CatalogSource,
    original: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const key = keyOf(source.key, original);
    const subscription = this.subscriptions.get(key);
    if (!subscription) return;
    subscription.sessions.delete(session);
    if (subscription.sessions.size > 0) return;
    this.subscriptions.delete(key);
    await source.subscriptions?.unsubscribeResource(original, signal ? { signal } : {});
  }

  /** A session ended: what only it wanted is unsubscribed. */
  dropSession(session: ClientSession): void {
    for (const subscription of [...this.subscriptions.values()]) {
      if (!subscription.sessions.has(session)) continue;
      this.unsubscribe(session, subscription.source, subscription.original).catch(
        (error: unknown) => {
          this.logger.debug(`unsubscribing ${subscription.original}: ${describeError(error)}`);
        },
      );
    }
  }

  /** A source said a resource changed: tell who subscribed. */
  updated(sourceKey: string, original: string): void {
    const subscription = this.subscriptions.get(keyOf(sourceKey, original));
    if (!subscription) return;
    for (const session of subscription.sessions) {
      session.resourceUpdated(subscription.exposedUri).catch((error: unknown) => {
        this.logger.debug(`resources/updated to session ${session.id}: ${describeError(error)}`);
      });
    }
  }

  /** A source (re)started: its server forgot our subscriptions, so they are made again. */
  resubscribe(source: CatalogSource): void {
    const provider = source.subscriptions;
    if (!provider) return;
    for (const subscription of this.subscriptions.values()) {
      if (subscription.source.key !== source.key) continue;
      provider.subscribeResource(subscription.original).catch((error: unknown) => {
        this.logger.warn(
          `could not renew the subscription to ${subscription.original} on '${source.key}': ` +
            describeError(error),
          { service: source.key },
        );
      });
    }
  }
}

function keyOf(sourceKey: string, original: string): string {
  return `${sourceKey}\u0000${original}`;
}

import {
  type BaseService,
  isLoggingProvider,
  isPromptProvider,
  isResourceProvider,
  isResourceSubscriptionProvider,
  isToolProvider,
  type LogMessage,
  type ServiceRegistry,
  type Unsubscribe,
} from '@corral/core';
import type { ListKind } from '../sessions/client-session.js';
import { offersAnything } from './catalog-source.js';

/** What the watcher reports. */
export interface FleetEvents {
  /** This kind of list of service `name` may have changed (it came or went, or said so). */
  changed(kind: ListKind, name: string): void;
  /** A service began running. */
  serviceUp(name: string): void;
  /** A service stopped running, or was removed. */
  serviceDown(name: string): void;
  resourceUpdated(name: string, uri: string): void;
  /** Any service's state changed. */
  transition(): void;
  logMessage(name: string, message: LogMessage): void;
}

const allKinds: readonly ListKind[] = ['tools', 'resources', 'prompts'];

/**
 * Watches the registry for everything the aggregator serves: services that come and go, their
 * transitions into and out of `running`, and what they announce (list changes, resource
 * updates, log messages). Works only through core's capability interfaces.
 */
export class FleetWatcher {
  private readonly attached = new Map<string, Unsubscribe[]>();
  private stopObserving: (() => void) | undefined;

  constructor(
    private readonly registry: ServiceRegistry,
    /** The aggregator's own service: never aggregated. */
    private readonly self: object,
    private readonly events: FleetEvents,
  ) {}

  start(): void {
    this.stopObserving ??= this.registry.observe({
      added: (service) => {
        this.attach(service);
      },
      removed: (service) => {
        this.detach(service.name);
        this.events.serviceDown(service.name);
        for (const kind of allKinds) this.events.changed(kind, service.name);
      },
    });
  }

  stop(): void {
    this.stopObserving?.();
    this.stopObserving = undefined;
    for (const name of [...this.attached.keys()]) this.detach(name);
  }

  /** Whether a service that offers tools, resources or prompts is starting. */
  anyStarting(): boolean {
    return this.registry
      .list()
      .some((s) => s !== this.self && s.state === 'starting' && offersAnything(s));
  }

  /** Services running now that offer tools, resources or prompts. */
  runningServices(): BaseService[] {
    return this.registry
      .list()
      .filter((s) => s !== this.self && s.state === 'running' && offersAnything(s));
  }

  private attach(service: BaseService): void {
    if (service === this.self || !offersAnything(service) || this.attached.has(service.name)) {
      return;
    }
    const name = service.name;
    const { events } = this;
    const detach: Unsubscribe[] = [
      service.onTransition((t) => {
        if (t.oldState === t.newState) return; // health only
        events.transition();
        if (t.newState === 'running') events.serviceUp(name);
        else if (t.oldState === 'running') events.serviceDown(name);
        else return;
        for (const kind of allKinds) events.changed(kind, name);
      }),
    ];
    if (isToolProvider(service)) {
      detach.push(
        service.onToolsChanged(() => {
          events.changed('tools', name);
        }),
      );
    }
    if (isResourceProvider(service)) {
      detach.push(
        service.onResourcesChanged(() => {
          events.changed('resources', name);
        }),
      );
    }
    if (isPromptProvider(service)) {
      detach.push(
        service.onPromptsChanged(() => {
          events.changed('prompts', name);
        }),
      );
    }
    if (isResourceSubscriptionProvider(service)) {
      detach.push(
        service.onResourceUpdated((uri) => {
          events.resourceUpdated(name, uri);
        }),
      );
    }
    if (isLoggingProvider(service)) {
      detach.push(
        service.onLogMessage((message) => {
          events.logMessage(name, message);
        }),
      );
    }
    this.attached.set(name, detach);
  }

  private detach(name: string): void {
    for (const unsubscribe of this.attached.get(name) ?? []) unsubscribe();
    this.attached.delete(name);
  }
}

import { DuplicateServiceError, ServiceNotFoundError } from '../errors/errors.js';
import type { BaseService } from './base-service.js';

export interface RegistryObserver {
  added(service: BaseService): void;
  removed(service: BaseService): void;
}

/** Every registered service by name, in registration order. */
export class ServiceRegistry {
  private readonly services = new Map<string, BaseService>();
  private observers: readonly RegistryObserver[] = [];

  register(service: BaseService): void {
    if (this.services.has(service.name)) throw new DuplicateServiceError(service.name);
    this.services.set(service.name, service);
    for (const observer of this.observers) observer.added(service);
  }

  /** Removes and returns the service; throws `ServiceNotFoundError` if there is none. */
  unregister(name: string): BaseService {
    const service = this.get(name);
    this.services.delete(name);
    for (const observer of this.observers) observer.removed(service);
    return service;
  }

  /** The service called `name`; throws `ServiceNotFoundError` if there is none. */
  get(name: string): BaseService {
    const service = this.services.get(name);
    if (!service) throw new ServiceNotFoundError(name, [...this.services.keys()]);
    return service;
  }

  find(name: string): BaseService | undefined {
    return this.services.get(name);
  }

  has(name: string): boolean {
    return this.services.has(name);
  }

  /** All services in registration order. */
  list(): BaseService[] {
    return [...this.services.values()];
  }

  names(): string[] {
    return [...this.services.keys()];
  }

  byType(type: string): BaseService[] {
    return this.list().filter((service) => service.type === type);
  }

  get size(): number {
    return this.services.size;
  }

  /** Be told of every registration and removal; existing services are reported at once. */
  observe(observer: RegistryObserver): () => void {
    this.observers = [...this.observers, observer];
    for (const service of this.services.values()) observer.added(service);
    return () => {
      this.observers = this.observers.filter((o) => o !== observer);
    };
  }
}

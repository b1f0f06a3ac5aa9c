import { vi } from 'vitest';
import { seededRandom } from '@corral/testing';
import {
  type BaseService,
  type CorralEvent,
  EventBus,
  Orchestrator,
  type OrchestratorOptionsInput,
  resolveOrchestratorOptions,
  type ServiceStateChangedEvent,
  ServiceRegistry,
  silentLogger,
  systemClock,
} from '../../src/index.js';
import {
  asTestService,
  ConcurrencyProbe,
  TestService,
  type TestServiceOptions,
} from './test-service.js';

export interface Harness {
  readonly orchestrator: Orchestrator;
  readonly registry: ServiceRegistry;
  readonly bus: EventBus;
  /** Every event published so far, in order. */
  readonly events: ServiceStateChangedEvent[];
  readonly probe: ConcurrencyProbe;
  service(name: string): TestService;
  add(options: TestServiceOptions): TestService;
  /** `name`'s states in order, from the events. */
  states(name: string): string[];
  /** Seq of the first event of `name` entering `state` (after `afterSeq`). */
  seqOf(name: string, state: string, afterSeq?: number): number;
}

/**
 * An orchestrator over TestServices on the system clock (fake it with vi.useFakeTimers) and a
 * seeded random source, recording every event.
 */
export function createHarness(
  services: TestServiceOptions[] = [],
  options: OrchestratorOptionsInput & { seed?: number } = {},
): Harness {
  const registry = new ServiceRegistry();
  const bus = new EventBus(systemClock);
  const events: ServiceStateChangedEvent[] = [];
  bus.listen((event) => events.push(event));
  const probe = new ConcurrencyProbe();
  const orchestrator = new Orchestrator(
    registry,
    bus,
    systemClock,
    seededRandom(options.seed ?? 1),
    silentLogger,
    resolveOrchestratorOptions(options),
  );
  const add = (o: TestServiceOptions): TestService => {
    const service = new TestService({ probe, ...o });
    registry.register(service);
    return service;
  };
  for (const o of services) add(o);
  return {
    orchestrator,
    registry,
    bus,
    events,
    probe,
    add,
    service: (name) => asTestService(registry.get(name)),
    states: (name) =>
      events.filter((e) => e.name === name && e.oldState !== e.newState).map((e) => e.newState),
    seqOf(name, state, afterSeq = 0) {
      const event = events.find(
        (e) => e.name === name && e.newState === state && e.seq > afterSeq && e.oldState !== state,
      );
      if (!event)
        throw new Error(`no event of '${name}' entering '${state}' after seq ${afterSeq}`);
      return event.seq;
    },
  };
}

/** Lets microtask chains (reactions, cascades) run to completion under fake timers. */
export async function settle(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(0);
}

/** Reads a subscription to its end. */
export async function drain(stream: AsyncIterable<CorralEvent>): Promise<CorralEvent[]> {
  const out: CorralEvent[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

export function registered(services: readonly BaseService[]): string[] {
  return services.map((s) => s.name);
}

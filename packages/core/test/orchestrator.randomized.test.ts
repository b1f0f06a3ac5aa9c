import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { seededRandom } from '@corral/testing';
import { allowedTransitions, type ServiceStateChangedEvent } from '../src/index.js';
import { createHarness, settle } from './support/harness.js';
import { asTestService, TestService, type TestServiceOptions } from './support/test-service.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const retryFrom = new Set(['retrying', 'unreachable', 'auth_required', 'failed']);

describe('randomized operations keep the invariants', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: 1,500 steps of start/stop/restart/fail/remove/add`, async () => {
      const random = seededRandom(seed);
      // A random DAG: each service may depend on earlier ones.
      const specs: TestServiceOptions[] = Array.from({ length: 12 }, (_, i) => ({
        name: `s${i}`,
        dependencies: Array.from({ length: i }, (_, j) => `s${j}`).filter(
          () => random.next() < 0.15,
        ),
        startDelayMs: random.next() < 0.5 ? random.int(40) : 500 + random.int(3_000),
      }));
      const h = createHarness(specs, { seed });
      const violations: string[] = [];
      const lastState = new Map<string, string>();
      let lastSeq = 0;
      let retriesInFlight = 0;
      let maxRetriesInFlight = 0;
      const retrying = new Set<string>();
      h.bus.listen((e: ServiceStateChangedEvent) => {
        if (e.seq !== lastSeq + 1) violations.push(`seq jumped from ${lastSeq} to ${e.seq}`);
        lastSeq = e.seq;
        const previous = lastState.get(e.name) ?? 'unknown';
        if (e.oldState !== previous)
          violations.push(`${e.name}: event from ${e.oldState} but it was ${previous}`);
        if (e.oldState !== e.newState && !allowedTransitions[e.oldState].includes(e.newState)) {
          violations.push(`${e.name}: ${e.oldState} -> ${e.newState} is not allowed`);
        }
        if (e.oldState === e.newState && e.oldHealth === e.health)
          violations.push(`${e.name}: empty event`);
        lastState.set(e.name, e.newState);
        // Nothing starts while something it depends on is not running.
        if (e.newState === 'starting' && e.oldState !== 'starting') {
          for (const dep of h.registry.find(e.name)?.dependencies ?? []) {
            const depState = h.registry.find(dep)?.state;
            if (depState !== 'running')
              violations.push(`${e.name} started while ${dep} was ${depState ?? 'gone'}`);
          }
        }
        if (e.newState === 'starting' && retryFrom.has(e.oldState)) {
          retrying.add(e.name);
          retriesInFlight++;
          maxRetriesInFlight = Math.max(maxRetriesInFlight, retriesInFlight);
        } else if (e.oldState === 'starting' && retrying.delete(e.name)) {
          retriesInFlight--;
        }
      });
      const progress = { started: false };
      const starting = h.orchestrator.start().then(() => {
        progress.started = true;
      });
      while (!progress.started) await settle(100);
      await starting;
      const names = (): string[] => h.registry.names();
      const ops = [
        'start',
        'stop',
        'restart',
        'crash',
        'crash',
        'break',
        'heal',
        'remove',
        'add',
        'wait',
        'storm',
      ] as const;
      for (let step = 0; step < 1_500; step++) {
        const op = random.pick(ops);
        if (process.env['DEBUG_RANDOM']) console.error(step, op);
        const current = names();
        const name = current.length > 0 ? random.pick(current) : undefined;
        const ignore = (): undefined => undefined;
        switch (op) {
          case 'start':
            if (name) void h.orchestrator.startService(name).catch(ignore);
            break;
          case 'stop':
            if (name) void h.orchestrator.stopService(name).catch(ignore);
            break;
          case 'restart':
            if (name) void h.orchestrator.restartService(name).catch(ignore);
            break;
          case 'crash':
            if (name && h.service(name).state === 'running') h.service(name).crash();
            break;
          case 'break':
            if (name) h.service(name).failStarts = random.int(4);
            break;
          case 'heal':
            if (name) h.service(name).failStarts = 0;
            break;
          case 'remove':
            if (name && current.length > 6) void h.orchestrator.removeService(name).catch(ignore);
            break;
          case 'add': {
            const spec = specs.find((s) => !h.registry.has(s.name));
            if (spec && (spec.dependencies ?? []).every((d) => h.registry.has(d))) {
              lastState.delete(spec.name); // a new instance starts from unknown
              void h.orchestrator
                .addService(new TestService({ ...spec, probe: h.probe }))
                .catch(ignore);
            }
            break;
          }
          case 'storm':
            // Everything running crashes and fails its next starts: a burst of retries.
            for (const service of h.registry.list()) {
              if (service.state !== 'running') continue;
              asTestService(service).failStarts = 1 + random.int(2);
              asTestService(service).crash();
            }
            break;
          case 'wait':
            await settle(random.int(5_000));
            break;
        }
        await settle(random.int(50));
        // Quiescent check: nothing runs while something it depends on is down.
        if (random.next() < 0.2) {
          await settle(100);
          for (const service of h.registry.list()) {
            if (service.state !== 'running') continue;
            for (const dep of service.dependencies) {
              const depState = h.registry.find(dep)?.state;
              if (depState !== 'running' && depState !== 'starting' && depState !== 'stopping') {
                violations.push(
                  `step ${step}: ${service.name} runs while its dependency ${dep} is ${depState ?? 'gone'}`,
                );
              }
            }
          }
        }
        if (violations.length > 0) break;
      }
      const stopping = h.orchestrator.stop();
      await settle(30_000);
      await stopping;
      if (process.env['DEBUG_RANDOM'])
        console.error({
          events: h.events.length,
          maxRetriesInFlight,
          states: h.orchestrator.getAllServices().map((s) => s.state),
        });
      expect(violations).toEqual([]);
      expect(maxRetriesInFlight).toBeLessThanOrEqual(5);
      expect(maxRetriesInFlight).toBeGreaterThan(0);
      for (const service of h.registry.list()) {
        expect(['stopped', 'unknown']).toContain(service.state);
        expect(asTestService(service).holding).toBe(false);
      }
      expect(h.events.length).toBeGreaterThan(1_000);
    });
  }
});

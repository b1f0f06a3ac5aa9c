import { describe, expect, it } from 'vitest';
import {
  DependencyCycleError,
  DuplicateServiceError,
  findCycle,
  MissingDependencyError,
  ServiceNotFoundError,
  ServiceRegistry,
  transitiveDependents,
  validateDependencies,
  validateDependenciesOf,
} from '../src/index.js';
import { TestService } from './support/test-service.js';

describe('ServiceRegistry', () => {
  it('registers, lists in registration order, finds by type and unregisters', () => {
    const registry = new ServiceRegistry();
    const b = new TestService({ name: 'b' });
    const a = new TestService({ name: 'a', type: 'other' });
    registry.register(b);
    registry.register(a);
    expect(registry.names()).toEqual(['b', 'a']);
    expect(registry.byType('other')).toEqual([a]);
    expect(registry.get('a')).toBe(a);
    expect(registry.find('zzz')).toBeUndefined();
    expect(registry.unregister('b')).toBe(b);
    expect(registry.names()).toEqual(['a']);
    expect(registry.size).toBe(1);
  });

  it('refuses duplicate names and unknown names with typed errors and stable codes', () => {
    const registry = new ServiceRegistry();
    registry.register(new TestService({ name: 'a' }));
    const dup = (() => {
      try {
        registry.register(new TestService({ name: 'a' }));
      } catch (e) {
        return e;
      }
    })();
    expect(dup).toBeInstanceOf(DuplicateServiceError);
    expect(dup).toMatchObject({ code: 'SERVICE_ALREADY_EXISTS' });
    expect(() => registry.get('b')).toThrow(ServiceNotFoundError);
    expect(() => registry.unregister('b')).toThrow(
      "service 'b' not found. Registered services: a. Check the name.",
    );
    expect(() => new ServiceRegistry().get('x')).toThrow(/No services are registered yet/);
  });

  it('tells observers of additions (existing ones at once) and removals', () => {
    const registry = new ServiceRegistry();
    registry.register(new TestService({ name: 'a' }));
    const seen: string[] = [];
    const stop = registry.observe({
      added: (s) => seen.push(`+${s.name}`),
      removed: (s) => seen.push(`-${s.name}`),
    });
    registry.register(new TestService({ name: 'b' }));
    registry.unregister('a');
    stop();
    registry.register(new TestService({ name: 'c' }));
    expect(seen).toEqual(['+a', '+b', '-a']);
  });
});

describe('dependency graph', () => {
  const graph = (edges: Record<string, string[]>): Map<string, string[]> =>
    new Map(Object.entries(edges));

  it('finds a cycle and names its path', () => {
    expect(findCycle(graph({ a: ['b'], b: ['c'], c: ['a'] }))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(graph({ a: ['a'] }))).toEqual(['a', 'a']);
    expect(findCycle(graph({ a: ['b', 'c'], b: ['c'], c: [] }))).toBeUndefined();
  });

  it('handles a 10,000-deep chain without overflowing the stack', () => {
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < 10_000; i++) edges[`s${i}`] = i === 0 ? [] : [`s${i - 1}`];
    expect(findCycle(graph(edges))).toBeUndefined();
    edges['s0'] = ['s9999'];
    expect(findCycle(graph(edges))).toHaveLength(10_001);
  });

  it('validates missing dependencies and cycles with typed errors', () => {
    const check = (edges: Record<string, string[]>) => () => {
      validateDependencies(graph(edges));
    };
    expect(check({ a: ['x'] })).toThrow(MissingDependencyError);
    expect(check({ a: ['b'], b: ['a'] })).toThrow(DependencyCycleError);
    expect(check({ a: [], b: ['a'] })).not.toThrow();
  });

  it('validates one service and what it depends on, ignoring broken parts elsewhere', () => {
    const g = graph({ a: [], b: ['a'], broken: ['gone'], loop1: ['loop2'], loop2: ['loop1'] });
    const check = (root: string) => () => {
      validateDependenciesOf(g, root);
    };
    expect(check('b')).not.toThrow();
    expect(check('broken')).toThrow(MissingDependencyError);
    expect(check('loop1')).toThrow(DependencyCycleError);
  });

  it('lists transitive dependents', () => {
    const g = graph({ a: [], b: ['a'], c: ['b'], d: ['a'], e: [] });
    expect([...transitiveDependents(g, 'a')].sort()).toEqual(['b', 'c', 'd']);
    expect([...transitiveDependents(g, 'e')]).toEqual([]);
  });
});

import { DependencyCycleError, MissingDependencyError } from '../errors/errors.js';

/** The dependency edges of a set of services: name → names it depends on. */
export type DependencyMap = ReadonlyMap<string, readonly string[]>;

/**
 * Throws `MissingDependencyError` for the first dependency that names no service, or
 * `DependencyCycleError` with the cycle's path. Checked before anything starts.
 */
export function validateDependencies(graph: DependencyMap): void {
  for (const [name, deps] of graph) {
    for (const dep of deps) {
      if (!graph.has(dep)) throw new MissingDependencyError(name, dep);
    }
  }
  const cycle = findCycle(graph);
  if (cycle) throw new DependencyCycleError(cycle);
}

/**
 * Like `validateDependencies`, but only for `root` and what it depends on, directly or through
 * others: a broken corner of the graph elsewhere does not stop this service.
 */
export function validateDependenciesOf(graph: DependencyMap, root: string): void {
  const closure = new Map<string, readonly string[]>();
  const queue = [root];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (closure.has(name)) continue;
    const deps = graph.get(name) ?? [];
    closure.set(name, deps);
    for (const dep of deps) {
      if (!graph.has(dep)) throw new MissingDependencyError(name, dep);
      queue.push(dep);
    }
  }
  const cycle = findCycle(closure);
  if (cycle) throw new DependencyCycleError(cycle);
}

/** A cycle as a path that starts and ends at the same service, or undefined. */
export function findCycle(graph: DependencyMap): string[] | undefined {
  const done = new Set<string>();
  const onPath = new Map<string, number>();
  const path: string[] = [];
  // Iterative DFS: deep chains must not overflow the stack.
  for (const root of graph.keys()) {
    if (done.has(root)) continue;
    const stack: { name: string; next: number }[] = [{ name: root, next: 0 }];
    onPath.set(root, 0);
    path.push(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (!frame) break;
      const deps = graph.get(frame.name) ?? [];
      const dep = deps[frame.next++];
      if (dep === undefined) {
        stack.pop();
        path.pop();
        onPath.delete(frame.name);
        done.add(frame.name);
        continue;
      }
      if (!graph.has(dep) || done.has(dep)) continue;
      const at = onPath.get(dep);
      if (at !== undefined) return [...path.slice(at), dep];
      onPath.set(dep, path.length);
      path.push(dep);
      stack.push({ name: dep, next: 0 });
    }
  }
  return undefined;
}

/** name → names that depend on it directly. */
export function dependentsIndex(graph: DependencyMap): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const [name, deps] of graph) {
    for (const dep of deps) {
      const list = index.get(dep);
      if (list) list.push(name);
      else index.set(dep, [name]);
    }
  }
  return index;
}

/** Every service that depends on `name`, directly or through others. */
export function transitiveDependents(graph: DependencyMap, name: string): Set<string> {
  const index = dependentsIndex(graph);
  const found = new Set<string>();
  const queue = [...(index.get(name) ?? [])];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    if (found.has(next)) continue;
    found.add(next);
    queue.push(...(index.get(next) ?? []));
  }
  return found;
}

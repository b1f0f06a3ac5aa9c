export interface GraphInput {
  readonly name: string;
  readonly dependencies: readonly string[];
}

export interface GraphLayout {
  /** Column = length of the longest dependency chain below it; row = place in its column. */
  readonly nodes: ReadonlyMap<string, { readonly column: number; readonly row: number }>;
  /** From a service to one of its dependencies (only dependencies that are in the graph). */
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  readonly columns: number;
  readonly rows: number;
}

/**
 * A layered layout: services with no dependencies in column 0, each other service one column
 * right of its deepest dependency. A cycle (the orchestrator refuses them, but a view must not
 * hang) is cut where it closes.
 */
export function layoutGraph(services: readonly GraphInput[]): GraphLayout {
  const known = new Map(services.map((s) => [s.name, s]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (name: string): number => {
    const done = depth.get(name);
    if (done !== undefined) return done;
    if (visiting.has(name)) return 0;
    visiting.add(name);
    const deps = known.get(name)?.dependencies.filter((d) => known.has(d)) ?? [];
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(depthOf));
    visiting.delete(name);
    depth.set(name, value);
    return value;
  };
  const nodes = new Map<string, { column: number; row: number }>();
  const rowsUsed: number[] = [];
  for (const service of services) {
    const column = depthOf(service.name);
    const row = rowsUsed[column] ?? 0;
    rowsUsed[column] = row + 1;
    nodes.set(service.name, { column, row });
  }
  const edges = services.flatMap((s) =>
    s.dependencies.filter((d) => known.has(d)).map((d) => ({ from: s.name, to: d })),
  );
  return {
    nodes,
    edges,
    columns: Math.max(1, rowsUsed.length),
    rows: Math.max(1, ...rowsUsed.map((n) => n)),
  };
}

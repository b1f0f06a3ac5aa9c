import type { GatewayConfigProblem, SourcePosition } from './types.js';

/** `corral.yaml:7:11 mcpServers.memory.args: must be a list of strings, e.g. […]` */
export function formatProblem(problem: GatewayConfigProblem): string {
  const where =
    problem.line === undefined
      ? problem.file
      : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  return problem.path === ''
    ? `${where}: ${problem.message}`
    : `${where} ${problem.path}: ${problem.message}`;
}

/** `mcpServers.memory` + `args` → `mcpServers.memory.args`; a number is an index: `args[1]`. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/**
 * The position of `path` in the file, or of the nearest enclosing value that has one (a missing
 * field is reported where its entry is).
 */
export function positionOf(
  positions: Readonly<Record<string, SourcePosition>> | undefined,
  path: string,
): SourcePosition | undefined {
  if (!positions) return undefined;
  for (let at = path; at !== ''; at = parentPath(at)) {
    const found = positions[at];
    if (found) return found;
  }
  return undefined;
}

function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}

/** A problem located with `positions`, in the shape every message of this module takes. */
export function locatedProblem(
  file: string,
  path: string,
  message: string,
  positions?: Readonly<Record<string, SourcePosition>>,
): GatewayConfigProblem {
  const position = positionOf(positions, path);
  return position
    ? { file, path, message, line: position.line, column: position.column }
    : { file, path, message };
}

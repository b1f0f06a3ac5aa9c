import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { joinPath } from './format-problem.js';
import { jsoncToJson } from './jsonc.js';
import type { GatewayConfigProblem, SourcePosition } from './types.js';

/** A parsed config file: its value, and where each value sits (by path in the file's terms). */
export interface ParsedConfigText {
  readonly value: unknown;
  readonly positions: Record<string, SourcePosition>;
}

export type ParseResult =
  | { readonly ok: true; readonly parsed: ParsedConfigText }
  | { readonly ok: false; readonly problem: GatewayConfigProblem };

/**
 * Parses YAML, or JSON with comments and trailing commas (`json: true`). JSON is read with
 * `JSON.parse` (true JSON semantics and messages) and positioned with the YAML parser, which
 * reads JSON too.
 */
export function parseConfigText(text: string, file: string, json: boolean): ParseResult {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  // An empty file is a mistake (or an editor mid-save), never "stop every server".
  const empty: ParseResult = {
    ok: false,
    problem: {
      file,
      path: '',
      message: 'is empty: add servers under mcpServers (run `corral init` for a commented example)',
    },
  };
  if (source.trim() === '') return empty;
  const lineCounter = new LineCounter();
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const body = json ? jsoncToJson(source) : source;
  let doc: Document.Parsed;
  let value: unknown;
  try {
    doc = parseDocument(body, {
      lineCounter,
      prettyErrors: true,
      uniqueKeys: true,
      merge: !json,
    });
    if (json) {
      try {
        value = JSON.parse(body);
      } catch (error) {
        if (isStackOverflow(error)) throw error;
        return { ok: false, problem: jsonSyntaxProblem(error, body, file, at, doc.errors[0]) };
      }
    } else {
      const first = doc.errors[0];
      if (first && /call stack/i.test(first.message)) {
        return { ok: false, problem: { file, path: '', message: TOO_DEEP } };
      }
      if (first) {
        const position = first.linePos?.[0];
        return {
          ok: false,
          problem: {
            file,
            path: '',
            message: `is not valid YAML: ${plainMessage(first.message)} — fix the syntax there`,
            ...(position ? { line: position.line, column: position.col } : {}),
          },
        };
      }
      try {
        value = doc.toJS({ maxAliasCount: 1000 });
      } catch (error) {
        // An alias bomb (anchors expanding into millions of nodes) is refused by the parser.
        if (isStackOverflow(error) || !(error instanceof Error)) throw error;
        return {
          ok: false,
          problem: {
            file,
            path: '',
            message: `is not valid YAML: ${error.message} — fix it there`,
          },
        };
      }
    }
  } catch (error) {
    // The parsers recurse: brackets nested thousands deep (a paste gone wrong) exhaust the stack.
    if (!isStackOverflow(error)) throw error;
    return { ok: false, problem: { file, path: '', message: TOO_DEEP } };
  }

  const deep = deepestPathBeyond(value, MAX_NESTING);
  if (deep !== undefined) {
    return {
      ok: false,
      problem: {
        file,
        path: deep,
        message:
          `is nested more than ${MAX_NESTING} levels deep: no setting needs that — look for ` +
          'unbalanced brackets or indentation there',
      },
    };
  }
  if (value === null || value === undefined) return empty;
  const positions: Record<string, SourcePosition> = {};
  if (doc.errors.length === 0 && doc.contents) collectPositions(doc.contents, '', positions, at);
  return { ok: true, parsed: { value, positions } };
}

/** Deeper than any config needs; what reads the value after parsing recurses, so it is bounded. */
const MAX_NESTING = 64;

const TOO_DEEP =
  'is nested too deeply to read (thousands of brackets or indentation levels): look for ' +
  'unbalanced brackets — no setting needs more than a few levels';

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** The path of the first value nested deeper than `limit`, found without recursion. */
function deepestPathBeyond(value: unknown, limit: number): string | undefined {
  const stack: { node: unknown; path: string; depth: number }[] = [
    { node: value, path: '', depth: 0 },
  ];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { node, path, depth } = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return path;
    const entries: [string | number, unknown][] = Array.isArray(node)
      ? node.map((item, index) => [index, item])
      : Object.entries(node);
    for (const [key, child] of entries) {
      stack.push({ node: child, path: joinPath(path, key), depth: depth + 1 });
    }
  }
  return undefined;
}

/** Records each value's position; a mapping (an entry) is placed at its key, where a reader looks. */
function collectPositions(
  node: Node,
  path: string,
  positions: Record<string, SourcePosition>,
  at: (offset: number) => SourcePosition,
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = pair.key;
      const childPath = joinPath(path, String(key.value));
      const value = pair.value;
      const keyStart = key.range?.[0];
      if (isMap(value) || isSeq(value) || isScalar(value)) {
        const atKey = isMap(value) || (isSeq(value) && !value.flow);
        const start = atKey ? keyStart : value.range?.[0];
        if (start !== undefined) positions[childPath] = at(start);
        collectPositions(value, childPath, positions, at);
      } else if (keyStart !== undefined) {
        positions[childPath] = at(keyStart);
      }
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      if (!isMap(item) && !isSeq(item) && !isScalar(item)) return;
      const childPath = joinPath(path, index);
      const start = item.range?.[0];
      if (start !== undefined) positions[childPath] = at(start);
      collectPositions(item, childPath, positions, at);
    });
  }
}

function jsonSyntaxProblem(
  error: unknown,
  body: string,
  file: string,
  at: (offset: number) => SourcePosition,
  yamlError: { linePos?: [{ line: number; col: number }, ...unknown[]] } | undefined,
): GatewayConfigProblem {
  const raw = error instanceof Error ? error.message : String(error);
  const offset = /at position (\d+)/.exec(raw)?.[1];
  let position: SourcePosition | undefined;
  if (offset !== undefined) position = at(Number(offset));
  else if (/end of JSON input/.test(raw)) position = at(body.length);
  else if (yamlError?.linePos) {
    position = { line: yamlError.linePos[0].line, column: yamlError.linePos[0].col };
  }
  const reason = raw
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/, ".*" is not valid JSON$/s, '');
  return {
    file,
    path: '',
    message: `is not valid JSON: ${reason} — fix the syntax there (comments and trailing commas are fine)`,
    ...(position ?? {}),
  };
}

/** The yaml package's pretty message without the code excerpt and the position it repeats. */
function plainMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim();
}

import { dirname, basename } from 'node:path';
import { joinPath } from './format-problem.js';

/** Where expansion reads from: the environment, and the config file's own directory. */
export interface ExpansionContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The config file's directory: `${configDir}`, and VS Code's `${workspaceFolder}`. */
  readonly baseDir: string;
}

/** A reference that could not be expanded, at a path in the file's terms. */
export interface ExpansionProblem {
  readonly path: string;
  readonly message: string;
}

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;
// `$${…}` is a literal `${…}`; `${…}` is a reference.
const reference = /\$\$\{|\$\{([^}]*)\}/g;

/**
 * Expands `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}` (unset) and VS Code's
 * `${env:VAR}`, `${workspaceFolder}` and `${userHome}` in every string value (not in keys).
 * Returns the expanded copy and one problem per reference that cannot be expanded.
 */
export function expandVariables(
  value: unknown,
  path: string,
  context: ExpansionContext,
): { value: unknown; problems: ExpansionProblem[] } {
  const problems: ExpansionProblem[] = [];
  const walk = (node: unknown, at: string): unknown => {
    if (typeof node === 'string') return expandString(node, at, context, problems);
    if (Array.isArray(node)) return node.map((item, index) => walk(item, joinPath(at, index)));
    if (isRecord(node)) {
      return Object.fromEntries(
        Object.entries(node).map(([key, child]) => [key, walk(child, joinPath(at, key))]),
      );
    }
    return node;
  };
  return { value: walk(value, path), problems };
}

function expandString(
  text: string,
  path: string,
  context: ExpansionContext,
  problems: ExpansionProblem[],
): string {
  return text.replace(reference, (match, body: string | undefined) => {
    if (body === undefined) return '${';
    const result = resolveReference(body, context);
    if (typeof result === 'string') return result;
    problems.push({ path, message: result.problem });
    return match;
  });
}

function resolveReference(body: string, context: ExpansionContext): string | { problem: string } {
  const { env } = context;
  const builtin = builtinVariable(body, context);
  if (builtin !== undefined) return builtin;

  const colon = body.indexOf(':');
  const prefix = colon === -1 ? undefined : body.slice(0, colon);
  if (prefix === 'input') {
    return {
      problem:
        `uses \${${body}}, a VS Code input prompt, which corral cannot show: put the value in ` +
        `the environment and write \${NAME} instead (export NAME=… before starting corral)`,
    };
  }
  if (prefix === 'env') {
    const name = body.slice(colon + 1);
    if (!variableName.test(name)) return { problem: invalidReference(body) };
    const found = env[name];
    return found ?? { problem: unsetVariable(name) };
  }

  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([\s\S]*))?$/.exec(body);
  if (!match) {
    if (prefix !== undefined && /^[A-Za-z]+$/.test(prefix)) {
      return {
        problem:
          `uses \${${body}}: "${prefix}:" references are VS Code's and corral does not support ` +
          'them; use ${NAME} or ${NAME:-default} from the environment',
      };
    }
    return { problem: invalidReference(body) };
  }
  const [, name = '', operator, fallback = ''] = match;
  const found = env[name];
  if (operator === ':-') return found === undefined || found === '' ? fallback : found;
  if (operator === '-') return found ?? fallback;
  return found ?? { problem: unsetVariable(name) };
}

function builtinVariable(body: string, context: ExpansionContext): string | undefined {
  switch (body) {
    case 'configDir':
      return context.baseDir;
    case 'workspaceFolder':
      // VS Code's `.vscode/mcp.json` means the folder that holds `.vscode`.
      return basename(context.baseDir) === '.vscode' ? dirname(context.baseDir) : context.baseDir;
    case 'userHome':
      return context.env['HOME'] ?? context.env['USERPROFILE'];
    default:
      return undefined;
  }
}

function unsetVariable(name: string): string {
  return (
    `\${${name}} is not set: export ${name}=… before starting corral, ` +
    `or give a default: \${${name}:-value}`
  );
}

function invalidReference(body: string): string {
  return (
    `\${${body}} is not a variable reference corral understands: write \${NAME}, ` +
    '${NAME:-default} or ${env:NAME} (and $${ for a literal "${")'
  );
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

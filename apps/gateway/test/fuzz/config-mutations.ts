/**
 * Mutations of valid config files for the config fuzzer: byte-level edits of the text (what a
 * bad save, a paste or a stray keystroke does) and structure-level edits of the parsed value
 * (what a confused user writes), each chosen by a seeded random source so a case replays.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SeededRandom } from '@corral/testing';
import { parse, stringify } from 'yaml';
import { jsoncToJson } from '../../src/config/jsonc.js';
import { starterConfig } from '../../src/config/starter-config.js';

/** A config file to mutate: its text, and the extension that says how it is read. */
export interface BaseConfig {
  readonly name: string;
  readonly text: string;
  readonly extension: '.yaml' | '.json';
}

/** One fuzz case: the file to write, and what was done to get it (for the failure message). */
export interface FuzzCase {
  readonly base: string;
  readonly extension: string;
  readonly text: string;
  readonly steps: readonly string[];
}

const fixture = (path: string): string =>
  readFileSync(fileURLToPath(new URL(`../fixtures/configs/${path}`, import.meta.url)), 'utf8');

/** The valid configs every case starts from: the test fixtures and the `corral init` starter. */
export function baseConfigs(): BaseConfig[] {
  const starter = starterConfig();
  const vscode = fixture('vscode-workspace/.vscode/mcp.json');
  return [
    { name: 'fleet.yaml', text: fixture('fleet.yaml'), extension: '.yaml' },
    {
      name: 'claude_desktop_config.json',
      text: fixture('claude_desktop_config.json'),
      extension: '.json',
    },
    { name: '.vscode/mcp.json', text: vscode, extension: '.json' },
    { name: 'corral init (yaml)', text: starter, extension: '.yaml' },
    {
      name: 'corral init (json)',
      text: JSON.stringify(parse(starter), null, 2),
      extension: '.json',
    },
    {
      name: '.vscode/mcp.json (as json)',
      text: JSON.stringify(JSON.parse(jsoncToJson(vscode)), null, 2),
      extension: '.json',
    },
  ];
}

/** The environment the cases expand variables from (some referenced variables stay unset). */
export const FUZZ_ENV: Readonly<Record<string, string>> = {
  HOME: '/home/fuzz',
  PROM_PORT: '9100',
  PROM_HOST: 'prom.example',
  REMOTE_TOKEN: 'remote-token-0123456789',
  CORRAL_TOKEN: 'corral-token-0123456789',
  EMPTY: '',
  WEIRD: '${NOT_EXPANDED_AGAIN}',
};

/** Builds one case from `bases` with `random`: one to four mutations of either kind. */
export function makeCase(bases: readonly BaseConfig[], random: SeededRandom): FuzzCase {
  const base = random.pick(bases);
  const steps: string[] = [];
  let text = base.text;
  let extension: string = base.extension;
  const structural = random.next() < 0.5;
  if (structural) {
    const value: unknown =
      base.extension === '.json' ? JSON.parse(jsoncToJson(base.text)) : parse(base.text);
    const tree = { root: value };
    const count = 1 + random.int(3);
    const markers: Marker[] = [];
    for (let i = 0; i < count; i++) {
      const mutation = random.pick(structureMutations);
      steps.push(mutation(tree, random, markers));
    }
    const asJson = random.next() < 0.5;
    text = asJson
      ? JSON.stringify(tree.root, null, random.pick([0, 2, 4]))
      : stringify(tree.root, { lineWidth: 0 });
    extension = asJson ? '.json' : '.yaml';
    text = applyMarkers(text, markers, asJson);
  }
  // Byte-level edits: always for half the cases, and now and then on top of a structural one.
  if (!structural || random.next() < 0.15) {
    const count = 1 + random.int(4);
    for (let i = 0; i < count; i++) {
      const mutation = random.pick(byteMutations);
      const result = mutation(text, random);
      text = result.text;
      steps.push(result.step);
    }
  }
  // Now and then the extension lies about the content (YAML in a .json file, and back).
  if (random.next() < 0.05) {
    extension = random.pick(['.json', '.yaml', '.yml', '.jsonc', '.txt']);
    steps.push(`written as ${extension}`);
  }
  return { base: base.name, extension, text, steps };
}

// ---------------------------------------------------------------------------------------------
// Byte level

type ByteMutation = (text: string, random: SeededRandom) => { text: string; step: string };

const syntaxChars = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '"',
  "'",
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  '-',
  '?',
  '%',
  '@',
  '`',
  '$',
  '\\',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '  ',
  '/',
  '/*',
  '//',
  '${',
  '}}',
  '<<: ',
];
const oddChars = [
  '\0',
  '\u0001',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u200b',
  '\u202e',
  '\ud800',
  '\udfff',
  '\ufffd',
  '\uffff',
  '😀',
  '𝕏',
  'é',
  'ß',
  '中',
];

function randomChars(random: SeededRandom, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    const kind = random.int(4);
    if (kind === 0) out += random.pick(syntaxChars);
    else if (kind === 1) out += random.pick(oddChars);
    else if (kind === 2) out += String.fromCharCode(random.int(0x10000));
    else out += String.fromCharCode(0x20 + random.int(0x5f));
  }
  return out;
}

const show = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

const byteMutations: ByteMutation[] = [
  (text, random) => {
    const at = random.int(text.length + 1);
    return { text: text.slice(0, at), step: `truncate at ${at}` };
  },
  (text, random) => {
    const at = random.int(text.length + 1);
    const length = 1 + random.int(12);
    return { text: text.slice(0, at) + text.slice(at + length), step: `delete ${length} at ${at}` };
  },
  (text, random) => {
    const at = random.int(text.length + 1);
    const chars = randomChars(random, 1 + random.int(4));
    return {
      text: text.slice(0, at) + chars + text.slice(at),
      step: `insert ${show(chars)} at ${at}`,
    };
  },
  (text, random) => {
    const at = random.int(text.length + 1);
    const length = 1 + random.int(40);
    const copy = text.slice(at, at + length);
    return {
      text: text.slice(0, at) + copy + text.slice(at),
      step: `duplicate ${show(copy)} at ${at}`,
    };
  },
  (text, random) => {
    const at = random.int(text.length);
    const char = randomChars(random, 1);
    return {
      text: text.slice(0, at) + char + text.slice(at + 1),
      step: `replace at ${at} with ${show(char)}`,
    };
  },
  (text, random) => {
    const lines = text.split('\n');
    const a = random.int(lines.length);
    const b = random.int(lines.length);
    [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
    return { text: lines.join('\n'), step: `swap lines ${a + 1} and ${b + 1}` };
  },
  (text, random) => {
    const lines = text.split('\n');
    const at = random.int(lines.length);
    lines.splice(at, 0, lines[at] ?? '');
    return { text: lines.join('\n'), step: `duplicate line ${at + 1}` };
  },
  (text, random) => {
    const lines = text.split('\n');
    const at = random.int(lines.length);
    const line = lines[at] ?? '';
    const change = random.pick(['+1', '+2', '-1', '-2', 'tab', 'strip']);
    const next =
      change === '+1'
        ? ` ${line}`
        : change === '+2'
          ? `  ${line}`
          : change === '-1'
            ? line.replace(/^ /, '')
            : change === '-2'
              ? line.replace(/^ {1,2}/, '')
              : change === 'tab'
                ? `\t${line.trimStart()}`
                : line.trimStart();
    lines[at] = next;
    return { text: lines.join('\n'), step: `indent line ${at + 1} ${change}` };
  },
  (text, random) => {
    const lines = text.split('\n');
    const at = random.int(lines.length);
    lines.splice(at, 1);
    return { text: lines.join('\n'), step: `delete line ${at + 1}` };
  },
  (text, random) => {
    const at = random.int(text.length + 1);
    const count = 1 + random.int(3);
    return {
      text: text.slice(0, at) + '\0'.repeat(count) + text.slice(at),
      step: `${count} NUL at ${at}`,
    };
  },
  (text, random) => {
    // YAML anchors and aliases: merge keys, a dangling alias, a billion-laughs bomb.
    const kind = random.pick(['bomb', 'dangling', 'merge', 'self']);
    const tail =
      kind === 'bomb'
        ? '\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n' +
          Array.from(
            { length: 6 },
            (_, i) => `l${i + 1}: &l${i + 1} [${`*l${i}, `.repeat(9)}*l${i}]`,
          ).join('\n')
        : kind === 'dangling'
          ? '\nextra: *nowhere\n'
          : kind === 'merge'
            ? '\nbase: &base { command: npx, args: [-y] }\nmcpServers2: { m: { <<: *base, toolPrefix: m } }\n'
            : '\nloop: &loop { self: *loop }\n';
    return { text: text + tail, step: `append YAML anchors (${kind})` };
  },
  (text, random) => {
    // Line endings a Windows editor (or half of one) writes.
    const crlf = random.next() < 0.5;
    return {
      text: crlf ? text.replace(/\n/g, '\r\n') : text.replace(/\n/g, '\r'),
      step: crlf ? 'CRLF' : 'CR only',
    };
  },
];

// ---------------------------------------------------------------------------------------------
// Structure level

/** A value replaced in the text after serializing (deep nesting, duplicate keys). */
interface Marker {
  readonly token: string;
  /** What replaces the token: a JSON/YAML flow fragment valid in both. */
  readonly replacement: string;
  /** Whether the token is a key (`token: value`) rather than a value. */
  readonly key: boolean;
}

type Tree = { root: unknown };
type StructureMutation = (tree: Tree, random: SeededRandom, markers: Marker[]) => string;

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container =>
  typeof value === 'object' && value !== null;

/** A random container in the tree, with its path (a fresh, detached one when there is none). */
function pickContainer(tree: Tree, random: SeededRandom): { node: Container; path: string } {
  if (!isContainer(tree.root)) return { node: {}, path: '(detached)' };
  let node: Container = tree.root;
  let path = '(top)';
  for (let depth = 0; depth < 6; depth++) {
    const children = Object.entries(node).filter(([, child]) => isContainer(child));
    if (children.length === 0 || random.next() < 0.25) break;
    const [key, child] = random.pick(children);
    node = child as Container;
    path = path === '(top)' ? key : `${path}.${key}`;
  }
  return { node, path };
}

function keysOf(node: Container): string[] {
  return Object.keys(node);
}

function setChild(node: Container, key: string, value: unknown): void {
  if (Array.isArray(node)) node[Number(key)] = value;
  else
    Object.defineProperty(node, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}

/** Values of every kind, the wrong one for most fields. */
function otherValue(random: SeededRandom): unknown {
  return random.pick<() => unknown>([
    () => null,
    () => true,
    () => false,
    () => 0,
    () => -1,
    () => 3.5,
    () => 65536,
    () => 2 ** 53 + 1,
    () => 1e308,
    () => '',
    () => ' ',
    () => 'text',
    () => '8090',
    () => 'true',
    () => '127.0.0.1',
    () => [],
    () => [1, 'two', null],
    () => ['a', 'b'],
    () => ({}),
    () => ({ type: 'process' }),
    () => ({ command: 'npx' }),
    () => ({ nested: { deeper: [true] } }),
    () => randomChars(random, 1 + random.int(20)),
    () => oddVariable(random),
  ])();
}

const oddVariables = [
  '${',
  '${}',
  '${ }',
  '${HOME',
  '$${HOME}',
  '$$${HOME}',
  '${UNSET_VAR}',
  '${EMPTY}',
  '${EMPTY:-fallback}',
  '${EMPTY-fallback}',
  '${UNSET_VAR:-}',
  '${UNSET_VAR-}',
  '${A:-${B}}',
  '${${HOME}}',
  '${env:}',
  '${env:HOME}',
  '${env:UNSET_VAR}',
  '${env:1X}',
  '${input:token}',
  '${command:pick}',
  '${1X}',
  '${HOME:}',
  '${HOME:+x}',
  '${configDir}',
  '${workspaceFolder}',
  '${userHome}',
  '${WEIRD}',
  '${HOME}${HOME}${HOME}',
  '${X:-a}b}',
  '$',
  '$$',
  '${-}',
  '${:-x}',
  '${\n}',
  '${HOME\0}',
  '${😀}',
];

function oddVariable(random: SeededRandom): string {
  const variable = random.pick(oddVariables);
  return random.next() < 0.5 ? variable : `pre-${variable}-post`;
}

const weirdKeys = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  'gateway',
  'a.b',
  'a[0]',
  'x'.repeat(300),
  '😀',
  '\u0000',
  'type',
  'Aggregator',
  'mcpServers',
  'services',
  'servers',
  'aggregator',
  'plugins',
  '$schema',
  'inputs',
  '123',
  '-',
];

const structureMutations: StructureMutation[] = [
  // Replace a value with one of another type.
  (tree, random) => {
    const { node, path } = pickContainer(tree, random);
    const keys = keysOf(node);
    if (keys.length === 0) return `nothing to replace at ${path}`;
    const key = random.pick(keys);
    const value = otherValue(random);
    setChild(node, key, value);
    return `${path}.${key} = ${show(JSON.stringify(value))}`;
  },
  // Delete a key.
  (tree, random) => {
    const { node, path } = pickContainer(tree, random);
    const keys = keysOf(node);
    if (keys.length === 0) return `nothing to delete at ${path}`;
    const key = random.pick(keys);
    if (Array.isArray(node)) node.splice(Number(key), 1);
    else Reflect.deleteProperty(node, key);
    return `delete ${path}.${key}`;
  },
  // Duplicate a key (in the text: a parsed value cannot hold two).
  (tree, random, markers) => {
    const { node, path } = pickContainer(tree, random);
    const keys = keysOf(node);
    if (Array.isArray(node) || keys.length === 0) return `no key to duplicate at ${path}`;
    const key = random.pick(keys);
    const token = `__fuzz_dup_${markers.length}__`;
    setChild(node, token, otherValue(random));
    markers.push({ token, replacement: JSON.stringify(key), key: true });
    return `duplicate key ${path}.${key}`;
  },
  // Add an unknown or awkward key.
  (tree, random) => {
    const { node, path } = pickContainer(tree, random);
    const key = random.pick(weirdKeys);
    if (Array.isArray(node)) {
      node.push(otherValue(random));
      return `append to ${path}`;
    }
    setChild(node, key, otherValue(random));
    return `add ${path}.${show(key)}`;
  },
  // Rename an entry (to a weird name, or to a name used elsewhere).
  (tree, random) => {
    const { node, path } = pickContainer(tree, random);
    const keys = keysOf(node);
    if (Array.isArray(node) || keys.length === 0) return `nothing to rename at ${path}`;
    const key = random.pick(keys);
    const to = random.pick(weirdKeys);
    const value = node[key];
    Reflect.deleteProperty(node, key);
    setChild(node, to, value);
    return `rename ${path}.${key} to ${show(to)}`;
  },
  // Deep nesting, as flow text (serializers and parsers recurse).
  (tree, random, markers) => {
    const { node, path } = pickContainer(tree, random);
    const keys = keysOf(node);
    const depth = random.pick([20, 100, 1000, 5000]);
    const token = `__fuzz_deep_${markers.length}__`;
    const replacement =
      random.next() < 0.5
        ? '['.repeat(depth) + ']'.repeat(depth)
        : '{"a": '.repeat(depth) + '1' + '}'.repeat(depth);
    const key = keys.length > 0 && random.next() < 0.7 ? random.pick(keys) : 'deep';
    setChild(node, key, token);
    markers.push({ token, replacement, key: false });
    return `${path}.${key} nested ${depth} deep`;
  },
  // Huge strings and lists.
  (tree, random) => {
    const { node, path } = pickContainer(tree, random);
    const keys = keysOf(node);
    const key = keys.length > 0 ? random.pick(keys) : 'huge';
    const size = random.pick([1_000, 10_000, 100_000]);
    const value =
      random.next() < 0.5
        ? random.pick(['x', '${HOME}', '$${', 'é', '\\']).repeat(size)
        : Array.from({ length: size / 10 }, (_, i) => (random.next() < 0.5 ? `a${i}` : i));
    setChild(node, key, value);
    return `${path}.${key} = huge ${Array.isArray(value) ? `list (${size / 10})` : `string (${size})`}`;
  },
  // `${…}` oddities in a string value.
  (tree, random) => {
    const { node, path } = pickContainer(tree, random);
    const keys = keysOf(node);
    const key = keys.length > 0 ? random.pick(keys) : 'var';
    const value = oddVariable(random);
    setChild(node, key, value);
    return `${path}.${key} = ${show(value)}`;
  },
  // dependsOn: cycles, self, unknown, gateway, duplicates, non-strings.
  (tree, random) => {
    const root = tree.root;
    if (!isContainer(root) || Array.isArray(root)) return 'no sections for dependsOn';
    const entries: Record<string, unknown>[] = [];
    const names: string[] = [];
    for (const section of ['mcpServers', 'servers', 'services']) {
      const value = root[section];
      if (!isContainer(value) || Array.isArray(value)) continue;
      for (const [name, entry] of Object.entries(value)) {
        if (isContainer(entry) && !Array.isArray(entry)) {
          entries.push(entry);
          names.push(name);
        }
      }
    }
    if (entries.length === 0) return 'no entries for dependsOn';
    const kind = random.pick(['cycle', 'self', 'unknown', 'gateway', 'twice', 'mixed']);
    const i = random.int(entries.length);
    const j = random.int(entries.length);
    const a = entries[i] ?? {};
    const b = entries[j] ?? {};
    const nameA = names[i] ?? '';
    const nameB = names[j] ?? '';
    if (kind === 'cycle') {
      a['dependsOn'] = [nameB];
      b['dependsOn'] = [nameA];
    } else if (kind === 'self') a['dependsOn'] = [nameA];
    else if (kind === 'unknown') a['dependsOn'] = ['nope', nameB];
    else if (kind === 'gateway') a['dependsOn'] = ['gateway'];
    else if (kind === 'twice') a['dependsOn'] = [nameB, nameB];
    else a['dependsOn'] = [nameB, 1, null, ['x'], ''];
    return `dependsOn ${kind}: ${nameA} → ${nameB}`;
  },
  // Move an entry to another section (an mcpServers entry has no `type` in services).
  (tree, random) => {
    const root = tree.root;
    if (!isContainer(root) || Array.isArray(root)) return 'no sections to move between';
    const from = random.pick(['mcpServers', 'servers', 'services']);
    const to = random.pick(['mcpServers', 'servers', 'services', 'aggregator', 'plugins']);
    const source = root[from];
    if (!isContainer(source) || Array.isArray(source)) return `no ${from} to move from`;
    const names = Object.keys(source);
    if (names.length === 0) return `${from} is empty`;
    const name = random.pick(names);
    const target = isContainer(root[to]) && !Array.isArray(root[to]) ? root[to] : {};
    setChild(target, name, source[name]);
    setChild(root, to, target);
    return `copy ${from}.${name} to ${to}`;
  },
  // The aggregator section's fields, wrong.
  (tree, random) => {
    const root = tree.root;
    if (!isContainer(root) || Array.isArray(root)) return 'no top level for aggregator';
    const aggregator = isContainer(root['aggregator']) ? root['aggregator'] : {};
    const field = random.pick([
      'port',
      'host',
      'path',
      'token',
      'yolo',
      'prefix',
      'metaTools',
      'denylist',
      'debounceMs',
      'sessionIdleTimeoutMs',
      'listDeadlineMs',
      'allowedHosts',
      'allowedOrigins',
      'http',
      'stdio',
      'unknownField',
    ]);
    const value = random.pick<unknown>([
      -1,
      70000,
      0,
      '8090',
      '',
      'mcp',
      'short',
      'a'.repeat(16),
      ['a'],
      { add: 'x' },
      { add: [1], allow: ['*'] },
      'replace',
      'sometimes',
      null,
      1.5,
      true,
      otherValue(random),
    ]);
    setChild(aggregator, field, value);
    setChild(root, 'aggregator', aggregator);
    return `aggregator.${field} = ${show(JSON.stringify(value))}`;
  },
  // Replace the whole top level.
  (tree, random) => {
    tree.root = otherValue(random);
    return `top level = ${show(JSON.stringify(tree.root))}`;
  },
];

/** Puts the markers' text in place of their tokens (quoted in JSON, plain in YAML). */
function applyMarkers(text: string, markers: readonly Marker[], json: boolean): string {
  let out = text;
  for (const marker of markers) {
    const token = json ? `"${marker.token}"` : marker.token;
    out = out.split(token).join(marker.replacement);
  }
  return out;
}

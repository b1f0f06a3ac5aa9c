/**
 * Words that mark a tool as destructive. An entry without glob characters and without
 * separators is a word: it matches a tool whose name has it as a word (`delete_file`,
 * `deleteFile`, `bulk-delete`, `deletes`, `deleted`, `deleting`), not one that merely contains
 * it (`escalate` is not `scale`, `dropdown` is not `drop`).
 */
export const DEFAULT_DENYLIST: readonly string[] = [
  'delete',
  'del',
  'remove',
  'rm',
  'rmdir',
  'unlink',
  'destroy',
  'drop',
  'apply',
  'scale',
  'uninstall',
  'kill',
  'terminate',
  'purge',
  'truncate',
  'erase',
  'wipe',
  'shutdown',
  'evict',
  'drain',
  'revoke',
  'overwrite',
];

/** Why a tool is refused. */
export interface Denial {
  /** The denylist entry that matched. */
  readonly entry: string;
  /** `default` for the built-in list, `config` for `denylist.add`. */
  readonly from: 'default' | 'config';
}

/** A tool as the denylist sees it. */
export interface DenylistSubject {
  /** Its own name at its server. */
  readonly name: string;
  /** The name it is offered under. */
  readonly exposedName: string;
}

type Matcher = (subject: DenylistSubject) => boolean;

interface Rule {
  readonly entry: string;
  readonly from: 'default' | 'config';
  readonly matches: Matcher;
}

/**
 * Destructive tools refused at the one call path. Entries come in three kinds, all
 * case-insensitive:
 *
 * - a glob (`*`, `?`): matched against the tool's own name and its exposed name, e.g.
 *   `x_k8s_*` refuses every tool of server `k8s`;
 * - a word (letters and digits only): matched against the words of the tool's own name;
 * - anything else: the exact own or exposed name, e.g. `x_k8s_get_secret`.
 *
 * `allow` entries (same kinds) win over every refusal.
 */
export class Denylist {
  private readonly rules: readonly Rule[];
  private readonly allowed: readonly Matcher[];

  constructor(options: { add?: readonly string[]; allow?: readonly string[] }) {
    this.rules = [
      ...DEFAULT_DENYLIST.map((entry) => ({
        entry,
        from: 'default' as const,
        matches: matcher(entry),
      })),
      ...(options.add ?? []).map((entry) => ({
        entry,
        from: 'config' as const,
        matches: matcher(entry),
      })),
    ];
    this.allowed = (options.allow ?? []).map(matcher);
  }

  /** Why `subject` is refused, or undefined when it may be called. */
  check(subject: DenylistSubject): Denial | undefined {
    if (this.allowed.some((allows) => allows(subject))) return undefined;
    const rule = this.rules.find((r) => r.matches(subject));
    return rule ? { entry: rule.entry, from: rule.from } : undefined;
  }
}

function matcher(entry: string): Matcher {
  const lower = entry.toLowerCase();
  if (/[*?]/.test(lower)) {
    const pattern = globToRegExp(lower);
    return (s) => pattern.test(s.name.toLowerCase()) || pattern.test(s.exposedName.toLowerCase());
  }
  if (/^[a-z0-9]+$/.test(lower)) {
    return (s) => wordsOf(s.name).some((word) => isFormOf(word, lower));
  }
  return (s) => s.name.toLowerCase() === lower || s.exposedName.toLowerCase() === lower;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

/** `deleteFile`, `delete_file`, `bulk-delete.v2` → delete, file / bulk, delete, v2. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** The word itself or a plain inflection of it: s, es, d, ed, ing. */
function isFormOf(word: string, verb: string): boolean {
  if (word === verb) return true;
  if (!word.startsWith(verb.replace(/e$/, ''))) return false;
  const stem = verb.endsWith('e') ? verb.slice(0, -1) : verb;
  const forms = [`${verb}s`, `${verb}es`, `${verb}d`, `${verb}ed`, `${stem}ing`, `${stem}ed`];
  // A doubled final consonant (drop → dropped, dropping).
  const last = verb.at(-1);
  if (last !== undefined && !/[aeiouy]/.test(last))
    forms.push(`${verb}${last}ed`, `${verb}${last}ing`);
  return forms.includes(word);
}

import { createHash } from 'node:crypto';

/** What every exposed tool and prompt name matches (what clients accept). */
export const EXPOSED_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const MAX_EXPOSED_NAME_LENGTH = 64;

/** A short, stable hex digest of `text`: the same input always gives the same suffix. */
export function shortHash(text: string, length = 8): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * The name an item is offered under before collisions are settled: `<namespace>_<prefix>_<name>`,
 * not doubled when the name already starts with `<prefix>_`; just `<name>` for a transparent
 * source (prefix `""`). Plugin providers have no namespace: `core_<name>`.
 */
export function candidateName(namespace: string, prefix: string, name: string): string {
  if (prefix === '') return name;
  const body = name.startsWith(`${prefix}_`) ? name : `${prefix}_${name}`;
  return namespace === '' ? body : `${namespace}_${body}`;
}

/**
 * Fits a candidate to `EXPOSED_NAME_PATTERN`: a name that already fits is kept; otherwise
 * illegal characters become `_` and the name is cut short to end in a hash of the candidate,
 * so two long names that share their first 55 characters stay apart.
 */
export function fitName(candidate: string): string {
  if (EXPOSED_NAME_PATTERN.test(candidate)) return candidate;
  return withSuffix(sanitize(candidate), shortHash(candidate));
}

/** `name` cut to leave room for `_<suffix>` within the length limit. */
export function withSuffix(name: string, suffix: string): string {
  const room = MAX_EXPOSED_NAME_LENGTH - suffix.length - 1;
  return `${name.slice(0, room)}_${suffix}`;
}

function sanitize(name: string): string {
  const safe = name.replace(/[^a-zA-Z0-9_-]/g, '_');
  return safe === '' ? 'tool' : safe;
}

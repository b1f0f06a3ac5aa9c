/**
 * Secrets never leave the service: status shows env and header names with `***` for values,
 * URLs without credentials, and every string we surface (stderr lines, error messages, logs) is
 * scrubbed of the configured secret values.
 */

export const REDACTED = '***';

/** Names that say "this value is a credential": query parameters, flags, env variables. */
const SECRET_NAME =
  /token|key|secret|passw|pwd|auth|credential|session|signature|^sig$|cookie|bearer|private/i;
/** Shorter values are not scrubbed from free text: "1" or "true" would mangle every line. */
const MIN_SCRUB_LENGTH = 4;
/** Env values this long are scrubbed whatever their variable is called. */
const MIN_ANONYMOUS_SECRET_LENGTH = 8;

function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Every value replaced by `***`; the names stay, so status still says what is set. */
export function redactValues(record: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) out[key] = REDACTED;
  return out;
}

/**
 * A URL fit to show: user and password become `***`, as do the values of query parameters
 * named like credentials (token, key, secret, password, auth, …) and any fragment.
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return REDACTED; // not a URL we can take apart: show none of it
  }
  if (url.username !== '') url.username = REDACTED;
  if (url.password !== '') url.password = REDACTED;
  const names = [...new Set(url.searchParams.keys())];
  for (const name of names) {
    if (looksSecret(name)) url.searchParams.set(name, REDACTED);
  }
  if (url.hash !== '') url.hash = REDACTED;
  return url.toString();
}

/**
 * Command-line arguments fit to show: `--api-key=abc` becomes `--api-key=***`, and the value
 * after a flag named like a credential (`--token abc`) becomes `***`.
 */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let hideNext = false;
  for (const arg of args) {
    if (hideNext) {
      out.push(REDACTED);
      hideNext = false;
      continue;
    }
    const flag = /^(--?[^=\s]+)=/.exec(arg);
    if (flag?.[1] !== undefined && looksSecret(flag[1])) {
      out.push(`${flag[1]}=${REDACTED}`);
      continue;
    }
    if (/^--?[^=\s]+$/.test(arg) && looksSecret(arg)) hideNext = true;
    out.push(arg);
  }
  return out;
}

/** The secret strings hidden in a URL: its credentials and credential-like query values. */
export function secretsInUrl(raw: string): string[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [raw];
  }
  const found = [
    url.username,
    url.password,
    decodeSafely(url.username),
    decodeSafely(url.password),
  ];
  for (const [name, value] of url.searchParams) {
    if (looksSecret(name)) found.push(value, encodeURIComponent(value));
  }
  if (url.hash.length > 1) found.push(url.hash.slice(1));
  return found;
}

/** The secret strings in header values: each whole value and its credential after the scheme. */
export function secretsInHeaders(headers: Readonly<Record<string, string>>): string[] {
  const found: string[] = [];
  for (const value of Object.values(headers)) {
    found.push(value);
    const space = value.indexOf(' ');
    if (space !== -1) found.push(value.slice(space + 1).trim());
  }
  return found;
}

/** The env values to scrub: those of credential-like variables, and any long value. */
export function secretsInEnv(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => looksSecret(name) || value.length >= MIN_ANONYMOUS_SECRET_LENGTH)
    .map(([, value]) => value);
}

/** Replaces every occurrence of the given secrets in free text with `***`. */
export class Redactor {
  private readonly secrets: readonly string[];

  constructor(secrets: Iterable<string>) {
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = [...new Set(secrets)]
      .filter((s) => s.length >= MIN_SCRUB_LENGTH)
      .sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

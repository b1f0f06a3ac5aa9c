import { shortHash } from './exposed-names.js';

/** A source as the URI scheme needs it. */
export interface UriSource {
  readonly key: string;
  /** `""` for a transparent source: its URIs are offered as they are, when no one else's clash. */
  readonly namespace: string;
  readonly prefix: string;
}

export interface DecodedUri {
  readonly sourceKey: string;
  readonly original: string;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Resource URIs of many sources in one space, reversibly. A source gets a scheme token (e.g.
 * `x-fs`, lower case, unique) and its URIs are offered as `<token>+<original>`:
 * `file:///tmp/a.txt` of server `fs` becomes `x-fs+file:///tmp/a.txt`. Only the scheme changes,
 * so a resource template (`fixture://item/{id}`) still expands as its server meant, and the
 * result still decodes. A URI without a scheme is percent-encoded after `<token>:`.
 */
export class ResourceUriCodec {
  private readonly tokenByKey = new Map<string, string>();
  private readonly keyByToken = new Map<string, string>();

  constructor(sources: readonly UriSource[]) {
    const wanted = new Map<string, string[]>();
    for (const source of [...sources].sort((a, b) => (a.key < b.key ? -1 : 1))) {
      const token = baseToken(source);
      const group = wanted.get(token);
      if (group) group.push(source.key);
      else wanted.set(token, [source.key]);
    }
    for (const [token, keys] of wanted) {
      for (const key of keys) {
        const unique = keys.length === 1 ? token : `${token}-${shortHash(key, 6)}`;
        this.tokenByKey.set(key, unique);
        this.keyByToken.set(unique, key);
      }
    }
  }

  /** The token-form URI of `original` from source `key`. */
  encode(key: string, original: string): string {
    const token = this.tokenByKey.get(key);
    if (token === undefined) return original;
    return SCHEME.test(original)
      ? `${token}+${original}`
      : `${token}:${encodeURIComponent(original)}`;
  }

  /** The source and original URI of a token-form URI; undefined for any other URI. */
  decode(uri: string): DecodedUri | undefined {
    const colon = uri.indexOf(':');
    if (colon <= 0) return undefined;
    const scheme = uri.slice(0, colon).toLowerCase();
    const plus = scheme.indexOf('+');
    if (plus < 0) {
      const sourceKey = this.keyByToken.get(scheme);
      if (sourceKey === undefined) return undefined;
      try {
        return { sourceKey, original: decodeURIComponent(uri.slice(colon + 1)) };
      } catch {
        return undefined;
      }
    }
    const sourceKey = this.keyByToken.get(scheme.slice(0, plus));
    if (sourceKey === undefined) return undefined;
    const original = uri.slice(plus + 1);
    return SCHEME.test(original) ? { sourceKey, original } : undefined;
  }
}

/** `x-fs` for server `fs`; `core` for a plugin provider; letters, digits, `.` and `-` only. */
function baseToken(source: UriSource): string {
  const name = source.prefix === '' ? source.key : source.prefix;
  const raw = source.namespace === '' ? name : `${source.namespace}-${name}`;
  const safe = raw.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
  return /^[a-z]/.test(safe) ? safe : `x${safe}`;
}

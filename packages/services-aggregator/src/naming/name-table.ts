import { fitName, shortHash, withSuffix } from './exposed-names.js';

/** One item that wants an exposed name. */
export interface NameClaim<T> {
  /** What `candidateName` gave. */
  readonly candidate: string;
  /** The source that offers it (a service name, a provider's key). */
  readonly owner: string;
  /** Its own name at the source. */
  readonly original: string;
  readonly value: T;
}

export interface NameAssignment<T> {
  readonly name: string;
  readonly claim: NameClaim<T>;
}

/** Several items wanted one name; each got a name of its own, listed here. */
export interface NameCollision {
  readonly name: string;
  readonly claimants: readonly {
    readonly owner: string;
    readonly original: string;
    readonly name: string;
  }[];
}

const FIRST_HASH_LENGTH = 8;
const LONGEST_HASH_LENGTH = 40;

/**
 * Gives every claim a distinct name that fits the pattern. A name wanted by one claim only is
 * kept; when several want it (or it is reserved), each of them instead gets the name with a
 * suffix hashed from its owner and original name, so which names change never depends on the
 * order sources came in, and a disambiguated name stays the same whoever else collides.
 * A claim repeated by the same owner is listed once. Assignments come in the claims' order.
 */
export function assignNames<T>(
  claims: readonly NameClaim<T>[],
  reserved: ReadonlySet<string> = new Set(),
): { assigned: NameAssignment<T>[]; collisions: NameCollision[] } {
  const sorted = [...claims].sort(
    (a, b) => compare(a.owner, b.owner) || compare(a.original, b.original),
  );
  const byName = new Map<string, NameClaim<T>[]>();
  const seen = new Set<string>();
  for (const claim of sorted) {
    const identity = `${claim.owner}\u0000${claim.original}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const name = fitName(claim.candidate);
    const group = byName.get(name);
    if (group) group.push(claim);
    else byName.set(name, [claim]);
  }
  const taken = new Set<string>(reserved);
  const contested: [string, NameClaim<T>[]][] = [];
  const assigned: NameAssignment<T>[] = [];
  for (const [name, group] of byName) {
    const only = group[0];
    if (group.length === 1 && only && !reserved.has(name)) {
      taken.add(name);
      assigned.push({ name, claim: only });
    } else {
      contested.push([name, group]);
    }
  }
  const collisions: NameCollision[] = [];
  for (const [name, group] of contested) {
    const claimants: { owner: string; original: string; name: string }[] = [];
    for (const claim of group) {
      const unique = distinctName(name, `${claim.owner}\u0000${claim.original}`, taken);
      taken.add(unique);
      assigned.push({ name: unique, claim });
      claimants.push({ owner: claim.owner, original: claim.original, name: unique });
    }
    collisions.push({ name, claimants });
  }
  const order = new Map(claims.map((claim, index) => [claim, index]));
  assigned.sort((a, b) => (order.get(a.claim) ?? 0) - (order.get(b.claim) ?? 0));
  return { assigned, collisions };
}

function distinctName(name: string, identity: string, taken: ReadonlySet<string>): string {
  for (let length = FIRST_HASH_LENGTH; length <= LONGEST_HASH_LENGTH; length += 4) {
    const candidate = withSuffix(name, shortHash(identity, length));
    if (!taken.has(candidate)) return candidate;
  }
  // Unreachable short of a sha256 collision: keep going with a counter rather than fail.
  for (let n = 2; ; n++) {
    const candidate = withSuffix(name, `${shortHash(identity, 16)}${String(n)}`);
    if (!taken.has(candidate)) return candidate;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

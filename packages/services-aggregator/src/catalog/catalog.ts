import type {
  JsonObject,
  PromptDescriptor,
  ResourceDescriptor,
  ToolDescriptor,
} from '@corral/core';
import type { Denial, Denylist } from '../calls/denylist.js';
import { candidateName } from '../naming/exposed-names.js';
import { assignNames, type NameClaim, type NameCollision } from '../naming/name-table.js';
import { ResourceUriCodec } from '../naming/resource-uris.js';
import type { CatalogSource } from './catalog-source.js';

/** A tool as clients see it, and where it really lives. */
export interface ExposedTool {
  readonly name: string;
  readonly source: CatalogSource;
  /** Its name at the source. */
  readonly original: string;
  /** The source's descriptor under the exposed name (and marked when denied). */
  readonly descriptor: ToolDescriptor;
  /** Set when the denylist refuses it (and `yolo` is off). */
  readonly denial: Denial | undefined;
}

export interface ExposedPrompt {
  readonly name: string;
  readonly source: CatalogSource;
  readonly original: string;
  readonly descriptor: PromptDescriptor;
}

export interface ExposedResource {
  readonly uri: string;
  readonly source: CatalogSource;
  readonly original: string;
  readonly descriptor: ResourceDescriptor;
}

export interface CatalogOptions {
  readonly denylist: Denylist;
  readonly yolo: boolean;
  /** Names no source may take (the meta-tools, when they are on). */
  readonly reservedToolNames: ReadonlySet<string>;
}

/** `_meta` key under which a denied tool says so. */
export const DENIED_META_KEY = 'dev.corral/denied';

/**
 * One consistent snapshot of what the aggregator serves: every source's tools, prompts and
 * resources under their exposed names, with the way back to the source. Rebuilt whole on every
 * change, so no entry outlives the source it came from; lookups never wait on a source.
 */
export class Catalog {
  readonly tools: readonly ExposedTool[];
  readonly prompts: readonly ExposedPrompt[];
  readonly resources: readonly ExposedResource[];
  readonly uris: ResourceUriCodec;
  /** Name clashes settled in this snapshot (the caller logs new ones). */
  readonly collisions: readonly {
    kind: 'tool' | 'prompt' | 'resource';
    collision: NameCollision;
  }[];
  private readonly toolsByName: ReadonlyMap<string, ExposedTool>;
  private readonly promptsByName: ReadonlyMap<string, ExposedPrompt>;
  private readonly resourcesByUri: ReadonlyMap<string, ExposedResource>;
  private readonly sourcesByKey: ReadonlyMap<string, CatalogSource>;
  /** URIs two transparent sources both offer: each is served in token form instead. */
  private readonly clashedUris = new Set<string>();

  constructor(sources: readonly CatalogSource[], options: CatalogOptions) {
    this.sourcesByKey = new Map(sources.map((s) => [s.key, s]));
    this.uris = new ResourceUriCodec(sources);
    const collisions: { kind: 'tool' | 'prompt' | 'resource'; collision: NameCollision }[] = [];

    const tools = assignNames(
      claims(sources, (s) => s.tools?.listTools() ?? []),
      options.reservedToolNames,
    );
    this.tools = tools.assigned.map(({ name, claim }) => {
      const denial = options.yolo
        ? undefined
        : options.denylist.check({ name: claim.original, exposedName: name });
      return {
        name,
        source: claim.value.source,
        original: claim.original,
        descriptor: exposedTool(claim.value.item, name, denial),
        denial,
      };
    });
    collisions.push(...tools.collisions.map((collision) => ({ kind: 'tool' as const, collision })));

    const prompts = assignNames(claims(sources, (s) => s.prompts?.listPrompts() ?? []));
    this.prompts = prompts.assigned.map(({ name, claim }) => ({
      name,
      source: claim.value.source,
      original: claim.original,
      descriptor: { ...claim.value.item, name },
    }));
    collisions.push(
      ...prompts.collisions.map((collision) => ({ kind: 'prompt' as const, collision })),
    );

    const resources = this.exposeResources(sources);
    this.resources = resources.exposed;
    collisions.push(...resources.collisions);
    this.collisions = collisions;

    this.toolsByName = new Map(this.tools.map((t) => [t.name, t]));
    this.promptsByName = new Map(this.prompts.map((p) => [p.name, p]));
    this.resourcesByUri = new Map(this.resources.map((r) => [r.uri, r]));
  }

  tool(name: string): ExposedTool | undefined {
    return this.toolsByName.get(name);
  }

  prompt(name: string): ExposedPrompt | undefined {
    return this.promptsByName.get(name);
  }

  source(key: string): CatalogSource | undefined {
    return this.sourcesByKey.get(key);
  }

  get sources(): IterableIterator<CatalogSource> {
    return this.sourcesByKey.values();
  }

  /** A listed resource by its exposed URI. */
  listedResource(uri: string): ExposedResource | undefined {
    return this.resourcesByUri.get(uri);
  }

  /**
   * The URI clients know `original` of `source` by: as listed; for a URI no one listed (one a
   * template produced, a link in a result), the token form — or, from a transparent source,
   * the URI itself when that cannot be mistaken for another's.
   */
  exposeUri(source: CatalogSource, original: string): string {
    if (source.prefix === '' && !this.clashedUris.has(original)) {
      const listed = this.resourcesByUri.get(original);
      const mine =
        listed === undefined ? this.uris.decode(original) === undefined : listed.source === source;
      if (mine) return original;
    }
    return this.uris.encode(source.key, original);
  }

  /** Sources that offer resources under their own URIs. */
  get transparentSources(): CatalogSource[] {
    return [...this.sourcesByKey.values()].filter(
      (s) => s.prefix === '' && (s.resources !== undefined || s.templates !== undefined),
    );
  }

  /**
   * Transparent sources keep their URIs; when two would offer the same URI (or one clashes
   * with a token-form URI) both fall back to the token form, so each stays readable.
   */
  private exposeResources(sources: readonly CatalogSource[]): {
    exposed: ExposedResource[];
    collisions: { kind: 'resource'; collision: NameCollision }[];
  } {
    const wanted: { uri: string; source: CatalogSource; item: ResourceDescriptor }[] = [];
    for (const source of sources) {
      for (const item of source.resources?.listResources() ?? []) {
        const uri = source.prefix === '' ? item.uri : this.uris.encode(source.key, item.uri);
        wanted.push({ uri, source, item });
      }
    }
    const counts = new Map<string, number>();
    for (const w of wanted) counts.set(w.uri, (counts.get(w.uri) ?? 0) + 1);
    const exposed: ExposedResource[] = [];
    const clashes = new Map<string, { owner: string; original: string; name: string }[]>();
    const seen = new Set<string>();
    for (const { uri, source, item } of wanted) {
      const clash = (counts.get(uri) ?? 0) > 1 && source.prefix === '';
      const final = clash ? this.uris.encode(source.key, item.uri) : uri;
      if (seen.has(final)) continue; // a source listing one URI twice
      seen.add(final);
      if (clash) {
        this.clashedUris.add(uri);
        const list = clashes.get(uri) ?? [];
        list.push({ owner: source.key, original: item.uri, name: final });
        clashes.set(uri, list);
      }
      exposed.push({ uri: final, source, original: item.uri, descriptor: { ...item, uri: final } });
    }
    return {
      exposed,
      collisions: [...clashes].map(([name, claimants]) => ({
        kind: 'resource' as const,
        collision: { name, claimants },
      })),
    };
  }
}

function claims<T extends { readonly name: string }>(
  sources: readonly CatalogSource[],
  list: (source: CatalogSource) => readonly T[],
): NameClaim<{ source: CatalogSource; item: T }>[] {
  const out: NameClaim<{ source: CatalogSource; item: T }>[] = [];
  for (const source of sources) {
    for (const item of list(source)) {
      out.push({
        candidate: candidateName(source.namespace, source.prefix, item.name),
        owner: source.key,
        original: item.name,
        value: { source, item },
      });
    }
  }
  return out;
}

/** The descriptor under its exposed name; a denied tool says why and how to allow it. */
function exposedTool(
  item: ToolDescriptor,
  name: string,
  denial: Denial | undefined,
): ToolDescriptor {
  if (!denial) return { ...item, name };
  const note =
    `[Blocked by Corral's denylist (matches '${denial.entry}'): calls are refused until ` +
    `the user allows '${name}' in the aggregator's denylist.allow or runs with yolo.]`;
  const meta: JsonObject = {
    ...(item._meta ?? {}),
    [DENIED_META_KEY]: { entry: denial.entry, from: denial.from },
  };
  return {
    ...item,
    name,
    description: item.description === undefined ? note : `${note} ${item.description}`,
    annotations: { ...(item.annotations ?? {}), destructiveHint: true },
    _meta: meta,
  };
}

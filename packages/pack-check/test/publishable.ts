import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file is packages/pack-check/test/publishable.ts. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface Publishable {
  readonly name: string;
  /** Relative to the repository root. */
  readonly dir: string;
  /** A library (an `exports['.']` entry point with types), not only files such as static assets. */
  readonly library: boolean;
}

interface WorkspaceManifest {
  readonly name?: string;
  readonly private?: boolean;
  readonly exports?: Readonly<Record<string, unknown>>;
}

/**
 * Every workspace package not marked private — what `pnpm publish -r` would publish — so a new
 * package is checked (and installed beside the others) from the day it appears.
 */
export async function publishablePackages(): Promise<Publishable[]> {
  const found: Publishable[] = [];
  for (const root of ['packages', 'apps']) {
    for (const entry of (await readdir(join(repoRoot, root))).sort()) {
      let text: string;
      try {
        text = await readFile(join(repoRoot, root, entry, 'package.json'), 'utf8');
      } catch {
        continue;
      }
      const manifest = JSON.parse(text) as WorkspaceManifest;
      if (manifest.private === true || manifest.name === undefined) continue;
      found.push({
        name: manifest.name,
        dir: `${root}/${entry}`,
        library: manifest.exports?.['.'] !== undefined,
      });
    }
  }
  return found;
}

/** The packages the READMEs' examples need; the list above must hold at least these. */
export const knownLibraries = [
  '@corral/api-adapter',
  '@corral/core',
  '@corral/gateway',
  '@corral/plugin-example',
  '@corral/services-aggregator',
  '@corral/services-mcpserver',
  '@corral/testing',
];

/** The exact versions pinned in pnpm-workspace.yaml's `catalog:` (what the workspace uses). */
export async function catalogVersions(): Promise<ReadonlyMap<string, string>> {
  const text = await readFile(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8');
  const versions = new Map<string, string>();
  let inCatalog = false;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) inCatalog = line.startsWith('catalog:');
    const entry = inCatalog ? /^\s+'?([^':\s]+)'?:\s*(\S+)\s*$/.exec(line) : null;
    if (entry?.[1] !== undefined && entry[2] !== undefined) versions.set(entry[1], entry[2]);
  }
  return versions;
}

export function pinned(catalog: ReadonlyMap<string, string>, name: string): string {
  const version = catalog.get(name);
  if (version === undefined) throw new Error(`${name} is not in pnpm-workspace.yaml's catalog`);
  return `${name}@${version}`;
}

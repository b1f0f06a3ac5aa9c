import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describeRun, run, userEnv } from './processes.js';
import { repoRoot, type Publishable } from './publishable.js';

export type DependencyField =
  'dependencies' | 'peerDependencies' | 'optionalDependencies' | 'devDependencies';

export const dependencyFields: readonly DependencyField[] = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
  'devDependencies',
];

/** The fields of a packed package.json these checks read. */
export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly type?: string;
  readonly license?: string;
  readonly engines?: Readonly<Record<string, string>>;
  readonly bin?: string | Readonly<Record<string, string>>;
  readonly exports?: Readonly<Record<string, unknown>>;
  readonly publishConfig?: Readonly<Record<string, unknown>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

export interface PackedPackage extends Publishable {
  readonly tarball: string;
  /** Where the tarball was extracted: the package as npm will put it in node_modules. */
  readonly root: string;
  /** Every file in the tarball, relative to its `package/` folder, sorted. */
  readonly files: readonly string[];
  readonly manifest: Manifest;
  /** The workspace manifest the tarball was packed from (with workspace: and catalog: specifiers). */
  readonly sourceManifest: Manifest;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

async function readManifest(file: string): Promise<Manifest> {
  return JSON.parse(await readFile(file, 'utf8')) as Manifest;
}

/**
 * `pnpm pack`s one package into `destination` (pnpm replaces workspace: and catalog: specifiers
 * with real versions, as `pnpm publish` does) and extracts the tarball beside it.
 */
export async function pack(pkg: Publishable, destination: string): Promise<PackedPackage> {
  const dir = join(repoRoot, pkg.dir);
  const sourceManifest = await readManifest(join(dir, 'package.json'));
  const tarballs = join(destination, 'tarballs');
  await mkdir(tarballs, { recursive: true });
  const packed = await run('pnpm', ['pack', '--pack-destination', tarballs], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    timeoutMs: 60_000,
  });
  if (packed.code !== 0) throw new Error(`pnpm pack in ${pkg.dir} failed: ${describeRun(packed)}`);
  const base = `${pkg.name.replace(/^@/, '').replace('/', '-')}-${sourceManifest.version}.tgz`;
  const tarball = join(tarballs, base);
  await stat(tarball);

  const extracted = join(destination, 'extracted', pkg.name.replace('/', '__'));
  await mkdir(extracted, { recursive: true });
  const untar = await run('tar', ['-xzf', tarball, '-C', extracted], {
    cwd: destination,
    env: userEnv(),
    timeoutMs: 30_000,
  });
  if (untar.code !== 0) throw new Error(`tar could not extract ${tarball}: ${describeRun(untar)}`);
  const root = join(extracted, 'package');
  return {
    ...pkg,
    tarball,
    root,
    files: await listFiles(root),
    manifest: await readManifest(join(root, 'package.json')),
    sourceManifest,
  };
}

/** Packs every package, two at a time (this machine has two cores). */
export async function packAll(
  packages: readonly Publishable[],
  destination: string,
): Promise<Map<string, PackedPackage>> {
  const result = new Map<string, PackedPackage>();
  const queue = [...packages];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      result.set(next.name, await pack(next, destination));
    }
  };
  await Promise.all([worker(), worker()]);
  return result;
}

/** The module specifiers a JS or declaration file imports or re-exports (static and dynamic). */
export function importSpecifiers(source: string): string[] {
  const specifiers = new Set<string>();
  const patterns = [
    /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) {
      if (match[1] !== undefined) specifiers.add(match[1]);
    }
  }
  return [...specifiers];
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

// Every publishable package as `pnpm pack` ships it: publint, the files in the tarball, and the
// manifest npm will read.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dependencyFields,
  importSpecifiers,
  packageNameOf,
  packAll,
  type PackedPackage,
} from './pack.js';
import { knownLibraries, publishablePackages } from './publishable.js';

const publishable = await publishablePackages();

let workDir = '';
let packed = new Map<string, PackedPackage>();

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'corral-pack-check-'));
  packed = await packAll(publishable, workDir);
}, 180_000);

afterAll(async () => {
  if (workDir !== '') await rm(workDir, { recursive: true, force: true });
});

function get(name: string): PackedPackage {
  const pkg = packed.get(name);
  if (pkg === undefined) throw new Error(`${name} was not packed`);
  return pkg;
}

/** What may be in a library's tarball: the manifest, the README (and a licence), compiled JS and its declarations. */
const allowedFile = /^(package\.json|README\.md|LICEN[CS]E(\.md)?|dist\/.+\.(js|d\.ts))$/;
/** A package of files (static assets): whatever it builds into dist. */
const allowedAssetFile = /^(package\.json|README\.md|LICEN[CS]E(\.md)?|dist\/.+)$/;
/** What no tarball may hold, whatever `files` says: tests, benchmarks, sources, maps, build info. */
const forbiddenFile =
  /(^|\/)(test|tests|__tests__|bench|src)\/|\.(test|spec)\.|\.map$|\.tsbuildinfo$|\.ts$(?<!\.d\.ts)/;
/** Fixtures ship only where users run them: @corral/testing's fixture server. */
const fixturesAllowedIn = new Set(['@corral/testing']);

const builtins = new Set(builtinModules);

it('finds every package the READMEs document among the publishable ones', () => {
  expect(publishable.filter((p) => p.library).map((p) => p.name)).toEqual(
    expect.arrayContaining(knownLibraries),
  );
});

describe.each(publishable)('$name, packed', ({ name, library }) => {
  it('passes publint --strict', async () => {
    const pkg = get(name);
    // The extracted tarball is exactly what is published, so publint need not pack again.
    const { messages, pkg: manifest } = await publint({
      pkgDir: pkg.root,
      pack: false,
      strict: true,
    });
    expect(messages.map((m) => formatMessage(m, manifest, { color: false }) ?? m.code)).toEqual([]);
  });

  it('holds only its compiled JS, declarations, README, LICENSE and package.json', () => {
    const { files } = get(name);
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files).toContain('LICENSE');
    const allowed = library ? allowedFile : allowedAssetFile;
    expect(files.filter((file) => !allowed.test(file))).toEqual([]);
    expect(files.filter((file) => forbiddenFile.test(file))).toEqual([]);
    if (!fixturesAllowedIn.has(name)) {
      expect(files.filter((file) => /(^|\/)fixtures?\//.test(file))).toEqual([]);
    }
  });

  it('ships a declaration for every module, and no source-map comment pointing nowhere', async () => {
    const pkg = get(name);
    const modules = pkg.files.filter((file) => file.endsWith('.js'));
    expect(modules.length).toBeGreaterThan(0);
    if (library) {
      expect(modules.filter((f) => !pkg.files.includes(f.replace(/\.js$/, '.d.ts')))).toEqual([]);
    }
    const withMapComments: string[] = [];
    for (const file of pkg.files.filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
      const text = await readFile(join(pkg.root, file), 'utf8');
      const map = /\/\/# sourceMappingURL=(\S+)/.exec(text)?.[1];
      if (map !== undefined && !pkg.files.includes(normalize(join(dirname(file), map)))) {
        withMapComments.push(`${file} → ${map}`);
      }
    }
    expect(withMapComments).toEqual([]);
  });

  it('resolves every import inside the tarball or to a declared dependency', async () => {
    const pkg = get(name);
    const declared = new Set([
      ...Object.keys(pkg.manifest.dependencies ?? {}),
      ...Object.keys(pkg.manifest.peerDependencies ?? {}),
      ...Object.keys(pkg.manifest.optionalDependencies ?? {}),
    ]);
    const unresolved: string[] = [];
    for (const file of pkg.files.filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
      const text = await readFile(join(pkg.root, file), 'utf8');
      for (const specifier of importSpecifiers(text)) {
        if (specifier.startsWith('.')) {
          const target = normalize(join(dirname(file), specifier));
          const candidates = [target, target.replace(/\.js$/, '.d.ts')];
          if (!candidates.some((c) => pkg.files.includes(c)))
            unresolved.push(`${file}: ${specifier}`);
        } else if (!specifier.startsWith('node:') && !builtins.has(specifier)) {
          if (!declared.has(packageNameOf(specifier))) unresolved.push(`${file}: ${specifier}`);
        }
      }
    }
    expect(unresolved).toEqual([]);
  });

  it('has a manifest with real versions, ESM exports with types first, and Node ≥ 20.19', () => {
    const { manifest, sourceManifest } = get(name);
    expect(manifest.private).toBeUndefined();
    expect(manifest.type).toBe('module');
    expect(manifest.license).toBe('MIT');
    expect(manifest.engines?.['node']).toBe('>=20.19');
    expect(manifest.publishConfig?.['access']).toBe('public');
    if (library) {
      const root = manifest.exports?.['.'];
      expect(Object.keys(root as object)).toEqual(['types', 'import']);
      expect(root).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    }

    for (const field of dependencyFields) {
      for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
        expect(range, `${field}.${dependency}`).not.toMatch(/^(workspace|catalog|file|link):/);
        expect(range, `${field}.${dependency}`).toMatch(/^[\^~]?\d+\.\d+\.\d+/);
        const source = sourceManifest[field]?.[dependency];
        if (source?.startsWith('workspace:') === true && field !== 'devDependencies') {
          // Our own packages at the version being published: `^` for peers (a plugin works with
          // any compatible core), exact for dependencies (they are released together).
          const { version } = get(dependency).manifest;
          expect(range).toBe(field === 'peerDependencies' ? `^${version}` : version);
        }
      }
    }
  });

  it('leaves tsyringe and reflect-metadata to core, and takes core as a peer if it is a plugin', () => {
    const { manifest } = get(name);
    const runtime = { ...manifest.dependencies, ...manifest.peerDependencies };
    if (name === '@corral/core') {
      expect(Object.keys(manifest.dependencies ?? {})).toEqual(
        expect.arrayContaining(['tsyringe', 'reflect-metadata']),
      );
      return;
    }
    expect(runtime).not.toHaveProperty('tsyringe');
    expect(runtime).not.toHaveProperty('reflect-metadata');
    // The gateway is an application: it owns the one copy of core its plugins share.
    if (name === '@corral/gateway') {
      expect(manifest.dependencies).toHaveProperty(['@corral/core']);
    } else if (runtime['@corral/core'] !== undefined) {
      expect(manifest.peerDependencies).toHaveProperty(['@corral/core']);
      expect(manifest.dependencies ?? {}).not.toHaveProperty(['@corral/core']);
    }
  });
});

describe('@corral/gateway, packed', () => {
  it('ships the corral command as an executable node script', async () => {
    const pkg = get('@corral/gateway');
    expect(pkg.manifest.bin).toEqual({ corral: './dist/cli.js' });
    const cli = join(pkg.root, 'dist/cli.js');
    expect((await stat(cli)).mode & 0o111).not.toBe(0);
    expect((await readFile(cli, 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});

describe('@corral/testing, packed', () => {
  it('ships its fixture server in dist, where fixtureServerPath() points', () => {
    const pkg = get('@corral/testing');
    expect(pkg.files).toContain('dist/fixtures/fixture-server.js');
    expect(existsSync(join(pkg.root, 'dist/fixtures/fixture-server.js'))).toBe(true);
  });
});

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeRun, run, userEnv } from './processes.js';

export interface TempProject {
  readonly dir: string;
  /** The JS file a package's `bin` names, for running it with `node` instead of through a shell. */
  binEntry(packageName: string, binName?: string): Promise<string>;
}

/**
 * A fresh npm project outside the workspace, with every tarball installed at once (so our
 * packages' dependencies on each other resolve to the tarballs) and everything else from the
 * registry — the way a user's `npm i` puts them there.
 */
export async function createProject(
  dir: string,
  tarballs: readonly string[],
  fromRegistry: readonly string[],
): Promise<TempProject> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify(
      { name: 'corral-user', version: '1.0.0', private: true, type: 'module' },
      null,
      2,
    ),
  );
  const installed = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...fromRegistry],
    { cwd: dir, env: userEnv(), timeoutMs: 280_000 },
  );
  if (installed.code !== 0) throw new Error(`npm install failed: ${describeRun(installed)}`);
  return {
    dir,
    binEntry: async (packageName, binName) => {
      const root = join(dir, 'node_modules', packageName);
      const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
        bin?: string | Record<string, string>;
      };
      const bin =
        typeof manifest.bin === 'string'
          ? manifest.bin
          : Object.entries(manifest.bin ?? {}).find(
              ([name]) => binName === undefined || name === binName,
            )?.[1];
      if (bin === undefined) throw new Error(`${packageName} has no bin ${binName ?? ''}`);
      return join(root, bin);
    },
  };
}

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The reference servers the default fleet runs, installed as this app's own dependencies. */
const defaultServers = {
  everything: '@modelcontextprotocol/server-everything',
  memory: '@modelcontextprotocol/server-memory',
  filesystem: '@modelcontextprotocol/server-filesystem',
} as const;

/**
 * Absolute path of an installed server's JS entry, from its package's `bin`. Spawning
 * `node <entry>` needs no network, no shell and no `.bin` shim (pnpm's are shell scripts).
 */
export function installedServerEntry(packageName: string): string {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const manifest = require(manifestPath) as { bin?: string | Record<string, string> };
  const bin =
    typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  if (bin === undefined) throw new Error(`${packageName} declares no bin entry`);
  return join(dirname(manifestPath), bin);
}

/** The built-in fleet: a config object, and the temporary directory it works in. */
export interface DefaultFleet {
  readonly config: Record<string, unknown>;
  /** Holds the memory server's graph and the filesystem server's sandbox. */
  readonly dir: string;
  /** Removes `dir`. */
  dispose(): Promise<void>;
}

/**
 * `corral serve` without `--config`: server-everything, server-memory (its graph in a temporary
 * directory) and server-filesystem (allowed only that directory's `files/`), all over stdio.
 */
export async function createDefaultFleet(): Promise<DefaultFleet> {
  const dir = await mkdtemp(join(tmpdir(), 'corral-default-fleet-'));
  const files = join(dir, 'files');
  await mkdir(files, { recursive: true });
  await writeFile(
    join(files, 'hello.txt'),
    "Hello from Corral's default fleet. The filesystem server may read and write this directory only.\n",
  );
  const node = process.execPath;
  return {
    dir,
    config: {
      mcpServers: {
        everything: {
          command: node,
          args: [installedServerEntry(defaultServers.everything), 'stdio'],
        },
        memory: {
          command: node,
          args: [installedServerEntry(defaultServers.memory)],
          env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') },
        },
        filesystem: {
          command: node,
          args: [installedServerEntry(defaultServers.filesystem), files],
        },
      },
    },
    async dispose() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

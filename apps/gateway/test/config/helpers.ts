import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createCorral, type ServiceTypeRegistry, silentLogger } from '@corral/core';
import type { Io } from '../../src/io.js';
import { builtinPlugins } from '../../src/plugins.js';

/** A temporary directory for config files; `cleanup` removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'corral-config-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeText(dir: string, name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

/** An `Io` that records what a command writes. */
export function captureIo(
  cwd: string,
  env: Record<string, string | undefined> = {},
): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    cwd,
    env,
    stdout: {
      write: (text: string) => {
        out += text;
        return true;
      },
    },
    stderr: {
      write: (text: string) => {
        err += text;
        return true;
      },
    },
    out: () => out,
    err: () => err,
  };
}

/** The service types `serve` uses. */
export async function builtinServiceTypes(): Promise<ServiceTypeRegistry> {
  return (await createCorral({ plugins: builtinPlugins(), logger: silentLogger })).serviceTypes;
}

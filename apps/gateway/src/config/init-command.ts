import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { type Io, ExitCode } from '../io.js';
import { starterConfig } from './starter-config.js';

export interface InitOptions {
  readonly force?: boolean;
}

/**
 * `corral init [FILE]`: writes the commented starter config (default `corral.yaml`). Never
 * overwrites an existing file unless `force` is set.
 */
export async function runInit(
  file: string | undefined,
  io: Io,
  options: InitOptions = {},
): Promise<ExitCode> {
  const name = file ?? 'corral.yaml';
  const target = resolve(io.cwd, name);
  const extension = extname(target).toLowerCase();
  if (extension !== '.yaml' && extension !== '.yml') {
    io.stderr.write(
      `corral init writes YAML: name the file .yaml or .yml (e.g. corral init corral.yaml), not ${name}\n`,
    );
    return ExitCode.usage;
  }
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, starterConfig(), { flag: options.force ? 'w' : 'wx' });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'EEXIST') {
      io.stderr.write(
        `${name} already exists: pass --force to overwrite it, or give another name (corral init other.yaml)\n`,
      );
      return ExitCode.usage;
    }
    io.stderr.write(
      `could not write ${name}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return ExitCode.failure;
  }
  io.stdout.write(
    `wrote ${name}: check it with \`corral validate ${name}\`, run it with \`corral serve --config ${name}\`\n`,
  );
  return ExitCode.ok;
}

import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import type { Io } from '../io.js';
import { ConfigFileError } from './config-file-error.js';
import { parseConfigText } from './parse-config-text.js';
import { resolveParsedConfig } from './resolve-config.js';
import type { GatewayConfig } from './types.js';

/**
 * Reads a config file — YAML, or JSON with comments (by extension) — and resolves it. Throws
 * `ConfigFileError` when the file cannot be read or parsed or is unusable as a whole; a bad
 * entry is listed in `problems` instead, and the rest runs.
 */
export async function loadConfigFile(
  file: string,
  io: Pick<Io, 'env' | 'cwd'>,
): Promise<GatewayConfig> {
  const absolute = resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new ConfigFileError([{ file, path: '', message: readFailure(error, file) }]);
  }
  const extension = extname(absolute).toLowerCase();
  const parsed = parseConfigText(text, file, extension === '.json' || extension === '.jsonc');
  if (!parsed.ok) throw new ConfigFileError([parsed.problem]);
  return resolveParsedConfig(
    parsed.parsed.value,
    { file: absolute, displayName: file, baseDir: dirname(absolute) },
    io.env,
    parsed.parsed.positions,
  );
}

function readFailure(error: unknown, file: string): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  switch (code) {
    case 'ENOENT':
      return `does not exist: check the path, or create a starter config with \`corral init ${file}\``;
    case 'EISDIR':
      return 'is a directory: give the config file in it, e.g. corral.yaml';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied): check its permissions';
    default:
      return `cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
}

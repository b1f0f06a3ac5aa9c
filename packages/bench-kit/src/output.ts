import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Formats with the workspace's prettier and its config, so committed results files pass
 * `prettier --check`; unformatted if prettier cannot be loaded.
 */
export async function prettified(
  path: string,
  text: string,
  parser: 'json' | 'markdown',
): Promise<string> {
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(path)) ?? {};
    return await prettier.format(text, { ...config, parser });
  } catch {
    return text;
  }
}

export interface ResultsFiles {
  /** Serialised with two-space indentation, then prettified. */
  readonly json: unknown;
  /** Markdown text, prettified. */
  readonly markdown: string;
}

/**
 * Writes `<dir>/<name>.json` and `<dir>/<NAME>.md` (`results` → results.json and RESULTS.md),
 * both prettified, and says so on stderr. `dir` may be a `file:` URL
 * (`new URL('.', import.meta.url)`). Returns the two paths.
 */
export async function writeResults(
  dir: string | URL,
  name: string,
  { json, markdown }: ResultsFiles,
): Promise<{ jsonPath: string; markdownPath: string }> {
  const folder = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const jsonPath = join(folder, `${name}.json`);
  const markdownPath = join(folder, `${name.toUpperCase()}.md`);
  writeFileSync(jsonPath, await prettified(jsonPath, JSON.stringify(json, null, 2), 'json'));
  writeFileSync(markdownPath, await prettified(markdownPath, markdown, 'markdown'));
  const shown = (path: string): string => relative(process.cwd(), path);
  process.stderr.write(`  wrote ${shown(jsonPath)} and ${shown(markdownPath)}\n`);
  return { jsonPath, markdownPath };
}

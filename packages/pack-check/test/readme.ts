import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { builtinModules } from 'node:module';
import { importSpecifiers, packageNameOf } from './pack.js';
import { repoRoot } from './publishable.js';

/** Where a README example is: the fenced block of `lang` after the heading that starts with `heading`. */
export interface ExampleLocation {
  /** Relative to the repository root. */
  readonly readme: string;
  readonly heading: string;
  readonly lang: string;
  /** Which block of `lang` under the heading (default 0, the first). */
  readonly index?: number;
}

/** A change made so the example runs in the test; `from` must occur in the example as written. */
export interface Substitution {
  readonly from: string;
  readonly to: string;
  /** Why the test needs it (shown when `from` is no longer in the README). */
  readonly why: string;
}

export async function readReadme(readme: string): Promise<string> {
  return readFile(join(repoRoot, readme), 'utf8');
}

/** The code of a fenced block of `lang` under the heading (before the next heading). */
export function codeBlock(markdown: string, location: ExampleLocation): string {
  const lines = markdown.split('\n');
  const headingAt = lines.findIndex(
    (line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, '').startsWith(location.heading),
  );
  if (headingAt < 0) throw new Error(`${location.readme} has no heading "${location.heading}"`);
  const nextHeading = lines.findIndex((line, index) => index > headingAt && /^#{1,6} /.test(line));
  const end = nextHeading < 0 ? lines.length : nextHeading;
  const opens = lines
    .map((line, index) =>
      index > headingAt && index < end && line === '```' + location.lang ? index : -1,
    )
    .filter((index) => index >= 0);
  const openAt = opens[location.index ?? 0];
  if (openAt === undefined) {
    throw new Error(
      `${location.readme} has no \`\`\`${location.lang} block #${String(location.index ?? 0)} under "${location.heading}"`,
    );
  }
  const closeAt = lines.findIndex((line, index) => index > openAt && line === '```');
  return lines.slice(openAt + 1, closeAt).join('\n') + '\n';
}

/** Applies every substitution (all occurrences); throws naming those the example no longer has. */
export function substitute(code: string, substitutions: readonly Substitution[]): string {
  const missing = substitutions.filter((s) => !code.includes(s.from));
  if (missing.length > 0) {
    throw new Error(
      `the README example changed; these test substitutions no longer apply:\n${missing
        .map((s) => `  - ${JSON.stringify(s.from)} (${s.why})`)
        .join('\n')}`,
    );
  }
  return substitutions.reduce((result, s) => result.split(s.from).join(s.to), code);
}

/** The packages a README's `npm i …` lines install (flags and comments left out). */
export function installedByReadme(markdown: string): string[] {
  return [...markdown.matchAll(/^npm i(?:nstall)? (.+)$/gm)].flatMap((match) =>
    (match[1] ?? '')
      .replace(/#.*$/, '')
      .split(/\s+/)
      .filter((word) => word !== '' && !word.startsWith('-'))
      .map(packageNameOf),
  );
}

/** The packages a piece of code imports (Node's built-ins left out). */
export function packagesImported(code: string): string[] {
  const builtins = new Set(builtinModules);
  return [
    ...new Set(
      importSpecifiers(code)
        .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtins.has(s))
        .map(packageNameOf),
    ),
  ].sort();
}

/**
 * The config fuzzer: thousands of seeded mutations of valid configs, each read the way `serve`
 * reads a file (`loadConfigFile`, then `checkServiceEntries` against the built-in types). Every
 * case must end in a `ConfigFileError` whose problems each say where and what, or in a config
 * whose services all validate — never another exception, never a hang.
 *
 * Replay one case: CORRAL_FUZZ_SEED=<seed> pnpm --filter @corral/gateway test fuzz
 */
import { rm, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCycle, type ServiceTypeRegistry } from '@corral/core';
import { seededRandom } from '@corral/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkServiceEntries } from '../../src/config/check-service-entries.js';
import { ConfigFileError } from '../../src/config/config-file-error.js';
import { formatProblem } from '../../src/config/format-problem.js';
import { loadConfigFile } from '../../src/config/load-config-file.js';
import { parseConfigText } from '../../src/config/parse-config-text.js';
import type { GatewayConfig, GatewayConfigProblem } from '../../src/config/types.js';
import { GATEWAY_SERVICE_NAME } from '../../src/plugins.js';
import { builtinServiceTypes } from '../config/helpers.js';
import { baseConfigs, FUZZ_ENV, type FuzzCase, makeCase } from './config-mutations.js';

const FIRST_SEED = 0xc0a1_0000;
const CASES = 3000;
const CHUNK = 250;
/** Far above what a case takes (milliseconds); reaching it means the case hangs. */
const CASE_TIMEOUT_MS = 10_000;

const replay = process.env['CORRAL_FUZZ_SEED'];
const seeds: number[] =
  replay === undefined ? Array.from({ length: CASES }, (_, i) => FIRST_SEED + i) : [Number(replay)];
const chunks: number[][] = [];
for (let i = 0; i < seeds.length; i += CHUNK) chunks.push(seeds.slice(i, i + CHUNK));

const bases = baseConfigs();
let dir: string;
let serviceTypes: ServiceTypeRegistry;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'corral-config-fuzz-'));
  serviceTypes = await builtinServiceTypes();
});

/** How the cases ended, printed once so a weakened mutator shows (all errors, no fleets). */
const outcomes = { unusable: 0, someEntriesDropped: 0, clean: 0, servicesKept: 0 };

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  console.log(
    `config fuzzer: ${seeds.length} cases from seed ${hex(seeds[0] ?? 0)}: ` +
      `${outcomes.unusable} ConfigFileError, ${outcomes.someEntriesDropped} loaded with entry ` +
      `problems, ${outcomes.clean} loaded clean; ${outcomes.servicesKept} services kept in all`,
  );
});

describe('config fuzzer', () => {
  it.each(chunks.map((chunk) => [`${hex(chunk[0] ?? 0)}…${hex(chunk.at(-1) ?? 0)}`, chunk]))(
    'seeds %s end in a clear error or a valid fleet',
    async (_label, chunk) => {
      const failures: string[] = [];
      for (const seed of chunk) {
        const failure = await runCase(seed);
        if (failure !== undefined) failures.push(failure);
      }
      if (failures.length > 0) {
        throw new Error(
          `${failures.length} of ${chunk.length} cases failed; the first:\n` +
            failures.slice(0, 3).join('\n\n'),
        );
      }
    },
    CHUNK * CASE_TIMEOUT_MS,
  );
});

/** Undefined when the case passes; otherwise its seed, its steps, its text and what went wrong. */
async function runCase(seed: number): Promise<string | undefined> {
  const fuzz = makeCase(bases, seededRandom(seed));
  const fileName = `case${fuzz.extension}`;
  await writeFile(join(dir, fileName), fuzz.text);
  let failure: string | undefined;
  try {
    failure = await withTimeout(check(fileName, fuzz.text), CASE_TIMEOUT_MS);
  } catch (error) {
    failure =
      error instanceof Error
        ? `threw ${error.name}: ${error.message}\n${(error.stack ?? '').split('\n').slice(1, 6).join('\n')}`
        : String(error);
  }
  return failure === undefined ? undefined : describeCase(seed, fuzz, failure);
}

/** Undefined when the case ends as it should; otherwise what went wrong. */
async function check(fileName: string, text: string): Promise<string | undefined> {
  let config: GatewayConfig;
  try {
    config = await loadConfigFile(fileName, { cwd: dir, env: FUZZ_ENV });
    config = await checkServiceEntries(config, serviceTypes);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    if (error.problems.length === 0) return 'a ConfigFileError without problems';
    outcomes.unusable++;
    return firstBadProblem(error.problems, fileName, true);
  }
  const bad = firstBadProblem(config.problems, fileName, false);
  if (bad !== undefined) return bad;
  const lost = lostEntry(text, fileName, config);
  if (lost !== undefined) return lost;
  if (config.problems.length > 0) outcomes.someEntriesDropped++;
  else outcomes.clean++;
  outcomes.servicesKept += Object.keys(config.services).length;
  for (const [name, entry] of Object.entries(config.services)) {
    try {
      await serviceTypes.create(name, entry);
    } catch (error) {
      return `service ${name} was kept but does not validate: ${String(error)}`;
    }
    const deps = entry['dependsOn'];
    if (deps === undefined) continue;
    if (!Array.isArray(deps))
      return `service ${name} was kept with dependsOn ${JSON.stringify(deps)}`;
    for (const dep of deps) {
      if (dep !== GATEWAY_SERVICE_NAME && !Object.hasOwn(config.services, String(dep))) {
        return `service ${name} was kept but depends on ${String(dep)}, which is not kept`;
      }
    }
  }
  const graph = new Map(
    Object.entries(config.services).map(([name, entry]) => {
      const deps = entry['dependsOn'];
      return [name, Array.isArray(deps) ? deps.map(String) : []] as const;
    }),
  );
  const cycle = findCycle(graph);
  if (cycle) return `services kept in a dependency cycle: ${cycle.join(' → ')}`;
  return undefined;
}

/**
 * An entry the file has must end up running, disabled, or named in a problem — one bad entry
 * takes only itself (and its dependents) out, and never silently.
 */
function lostEntry(text: string, fileName: string, config: GatewayConfig): string | undefined {
  // As written to the file: a lone surrogate became U+FFFD on the way.
  const written = Buffer.from(text, 'utf8').toString('utf8');
  const parsed = parseConfigText(written, fileName, /\.jsonc?$/.test(fileName));
  if (!parsed.ok || typeof parsed.parsed.value !== 'object' || parsed.parsed.value === null) {
    return 'the file loaded, but does not parse to a mapping';
  }
  const raw = parsed.parsed.value as Record<string, unknown>;
  for (const section of ['mcpServers', 'servers', 'services']) {
    const entries = raw[section];
    if (typeof entries !== 'object' || entries === null) continue;
    for (const name of Object.keys(entries)) {
      const at = `${section}.${name}`;
      const kept =
        Object.hasOwn(config.services, name) ||
        config.disabled.includes(name) ||
        config.problems.some(
          (p) => p.path === at || p.path.startsWith(`${at}.`) || p.path.startsWith(`${at}[`),
        );
      if (!kept) return `entry ${at} vanished: neither kept, disabled nor named in a problem`;
    }
  }
  return undefined;
}

/**
 * A problem must name the file and say what is wrong; one about an entry or a field names its
 * path, one about the file as a whole (syntax, emptiness, the top level) says so.
 */
function firstBadProblem(
  problems: readonly GatewayConfigProblem[],
  fileName: string,
  fatal: boolean,
): string | undefined {
  for (const problem of problems) {
    const shown = formatProblem(problem);
    if (typeof problem.message !== 'string' || problem.message.trim() === '') {
      return `a problem without a message: ${JSON.stringify(problem)}`;
    }
    if (problem.file !== fileName) return `a problem that does not name the file: ${shown}`;
    if (/\[object Object\]|\bundefined\b|\bNaN\b/.test(problem.message)) {
      return `a problem whose message shows a raw value: ${shown}`;
    }
    const wholeFile =
      /^(is empty|is not valid (YAML|JSON)|is nested too deeply|the top level must be)/.test(
        problem.message,
      );
    if (problem.path === '' && !(fatal && wholeFile)) {
      return `a problem without a path: ${shown}`;
    }
  }
  return undefined;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`the case did not finish within ${ms} ms (a hang)`));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

function describeCase(seed: number, fuzz: FuzzCase, failure: string): string {
  const lines = fuzz.text
    .split('\n')
    .slice(0, 60)
    .map((line) =>
      line.length > 200 ? `${line.slice(0, 200)}… (${line.length} characters)` : line,
    );
  const text = lines.join('\n') + (fuzz.text.split('\n').length > 60 ? '\n…' : '');
  return (
    `config fuzz case seed ${seed} (${hex(seed)}) failed: ${failure}\n` +
    `replay: CORRAL_FUZZ_SEED=${seed} pnpm --filter @corral/gateway test fuzz\n` +
    `from ${fuzz.base}, ${fuzz.steps.join('; ')}\n--- case${fuzz.extension} ---\n${text}\n---`
  );
}

function hex(seed: number): string {
  return `0x${seed.toString(16)}`;
}

/**
 * Cases the config fuzzer found, kept as plain tests: each crashed, lost an entry silently or
 * gave a misleading message before it was fixed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceTypeRegistry } from '@corral/core';
import { checkServiceEntries } from '../../src/config/check-service-entries.js';
import { ConfigFileError } from '../../src/config/config-file-error.js';
import { loadConfigFile } from '../../src/config/load-config-file.js';
import type { GatewayConfig } from '../../src/config/types.js';
import { builtinServiceTypes, tempDir, writeText } from '../config/helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let serviceTypes: ServiceTypeRegistry;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  serviceTypes = await builtinServiceTypes();
});

afterAll(async () => {
  await cleanup();
});

async function load(name: string, text: string): Promise<GatewayConfig> {
  await writeText(dir, name, text);
  return checkServiceEntries(await loadConfigFile(name, { cwd: dir, env: {} }), serviceTypes);
}

async function unusable(name: string, text: string): Promise<string[]> {
  const error: unknown = await load(name, text).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigFileError);
  return (error as ConfigFileError).problems.map((p) => `${p.path}: ${p.message}`);
}

describe('configs the fuzzer broke', () => {
  it('brackets nested thousands deep are a problem, not a stack overflow', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const json = await unusable('deep.json', `{ "mcpServers": { "a": { "args": ${deep} } } }`);
    const yaml = await unusable('deep.yaml', `mcpServers:\n  a:\n    args: ${deep}\n`);
    for (const problems of [json, yaml]) {
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/nested (too deeply|more than \d+ levels)/);
    }
  });

  it('a value nested deeper than any setting needs is named by its path', async () => {
    const deep = '{"a": '.repeat(200) + '1' + '}'.repeat(200);
    const problems = await unusable('nested.json', `{ "mcpServers": { "m": { "env": ${deep} } } }`);
    expect(problems).toEqual([
      expect.stringMatching(/^mcpServers\.m\.env(\.a)+: is nested more than 64 levels deep/),
    ]);
  });

  it('a YAML alias bomb is refused with a message, not expanded', async () => {
    const bomb = [
      'mcpServers: {}',
      'l0: &l0 [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 6 },
        (_, i) => `l${i + 1}: &l${i + 1} [${`*l${i}, `.repeat(9)}*l${i}]`,
      ),
    ].join('\n');
    const problems = await unusable('bomb.yaml', bomb);
    expect(problems).toEqual([expect.stringMatching(/^: is not valid YAML: .*alias/i)]);
  });

  it('a server named __proto__ is a problem of its own, and the others still run', async () => {
    const config = await load(
      'proto.json',
      '{ "mcpServers": { "__proto__": { "command": "npx" }, "ok": { "command": "npx" } } }',
    );
    expect(Object.keys(config.services)).toEqual(['ok']);
    expect(config.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'mcpServers.__proto__: the name "__proto__" cannot be a service name: rename this entry',
    ]);
  });

  it('depending on an entry dropped while reading says it is invalid, not unconfigured', async () => {
    const config = await load(
      'deps.yaml',
      'mcpServers:\n  a: { command: npx, autoStart: "yes" }\n  b: { command: npx, dependsOn: [a] }\n',
    );
    expect(Object.keys(config.services)).toEqual([]);
    expect(config.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^mcpServers\.a\.autoStart: must be true/),
      'mcpServers.b.dependsOn[0]: depends on "a", which is invalid (see its problems): ' +
        'fix mcpServers.a first',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { fixtureArgs, fixtureServer, fixtureServerPath, fixtureToolNames } from '../src/index.js';
import { FixtureUsageError, parseFixtureArgs } from '../src/fixtures/fixture-flags.js';

describe('fixture flags', () => {
  it('turns every option into the flag the fixture parses back', () => {
    const args = fixtureArgs({
      name: 'n',
      tools: 7,
      slowStartMs: 10,
      failFirst: { count: 2, stateFile: '/tmp/state' },
      crashAfter: 3,
      hangAfter: 0,
      hugeBytes: 99,
      churnMs: 40,
      stderrSpam: 5,
      grandchild: true,
      ignoreSigterm: true,
    });
    expect(parseFixtureArgs([...args, '--transport', 'sse', '--port', '8080'])).toEqual({
      transport: 'sse',
      port: 8080,
      name: 'n',
      tools: 7,
      slowStartMs: 10,
      failFirst: { count: 2, stateFile: '/tmp/state' },
      crashAfter: 3,
      hangAfter: 0,
      hugeBytes: 99,
      churnMs: 40,
      stderrSpam: 5,
      grandchild: true,
      ignoreSigterm: true,
    });
  });

  it('has the documented defaults', () => {
    expect(parseFixtureArgs([])).toMatchObject({
      transport: 'stdio',
      port: 0,
      name: 'fixture',
      tools: 3,
      hugeBytes: 10_485_760,
      grandchild: false,
      ignoreSigterm: false,
    });
    expect(fixtureToolNames()).toEqual([
      'echo',
      'add',
      'tool_1',
      'huge',
      'progress',
      'stats',
      'sample',
      'elicit',
      'roots',
    ]);
  });

  it('refuses what it cannot run, saying which flag', () => {
    expect(() => parseFixtureArgs(['--tools', '1'])).toThrow(FixtureUsageError);
    expect(() => parseFixtureArgs(['--tools', '1'])).toThrow(/--tools must be an integer ≥ 2/);
    expect(() => parseFixtureArgs(['--transport', 'ws'])).toThrow(/--transport must be one of/);
    expect(() => parseFixtureArgs(['--fail-first', '1'])).toThrow(/--state-file/);
    expect(() => parseFixtureArgs(['--bogus'])).toThrow(FixtureUsageError);
  });

  it('runs the built fixture with the current node', () => {
    const { command, args } = fixtureServer({ tools: 4 });
    expect(command).toBe(process.execPath);
    expect(args).toEqual([fixtureServerPath(), '--tools', '4']);
    expect(fixtureServerPath()).toMatch(/\/dist\/fixtures\/fixture-server\.js$/);
  });
});

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
      ignoreInitialize: true,
      floodPerSecond: 1000,
      floodKind: 'progress',
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
      stdoutGarbage: undefined,
      stdoutGarbageAfter: undefined,
      halfMessageAfter: undefined,
      halfMessageThen: 'stall',
      wrongIdAfter: undefined,
      ignoreInitialize: true,
      floodPerSecond: 1000,
      floodKind: 'progress',
    });
    const stdio = fixtureArgs({
      stdoutGarbage: 3,
      stdoutGarbageAfter: 2,
      halfMessageAfter: 1,
      halfMessageThen: 'exit',
      wrongIdAfter: 4,
      floodPerSecond: 50,
      floodBatch: 10,
    });
    expect(parseFixtureArgs(stdio)).toMatchObject({
      transport: 'stdio',
      stdoutGarbage: 3,
      stdoutGarbageAfter: 2,
      halfMessageAfter: 1,
      halfMessageThen: 'exit',
      wrongIdAfter: 4,
      floodPerSecond: 50,
      floodBatch: 10,
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
    expect(() => parseFixtureArgs(['--stdout-garbage-after', '1'])).toThrow(/--stdout-garbage/);
    expect(() => parseFixtureArgs(['--half-message-then', 'sulk'])).toThrow(/stall, exit/);
    expect(() => parseFixtureArgs(['--flood-kind', 'x'])).toThrow(/log, progress/);
    expect(() => parseFixtureArgs(['--flood-batch', '10'])).toThrow(/--flood N/);
    expect(() => parseFixtureArgs(['--flood', '10', '--flood-batch', '0'])).toThrow(/≥ 1/);
    expect(() =>
      parseFixtureArgs(['--flood', '10', '--flood-batch', '10', '--transport', 'sse']),
    ).toThrow(/--flood-batch writes raw bytes to stdout: it needs --transport stdio/);
    expect(() =>
      parseFixtureArgs(['--wrong-id-after', '1', '--transport', 'streamable-http']),
    ).toThrow(/--wrong-id-after writes raw bytes to stdout: it needs --transport stdio/);
  });

  it('runs the built fixture with the current node', () => {
    const { command, args } = fixtureServer({ tools: 4 });
    expect(command).toBe(process.execPath);
    expect(args).toEqual([fixtureServerPath(), '--tools', '4']);
    expect(fixtureServerPath()).toMatch(/\/dist\/fixtures\/fixture-server\.js$/);
  });
});

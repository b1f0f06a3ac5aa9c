import { describe, expect, it } from 'vitest';
import { formatDuration, stateLabel } from '../src/model/format.js';
import { layoutGraph } from '../src/model/graph-layout.js';
import { argumentsTemplate, parseArguments } from '../src/model/schema-template.js';

describe('formatDuration', () => {
  it('reads as at most two units', () => {
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(4_999)).toBe('4 s');
    expect(formatDuration(192_000)).toBe('3 min 12 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(273_600_000)).toBe('3 d 4 h');
    expect(stateLabel('auth_required')).toBe('auth required');
  });
});

describe('layoutGraph', () => {
  it('puts each service right of its deepest dependency, with an edge to each', () => {
    const layout = layoutGraph([
      { name: 'metrics', dependencies: ['tunnel', 'memory'] },
      { name: 'tunnel', dependencies: ['vpn'] },
      { name: 'vpn', dependencies: [] },
      { name: 'memory', dependencies: ['ghost'] },
    ]);
    expect(Object.fromEntries(layout.nodes)).toEqual({
      metrics: { column: 2, row: 0 },
      tunnel: { column: 1, row: 0 },
      vpn: { column: 0, row: 0 },
      memory: { column: 0, row: 1 },
    });
    expect(layout.edges).toEqual([
      { from: 'metrics', to: 'tunnel' },
      { from: 'metrics', to: 'memory' },
      { from: 'tunnel', to: 'vpn' },
    ]);
    expect([layout.columns, layout.rows]).toEqual([3, 2]);
  });

  it('survives a cycle', () => {
    const layout = layoutGraph([
      { name: 'a', dependencies: ['b'] },
      { name: 'b', dependencies: ['a'] },
    ]);
    expect(layout.nodes.size).toBe(2);
  });
});

describe('argumentsTemplate and parseArguments', () => {
  it('pre-fills required properties with defaults, enums or empty values', () => {
    expect(
      argumentsTemplate({
        type: 'object',
        properties: {
          message: { type: 'string' },
          count: { type: 'integer', default: 3 },
          mode: { type: 'string', enum: ['fast', 'slow'] },
          flag: { type: 'boolean' },
        },
        required: ['message', 'mode'],
      }),
    ).toEqual({ message: '', mode: 'fast' });
    expect(
      argumentsTemplate({ type: 'object', properties: { a: { type: 'number' }, b: {} } }),
    ).toEqual({ a: 0, b: null });
  });

  it('accepts a JSON object (or nothing) and says what is wrong otherwise', () => {
    expect(parseArguments(' ')).toEqual({ ok: true, value: {} });
    expect(parseArguments('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseArguments('[1]')).toMatchObject({ ok: false, message: /JSON object/ });
    expect(parseArguments('{a')).toMatchObject({ ok: false, message: /not valid JSON/ });
  });
});

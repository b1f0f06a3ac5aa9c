import { describe, expect, it } from 'vitest';
import { LineRing } from '../src/line-ring.js';

describe('LineRing', () => {
  it('keeps only the last `capacity` lines, oldest first', () => {
    const ring = new LineRing(3);
    for (const line of ['a', 'b', 'c', 'd', 'e']) ring.push(line);
    expect(ring.last()).toEqual(['c', 'd', 'e']);
    expect(ring.last(2)).toEqual(['d', 'e']);
  });

  it('gives the lines pushed since a mark, bounded by what it still holds', () => {
    const ring = new LineRing(3);
    ring.push('old');
    const mark = ring.mark;
    expect(ring.since(mark, 10)).toEqual([]);
    ring.push('new 1');
    ring.push('new 2');
    expect(ring.since(mark, 10)).toEqual(['new 1', 'new 2']);
    for (const line of ['x', 'y', 'z']) ring.push(line);
    expect(ring.since(mark, 10)).toEqual(['x', 'y', 'z']);
    expect(ring.since(mark, 2)).toEqual(['y', 'z']);
  });
});

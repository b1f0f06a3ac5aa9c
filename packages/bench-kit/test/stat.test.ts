import { describe, expect, it } from 'vitest';
import { percentile, round, roundStat, stat, statOf } from '../src/index.js';

describe('stat', () => {
  it('takes the middle sample of an odd count, whatever the order given', () => {
    const s = stat([9, 1, 5, 3, 7]);
    expect(s).toMatchObject({ median: 5, min: 1, max: 9, p50: 5, p99: 9 });
    // The samples stay in run order: results.json lists them as they were measured.
    expect(s.samples).toEqual([9, 1, 5, 3, 7]);
  });

  it('averages the two middle samples of an even count; p50 is a measured one', () => {
    const s = stat([40, 10, 30, 20]);
    expect(s).toMatchObject({ median: 25, min: 10, max: 40, p50: 20, p99: 40 });
  });

  it('sorts numerically, not as strings', () => {
    expect(stat([100, 9, 20]).median).toBe(20);
    expect(stat([100, 9, 20]).max).toBe(100);
  });

  it('makes one value its median, min and max', () => {
    expect(stat([4.2])).toMatchObject({ median: 4.2, min: 4.2, max: 4.2, p50: 4.2, p99: 4.2 });
  });

  it('gives NaN, not a throw, for no samples', () => {
    const s = stat([]);
    expect(s.median).toBeNaN();
    expect(s.min).toBeNaN();
    expect(s.max).toBeNaN();
  });
});

describe('statOf', () => {
  it('is the stat of one field, the samples in run order', () => {
    const runs = [
      { upMs: 30, downMs: 1 },
      { upMs: 10, downMs: 2 },
      { upMs: 20, downMs: 3 },
    ];
    expect(statOf(runs, 'upMs')).toEqual(stat([30, 10, 20]));
    expect(statOf(runs, 'downMs').median).toBe(2);
  });
});

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('is nearest-rank', () => {
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile([1, 2, 3], 1)).toBe(1);
  });

  it('rejects a percentile outside (0, 100]', () => {
    expect(() => percentile(hundred, 0)).toThrow(RangeError);
    expect(() => percentile(hundred, 101)).toThrow(RangeError);
    expect(() => percentile(hundred, Number.NaN)).toThrow(RangeError);
  });
});

describe('round and roundStat', () => {
  it('rounds to 3 digits by default, or as many as asked', () => {
    expect(round(1.23456)).toBe(1.235);
    expect(round(1.23456, 1)).toBe(1.2);
    expect(round(1234.5, 0)).toBe(1235);
  });

  it('writes median, min, max and samples, percentiles only when asked', () => {
    const s = stat([1.23456, 2.34567, 3.45678]);
    expect(roundStat(s, 2)).toEqual({
      median: 2.35,
      min: 1.23,
      max: 3.46,
      samples: [1.23, 2.35, 3.46],
    });
    expect(roundStat(s, 1, { percentiles: true, samples: false })).toEqual({
      median: 2.3,
      min: 1.2,
      max: 3.5,
      p50: 2.3,
      p99: 3.5,
    });
  });
});

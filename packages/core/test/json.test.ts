import { describe, expect, it } from 'vitest';
import { isJsonObject, toJsonObject, toJsonValue } from '../src/index.js';

describe('JSON conversion at a boundary', () => {
  it('keeps JSON, drops what is not JSON, and turns non-finite numbers into null', () => {
    const input = {
      a: 1,
      b: 'x',
      c: [1, undefined, () => 1],
      d: { e: undefined, f: Infinity },
      g: () => 2,
    };
    expect(toJsonObject(input)).toEqual({ a: 1, b: 'x', c: [1, null, null], d: { f: null } });
    expect(toJsonValue(undefined)).toBeUndefined();
    expect(toJsonObject([1, 2])).toEqual({});
    expect(toJsonObject(null)).toEqual({});
  });

  it('narrows to objects only', () => {
    expect(isJsonObject({ a: 1 })).toBe(true);
    expect(isJsonObject([1])).toBe(false);
    expect(isJsonObject(null)).toBe(false);
    expect(isJsonObject(undefined)).toBe(false);
  });
});

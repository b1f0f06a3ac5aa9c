import { describe, expect, it } from 'vitest';
import { BenchmarkRunError, childProcessCheck } from '../src/index.js';

describe('childProcessCheck', () => {
  it('passes while only the children there were at first remain', async () => {
    let children = [10, 11];
    const checkNoChildLeft = await childProcessCheck(() => Promise.resolve(children));
    children = [11];
    await expect(checkNoChildLeft('the run')).resolves.toBeUndefined();
  });

  it('names the children a run left behind', async () => {
    let children = [10];
    const checkNoChildLeft = await childProcessCheck(() => Promise.resolve(children));
    children = [10, 20, 21];
    const failure = checkNoChildLeft('the gateway');
    await expect(failure).rejects.toThrow(BenchmarkRunError);
    await expect(failure).rejects.toThrow('2 child processes outlived the gateway: 20 21');
  });
});

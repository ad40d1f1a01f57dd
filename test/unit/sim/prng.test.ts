import { describe, expect, it } from 'vitest';
import { Prng, RandomStreams } from '../../../src/adapters/sim/prng.js';

const draw = (p: Prng, n = 8): number[] => Array.from({ length: n }, () => p.nextU32());

describe('Prng streams', () => {
  it('gives the same numbers for the same seed and name', () => {
    expect(draw(new Prng(7, 'node:h1'))).toEqual(draw(new Prng(7, 'node:h1')));
  });

  it('gives different numbers for another name or another seed', () => {
    const base = draw(new Prng(7, 'node:h1'));
    expect(draw(new Prng(7, 'node:h2'))).not.toEqual(base);
    expect(draw(new Prng(8, 'node:h1'))).not.toEqual(base);
  });

  it('a stream does not depend on which other streams were made or used', () => {
    const a = new RandomStreams(3);
    const first = draw(a.stream('link:lan/h1:eth0'));
    const b = new RandomStreams(3);
    draw(b.stream('node:new-node'), 100);
    expect(draw(b.stream('link:lan/h1:eth0'))).toEqual(first);
  });

  it('int stays in range and reaches both ends', () => {
    const p = new Prng(1, 'x');
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = p.int(3, 6);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(6);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('uses seeds above 2^32 too', () => {
    expect(draw(new Prng(2 ** 32 + 5, 'x'))).not.toEqual(draw(new Prng(5, 'x')));
  });
});

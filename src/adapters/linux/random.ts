/** Randomness for real daemons: the operating system's CSPRNG (RS delays must not be guessable). */
import { getRandomValues, randomInt } from 'node:crypto';
import type { Random } from '../../core/ports.js';

export class CryptoRandom implements Random {
  private readonly pool = new Uint32Array(64);
  private used = this.pool.length;

  next(): number {
    if (this.used >= this.pool.length) {
      getRandomValues(this.pool);
      this.used = 0;
    }
    return this.pool[this.used++] / 0x1_0000_0000;
  }

  int(lo: number, hi: number): number {
    if (hi < lo) throw new RangeError(`empty range [${lo}, ${hi}]`);
    if (hi - lo < 2 ** 48 - 1) return randomInt(lo, hi + 1);
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
}

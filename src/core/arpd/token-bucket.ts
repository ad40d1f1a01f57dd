/**
 * arpd's broadcast limiter: at most B + R·T broadcasts in any interval of length T. Tokens are
 * kept in integer token-microseconds so the bound holds exactly. The original added the time
 * since the last *successful* send on every attempt, so refused attempts were credited again and
 * again and the bound was exceeded; here the refill is measured from the last attempt.
 */
import { SECOND, type Micros } from '../time.js';

export class TokenBucket {
  /** Tokens, scaled by one second: one broadcast costs SECOND. */
  private tokens: number;
  private last: Micros | undefined;
  private readonly capacity: number;

  constructor(
    /** Broadcasts per second, steady. */
    readonly rate: number,
    /** Broadcasts back to back. */
    readonly burst: number,
  ) {
    this.capacity = burst * SECOND;
    this.tokens = this.capacity;
  }

  /** Whether a token is there at time `now` (nothing taken). */
  available(now: Micros): boolean {
    return this.refilled(now) >= SECOND;
  }

  /** Takes a token at time `now` if one is there. */
  take(now: Micros): boolean {
    this.tokens = this.refilled(now);
    this.last = this.last === undefined ? now : Math.max(this.last, now);
    if (this.tokens < SECOND) return false;
    this.tokens -= SECOND;
    return true;
  }

  private refilled(now: Micros): number {
    if (this.last === undefined || now <= this.last) return this.tokens;
    return Math.min(this.capacity, this.tokens + this.rate * (now - this.last));
  }
}

/**
 * Router Advertisement timing (RFC 4861 6.2.4 and 6.2.6), apart from any I/O so it can be checked
 * on its own:
 * - unsolicited RAs: an interval uniform in [MinRtrAdvInterval, MaxRtrAdvInterval] after each
 *   multicast RA, at most MAX_INITIAL_RTR_ADVERT_INTERVAL for the first
 *   MAX_INITIAL_RTR_ADVERTISEMENTS;
 * - solicited RAs: a delay uniform in [0, MAX_RA_DELAY_TIME]; none when the next scheduled RA comes
 *   sooner; never within MIN_DELAY_BETWEEN_RAS of the previous multicast RA.
 * With intervals below 3 s (RFC 6275's fast advertising), the minimum gap is MinRtrAdvInterval, as
 * radvd does.
 */
import type { Random } from '../../../../core/ports.js';
import type { Micros } from '../../../../core/time.js';
import { MILLISECOND, SECOND } from '../../../../core/time.js';

export const MAX_INITIAL_RTR_ADVERT_INTERVAL: Micros = 16 * SECOND;
export const MAX_INITIAL_RTR_ADVERTISEMENTS = 3;
export const MAX_FINAL_RTR_ADVERTISEMENTS = 3;
export const MIN_DELAY_BETWEEN_RAS: Micros = 3 * SECOND;
export const MAX_RA_DELAY_TIME: Micros = 500 * MILLISECOND;

export class AdvertTiming {
  /** Multicast RAs sent since the interface became an advertising interface. */
  private sent = 0;
  /** When the last multicast RA went out. */
  lastMulticast: Micros | undefined;

  constructor(
    public minInterval: Micros,
    public maxInterval: Micros,
    private readonly random: Random,
  ) {}

  /** The interface (re)becomes an advertising one: the initial RAs come quickly again. */
  reset(): void {
    this.sent = 0;
  }

  /** The smallest gap between two multicast RAs. */
  get minDelay(): Micros {
    return Math.min(MIN_DELAY_BETWEEN_RAS, this.minInterval);
  }

  /** Records a multicast RA; returns the interval to the next unsolicited one. */
  multicastSent(now: Micros): Micros {
    this.sent++;
    this.lastMulticast = now;
    let interval = this.minInterval + Math.floor(this.random.next() * (this.maxInterval - this.minInterval + 1));
    if (this.sent <= MAX_INITIAL_RTR_ADVERTISEMENTS && interval > MAX_INITIAL_RTR_ADVERT_INTERVAL) interval = MAX_INITIAL_RTR_ADVERT_INTERVAL;
    return interval;
  }

  /** The random delay before answering an RS (0..MAX_RA_DELAY_TIME inclusive). */
  responseDelay(): Micros {
    return Math.floor(this.random.next() * (MAX_RA_DELAY_TIME + 1));
  }

  /**
   * When to send a multicast RA answering an RS received `now`, or undefined when the RA already
   * scheduled for `nextScheduled` will answer it.
   */
  solicitedAt(now: Micros, nextScheduled: Micros | undefined): Micros | undefined {
    const delay = this.responseDelay();
    let at = now + delay;
    if (this.lastMulticast !== undefined && now - this.lastMulticast < this.minDelay) at = this.lastMulticast + this.minDelay + delay;
    if (nextScheduled !== undefined && at >= nextScheduled) return undefined;
    return at;
  }
}

import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/adapters/sim/topology/durations.js';

describe('parseDuration', () => {
  it.each([
    ['10s', 10_000_000],
    ['250ms', 250_000],
    ['1.5s', 1_500_000],
    ['42us', 42],
    ['2m', 120_000_000],
    ['1h', 3_600_000_000],
    ['0s', 0],
    ['0.001ms', 1],
  ])('%s is %d us', (text, us) => {
    expect(parseDuration(text)).toBe(us);
  });

  it.each(['10', '5 s', 's', '-1s', '1.5us', '1e3ms', '10sec', ''])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

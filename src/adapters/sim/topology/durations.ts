/**
 * Durations in topology files: a number with a unit, "10s", "250ms", "1.5s", "42us", "2m", "1h".
 * A bare number is refused on purpose: "10" could mean seconds or milliseconds.
 */
import type { Micros } from '../../../core/time.js';

const UNITS: Record<string, number> = { us: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 };

/** The pattern the JSON Schema gives for a duration. */
export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?(us|ms|s|m|h)$';

const re = new RegExp(DURATION_PATTERN);

/** Parses a duration; returns null when the text is not one (or is finer than a microsecond). */
export function parseDuration(text: string): Micros | null {
  const m = re.exec(text.trim());
  if (!m) return null;
  const unit = m[2];
  const value = Number(text.trim().slice(0, text.trim().length - unit.length));
  const us = value * UNITS[unit];
  const rounded = Math.round(us);
  if (!Number.isSafeInteger(rounded) || Math.abs(us - rounded) > 1e-6) return null;
  return rounded;
}

/** The original's verbosity (-v/-q, from 0) as a lowest log level shown. */
import type { LogLevel } from '../../core/ports.js';

export function minLevelFor(verbose: number): LogLevel {
  if (verbose >= 1) return 'debug';
  if (verbose === 0) return 'info';
  if (verbose === -1) return 'warning';
  return 'error';
}

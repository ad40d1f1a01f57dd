/**
 * Tiers that need something from the machine (root for namespaces, tshark, radvd...) say so loudly
 * when they cannot run, and in CI (CI=true) a missing requirement is a failure, never a skip.
 */
import { execFileSync } from 'node:child_process';

export const inCI = process.env.CI === 'true' || process.env.CI === '1';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns true when the tier can run. Otherwise prints one loud SKIPPED line (and returns false),
 * or, in CI, throws so the file fails.
 */
export function tierAvailable(file: string, needs: { root?: boolean; commands?: string[] }): boolean {
  const missing: string[] = [];
  if (needs.root && !isRoot()) missing.push('root');
  for (const c of needs.commands ?? []) if (!hasCommand(c)) missing.push(c);
  if (missing.length === 0) return true;
  const line = `SKIPPED ${file}: needs ${missing.join(', ')}`;
  if (inCI) throw new Error(`${line} (CI must run every tier)`);
  process.stderr.write(`\n!!!!! ${line} !!!!!\n\n`);
  return false;
}

/** How many fast-check runs a property gets: the CI floor, or more through LINKLAB_FC_RUNS. */
export function fcRuns(floor = 100_000): number {
  const env = Number(process.env.LINKLAB_FC_RUNS);
  return Number.isFinite(env) && env > 0 ? Math.max(env, 1) : floor;
}

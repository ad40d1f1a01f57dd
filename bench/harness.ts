/**
 * Shared pieces of `npm run bench`: timing loops, and the result format every benchmark writes to
 * bench/results/<name>.json. BENCHMARKS.md is regenerated from those files by bench/run.ts.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

export interface Row {
  /** What was measured, e.g. "RA with 4 options: decode + validate". */
  name: string;
  value: number;
  unit: string;
  /** The target from the issue, as text ("≥ 2,000,000/s"), when there is one. */
  target?: string;
  /** Whether the target was met; absent when there is no target. */
  met?: boolean;
  note?: string;
}

export interface BenchResult {
  /** File stem under bench/results and the BENCHMARKS.md section id. */
  name: string;
  title: string;
  /** How the figures were produced, in a sentence or two. */
  method: string;
  rows: Row[];
  /** Side-by-side ratios measured in the same run (the figures that count). */
  ratios?: Row[];
  machine?: { cpus: string; cores: number; memoryGiB: number; node: string };
  date?: string;
}

export function machine(): NonNullable<BenchResult['machine']> {
  const c = cpus();
  return { cpus: c[0]?.model ?? 'unknown', cores: c.length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
}

export function save(result: BenchResult): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const full: BenchResult = { ...result, machine: machine(), date: new Date().toISOString().slice(0, 10) };
  writeFileSync(join(RESULTS_DIR, `${result.name}.json`), JSON.stringify(full, null, 2) + '\n');
}

/**
 * Milliseconds on the clock rates are timed with: wall time, or with LINKLAB_BENCH_CLOCK=cpu this
 * process's CPU time (user + system), which time slices lost to other work on a shared machine do
 * not inflate (the threads V8 collects garbage on count too, as they do in a real run).
 */
const cpuClock = process.env.LINKLAB_BENCH_CLOCK === 'cpu';
function elapsedMs(): number {
  if (!cpuClock) return Number(process.hrtime.bigint()) / 1e6;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Runs `fn` in batches until `minMs` has passed (after a warm-up) and returns operations per
 * second, the best of `rounds` rounds.
 */
export function opsPerSecond(fn: () => void, { minMs = 400, rounds = 5 } = {}): number {
  const batch = (n: number): number => {
    const t0 = elapsedMs();
    for (let i = 0; i < n; i++) fn();
    return elapsedMs() - t0;
  };
  let n = 1;
  while (batch(n) < 20) n *= 2; // warm-up and size the batch to ~20 ms
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    let ms = 0;
    while (ms < minMs) {
      ms += batch(n);
      ops += n;
    }
    best = Math.max(best, (ops * 1000) / ms);
  }
  return best;
}

export function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3);
}

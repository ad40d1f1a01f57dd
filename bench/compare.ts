/**
 * `tsx bench/compare.ts BASELINE NAME...`: the benchmarks named (codecs, sim-nodes, ...) from this
 * checkout and from another one (BASELINE, e.g. a `git worktree` of the commit before a change),
 * run in turn in fresh processes, `--rounds` times each (default 3), alternating so that load on a
 * shared machine falls on both alike. Each row keeps its best figure per side; the ratio
 * this / baseline is what counts (above 1: this checkout is faster, for rates). The result goes to
 * bench/results/compare.json and into BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { save, type BenchResult, type Row } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 3;
const [baselineArg, ...names] = args;
if (!baselineArg || names.length === 0 || !(rounds >= 1)) {
  process.stderr.write('usage: tsx bench/compare.ts BASELINE_CHECKOUT NAME... [--rounds N]\n');
  process.exit(2);
}
const baseline = resolve(baselineArg);
const trees = { this: resolve(here, '..'), baseline };

function git(tree: string): string {
  try {
    return execFileSync('git', ['-C', tree, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return existsSync(join(tree, 'COMMIT')) ? readFileSync(join(tree, 'COMMIT'), 'utf8').trim().slice(0, 7) : 'unknown';
  }
}

/** Each run overwrites the tree's bench/results/NAME.json: what was there goes back afterwards. */
const kept = new Map<string, string | undefined>();
function keep(tree: string, name: string): void {
  const file = join(tree, 'bench', 'results', `${name}.json`);
  if (!kept.has(file)) kept.set(file, existsSync(file) ? readFileSync(file, 'utf8') : undefined);
}
function restore(): void {
  for (const [file, text] of kept) {
    if (text === undefined) rmSync(file, { force: true });
    else writeFileSync(file, text);
  }
}

/** Runs one benchmark of one tree in its own process; returns what it saved. */
function runOnce(tree: string, name: string): BenchResult {
  keep(tree, name);
  const file = pathToFileURL(join(tree, 'bench', `${name}.bench.ts`)).href;
  execFileSync(process.execPath, ['--import', 'tsx', '-e', `import(${JSON.stringify(file)}).then((m) => m.run())`], { cwd: tree, stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(readFileSync(join(tree, 'bench', 'results', `${name}.json`), 'utf8')) as BenchResult;
}

const rows: Row[] = [];
const ratios: Row[] = [];
for (const name of names) {
  const best: Record<keyof typeof trees, Map<string, Row>> = { this: new Map(), baseline: new Map() };
  for (let r = 0; r < rounds; r++) {
    // Alternate which side goes first, so neither always runs on a warmer (or busier) machine.
    const order = (r % 2 === 0 ? ['baseline', 'this'] : ['this', 'baseline']) as Array<keyof typeof trees>;
    for (const side of order) {
      process.stderr.write(`compare: ${name}, round ${r + 1}, ${side}\n`);
      for (const row of runOnce(trees[side], name).rows) {
        const was = best[side].get(row.name);
        if (!was || row.value > was.value) best[side].set(row.name, row);
      }
    }
  }
  for (const [rowName, mine] of best.this) {
    const theirs = best.baseline.get(rowName);
    rows.push({ ...mine, name: `${name}: ${rowName}`, target: undefined, met: undefined });
    if (theirs) {
      rows.push({ ...theirs, name: `${name}: ${rowName}, baseline`, target: undefined, met: undefined });
      ratios.push({ name: `${name}: ${rowName}`, value: mine.value / theirs.value, unit: '× the baseline' });
    }
  }
}

restore();
save({
  name: 'compare',
  title: `This checkout (${git(trees.this)}) beside a baseline (${git(baseline)})`,
  method: `\`tsx bench/compare.ts BASELINE ${names.join(' ')}\`: each benchmark of both checkouts run in turn in fresh processes, ${rounds} rounds alternating which side goes first; each row is the best of its rounds, timed in ${process.env.LINKLAB_BENCH_CLOCK === 'cpu' ? 'CPU time (LINKLAB_BENCH_CLOCK=cpu)' : 'wall time'}. Rates: a ratio above 1 means this checkout is faster.`,
  rows,
  ratios,
});
for (const r of ratios) process.stderr.write(`  ${r.name}: ${r.value.toFixed(3)}\n`);

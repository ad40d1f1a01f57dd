/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command line), each writing
 * bench/results/<name>.json, then rebuilds BENCHMARKS.md from all results present.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RESULTS_DIR, fmt, type BenchResult, type Row } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

for (const f of files) {
  process.stderr.write(`bench: ${f}\n`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { run: () => Promise<void> };
  await mod.run();
}

function table(rows: Row[]): string {
  const lines = ['| measurement | value | target | met |', '|---|---|---|---|'];
  for (const r of rows) {
    const met = r.met === undefined ? '' : r.met ? 'yes' : '**no**';
    lines.push(`| ${r.name}${r.note ? ` (${r.note})` : ''} | ${fmt(r.value)} ${r.unit} | ${r.target ?? ''} | ${met} |`);
  }
  return lines.join('\n');
}

const results: BenchResult[] = readdirSync(RESULTS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')) as BenchResult);

const md = [
  '# Benchmarks',
  '',
  'Produced by `npm run bench` (one machine, one run per section; the JSON behind each table is in',
  '`bench/results/`). Ratios are measured side by side in the same run and are the figures that',
  'count; absolute rates depend on the machine named in each section.',
  '',
  ...results.flatMap((r) => [
    `## ${r.title}`,
    '',
    `${r.method}`,
    '',
    `Measured ${r.date ?? '?'} on ${r.machine ? `${r.machine.cores} × ${r.machine.cpus}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}` : 'unknown machine'}.`,
    '',
    table(r.rows),
    '',
    ...(r.ratios && r.ratios.length ? ['Side-by-side ratios:', '', table(r.ratios), ''] : []),
  ]),
].join('\n');

writeFileSync(join(here, '..', 'BENCHMARKS.md'), md + '\n');
process.stderr.write(`bench: wrote BENCHMARKS.md from ${results.length} result file(s)\n`);

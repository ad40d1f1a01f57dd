/**
 * The HTML run report: its size and how fast Debian's chromium draws it, for 10 to 1,000 hosts, and
 * the two thresholds it applies, measured here: how many SVG elements the sequence chart draws
 * before it switches to density (drawing time against elements), and how many receptions the page
 * lists before it counts them per message instead (page size and time to first render against
 * receptions). Each report is built in this process and opened in a fresh tab.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadTopology } from '../src/adapters/sim/topology/load.js';
import { ReportedSimulation, runReportHtml } from '../src/report/run-report.js';
import type { ReportLimits } from '../src/report/run-data.js';
import { launch, type Browser } from '../test/report/browser.js';
import { fmt, save, type Row } from './harness.js';
import { scaleTopology } from './sim.bench.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));

/** sim/topologies/arp-1000-hosts.yaml with `n` hosts (its expectations left out: they count 1,000). */
function arpTopology(n: number): string {
  const text = readFileSync(join(REPO, 'sim/topologies/arp-1000-hosts.yaml'), 'utf8');
  return text.replace('name: arp-1000-hosts', `name: arp-${n}-hosts`).replace('count: 1000', `count: ${n}`).replace(/\nexpect:[\s\S]*$/, '\n');
}

interface Measured {
  bytes: number;
  frames: number;
  buildMs: number;
  readyMs: number;
  renderMs: number;
  /** Redraw after "zoom in" (the chart, timelines and event list). */
  redrawMs: number;
  charted: number;
}

async function measure(browser: Browser, dir: string, name: string, yaml: string, limits?: Partial<ReportLimits>, query = ''): Promise<Measured> {
  const topology = loadTopology(yaml, { file: `${name}.yaml` });
  const t0 = performance.now();
  const r = new ReportedSimulation(topology, { seed: 1 });
  const result = r.sim.run();
  const data = r.data(result, { command: `linklab sim run ${name}.yaml --seed 1`, limits });
  const path = join(dir, `${name}.html`);
  writeFileSync(path, runReportHtml(data));
  const buildMs = performance.now() - t0;
  const w = await browser.open(`${path}${query}`);
  // Until the page has painted what it drew.
  const paintMs = await w.page.evaluate(() => new Promise<number>((ok) => { const t = performance.now(); const raf = (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame; raf(() => raf(() => ok(performance.now() - t))); }));
  const renderMs = await w.page.evaluate(() => (globalThis as unknown as { linklabReport: { renderMs: number } }).linklabReport.renderMs);
  const charted = Number(await w.page.locator('#msc-status').getAttribute('data-charted'));
  const before = await w.page.locator('#zoom .window').textContent();
  await w.page.locator('#zoom button', { hasText: 'zoom in' }).click();
  await w.page.locator('#zoom .window').filter({ hasNotText: before! }).waitFor();
  const redrawMs = Number(await w.page.locator('#msc-status').getAttribute('data-draw-ms'));
  if (w.errors.length || w.network.length) throw new Error(`${name}: console errors ${w.errors.join('; ')} requests ${w.network.join(' ')}`);
  await w.page.close();
  return { bytes: statSync(path).size, frames: data.frames, buildMs, readyMs: w.readyMs + paintMs, renderMs, redrawMs, charted };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'linklab-report-bench-'));
  const browser = await launch();
  const rows: Row[] = [];
  const ratios: Row[] = [];
  const load = loadavg()[0];
  try {
    // Sizes and speed with the default limits.
    const cases: Array<[string, string]> = [
      ['scale-10 (router + 10 hosts, RA and ARP)', scaleTopology(10)],
      ['scale-100', scaleTopology(100)],
      ['arp-100-hosts', arpTopology(100)],
      ['arp-1000-hosts', arpTopology(1000)],
    ];
    for (const [label, yaml] of cases) {
      const m = await measure(browser, dir, label.split(' ')[0], yaml);
      process.stderr.write(`report ${label}: ${fmt(m.bytes)} bytes, ${fmt(m.frames)} pcapng records, ready in ${fmt(m.readyMs)} ms\n`);
      rows.push({ name: `${label}: report size`, value: m.bytes / 1e6, unit: 'MB', note: `${fmt(m.frames)} pcapng records`, ...(label.startsWith('scale-100') || label.startsWith('arp-100-') ? { target: '≤ a few MB for 100 hosts', met: m.bytes < 4e6 } : {}) });
      rows.push({ name: `${label}: time to first render in chromium`, value: m.readyMs, unit: 'ms', note: `in-page drawing ${fmt(m.renderMs)} ms; built in ${fmt(m.buildMs)} ms` });
      rows.push({ name: `${label}: redraw after a zoom`, value: m.redrawMs, unit: 'ms' });
    }
    // The reception threshold: 300 hosts with every reception listed (about 100,000), against none listed.
    const arp300 = arpTopology(300);
    const listed = await measure(browser, dir, 'arp-300-listed', arp300, { receptions: Number.POSITIVE_INFINITY });
    const summed = await measure(browser, dir, 'arp-300-summarised', arp300, { receptions: 0 });
    rows.push({ name: 'arp-300-hosts with every reception listed: size', value: listed.bytes / 1e6, unit: 'MB', note: `${fmt(listed.frames)} records; ready in ${fmt(listed.readyMs)} ms` });
    rows.push({ name: 'arp-300-hosts with receptions summarised: size', value: summed.bytes / 1e6, unit: 'MB', note: `ready in ${fmt(summed.readyMs)} ms` });
    ratios.push({ name: 'report size, receptions listed / summarised (300 hosts)', value: listed.bytes / summed.bytes, unit: 'x' });
    // The draw threshold: reports of those 300 hosts with fewer or more frames kept (an even
    // sample), drawn with no cap in a fresh tab: time to the first painted frame against elements.
    for (const keep of [200, 450, 1000, 3000, 100_000]) {
      const m = await measure(browser, dir, `arp-300-keep-${keep}`, arp300, { receptions: Number.POSITIVE_INFINITY, messages: keep }, '?draw=1000000000');
      rows.push({ name: `first painted frame with ${fmt(m.charted)} chart elements (no cap)`, value: m.readyMs, unit: 'ms', note: `redraw after a zoom ${fmt(m.redrawMs)} ms` });
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  save({
    name: 'report',
    title: 'HTML reports (sim run --report)',
    method: `Each topology is run with seed 1 in this process, its report written, then opened from disk in Debian's chromium (headless, playwright-core): "time to first render" runs from navigation to the first frame painted after the page has drawn; "redraw" is one zoom step. Load average at the start: ${load.toFixed(2)} (the machine was shared).`,
    rows,
    ratios,
  });
}

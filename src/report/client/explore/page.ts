/**
 * The explore report page: outcomes across seeds (a grid, one row per expectation), distributions
 * of what each expectation measured (uPlot histograms, passing and failing seeds stacked), and
 * every failing seed with its replay command and a link to a run report of it.
 */
import uPlot from 'uplot';
import type { ExploreReportData } from '../../data.js';
import { command, el, esc, num, section } from '../dom.js';

/** Seeds drawn one column each up to this many; beyond, a column covers several seeds. */
const GRID_COLUMNS = 1200;
const LABEL_W = 320;

function grid(d: ExploreReportData, width: number): string {
  const seeds = d.seeds;
  const per = Math.max(1, Math.ceil(seeds.length / GRID_COLUMNS));
  const cols = Math.ceil(seeds.length / per);
  const cell = Math.max(2, Math.min(16, Math.floor((width - LABEL_W - 10) / Math.max(1, cols))));
  const h = 18;
  const rows = d.expectations.length + 1;
  const w = LABEL_W + cols * cell + 10;
  const parts: string[] = [`<svg class="grid" xmlns="http://www.w3.org/2000/svg" width="${w}" height="${rows * h + 20}">`];
  const row = (y: number, label: string, failed: (s: ExploreReportData['seeds'][number]) => boolean, cls: string): void => {
    parts.push(`<text class="grid-label" x="${LABEL_W - 8}" y="${y + 13}" text-anchor="end"><title>${esc(label)}</title>${esc(label.length > 48 ? label.slice(0, 47) + '…' : label)}</text>`);
    for (let c = 0; c < cols; c++) {
      const group = seeds.slice(c * per, (c + 1) * per);
      const bad = group.filter(failed).length;
      const first = group[0].seed;
      const last = group[group.length - 1].seed;
      const fill = bad === 0 ? '#2ca02c' : per === 1 ? '#d62728' : `rgb(214 39 40 / ${(0.35 + (0.65 * bad) / group.length).toFixed(2)})`;
      const what = per === 1 ? `seed ${first}: ${bad ? 'FAIL' : 'pass'}` : `seeds ${first}..${last}: ${bad} of ${group.length} failed`;
      parts.push(`<rect class="cell ${cls}${bad ? ' failed' : ''}" x="${LABEL_W + c * cell}" y="${y + 1}" width="${Math.max(1, cell - 1)}" height="${h - 2}" fill="${fill}" data-seed="${first}"><title>${esc(`${what} (${label})`)}</title></rect>`);
    }
  };
  row(0, 'whole run', (s) => !s.passed, 'run');
  d.expectations.forEach((x, i) => row((i + 1) * h, x.text, (s) => s.error !== undefined || !s.pass[i], 'exp'));
  parts.push(`<text class="tick" x="${LABEL_W}" y="${rows * h + 14}">seed ${seeds[0]?.seed ?? ''}</text><text class="tick" x="${LABEL_W + cols * cell}" y="${rows * h + 14}" text-anchor="end">seed ${seeds[seeds.length - 1]?.seed ?? ''}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Counts of passing and failing seeds per bin of the figure's values (one bin per value for small integers). */
function histogram(d: ExploreReportData, i: number): { x: number[]; pass: number[]; fail: number[]; measured: number; step: number; integers: boolean } | null {
  const pts = d.seeds.flatMap((s) => (s.values[i] === null || s.values[i] === undefined ? [] : [{ v: s.values[i] as number, ok: s.pass[i] }]));
  if (!pts.length) return null;
  const min = Math.min(...pts.map((p) => p.v));
  const max = Math.max(...pts.map((p) => p.v));
  const integers = pts.every((p) => Number.isInteger(p.v)) && max - min <= 40;
  const bins = integers ? max - min + 1 : max > min ? Math.min(30, new Set(pts.map((p) => p.v)).size) : 1;
  const step = integers ? 1 : max > min ? (max - min) / bins : 1;
  const x = Array.from({ length: bins }, (_, b) => (integers ? min + b : max > min ? min + (b + 0.5) * step : min));
  const pass = new Array<number>(bins).fill(0);
  const fail = new Array<number>(bins).fill(0);
  for (const p of pts) {
    const b = integers ? p.v - min : max > min ? Math.min(bins - 1, Math.floor((p.v - min) / step)) : 0;
    (p.ok ? pass : fail)[b]++;
  }
  return { x, pass, fail, measured: pts.length, step, integers };
}

function chart(target: HTMLElement, h: NonNullable<ReturnType<typeof histogram>>, label: string, unit: string, width: number): void {
  const bars = uPlot.paths.bars!({ size: [0.8, 60], align: 0 });
  const stacked = h.pass.map((p, i) => p + h.fail[i]);
  const half = h.step / 2;
  const opts: uPlot.Options = {
    width,
    height: 180,
    scales: { x: { time: false, range: () => [h.x[0] - half, h.x[h.x.length - 1] + half] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    legend: { show: true, live: false },
    cursor: { show: false },
    axes: [{ label: `${label} (${unit})`, ...(h.integers ? { incrs: [1, 2, 5, 10, 20, 50] } : {}) }, { label: 'seeds', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }],
    series: [
      { label: unit },
      { label: 'failing seeds', stroke: '#d62728', fill: 'rgba(214,39,40,0.6)', paths: bars, points: { show: false } },
      { label: 'passing seeds', stroke: '#2ca02c', fill: 'rgba(44,160,44,0.75)', paths: bars, points: { show: false } },
    ],
  };
  // Stacked: the red bar is all seeds, the green one drawn over it the passing ones.
  new uPlot(opts, [h.x, stacked, h.pass], target);
}

export function renderExplore(root: HTMLElement, d: ExploreReportData): void {
  root.replaceChildren();
  const failed = d.seeds.filter((s) => !s.passed);
  const first = d.seeds[0]?.seed;
  const last = d.seeds[d.seeds.length - 1]?.seed;
  root.append(
    el(
      'header',
      {},
      el('h1', {}, `linklab sim explore: ${d.topology.name}, seeds ${first}..${last} `, el('span', { class: `badge ${failed.length ? 'fail' : 'pass'}`, text: failed.length ? `${num(failed.length)} FAILED` : 'ALL PASSED' })),
      d.topology.description ? el('p', { class: 'description', text: d.topology.description }) : null,
      el('p', { text: `${num(d.seeds.length)} seeds of ${d.topology.file}, ${num(d.seeds.length - failed.length)} passed, ${num(failed.length)} failed, on ${d.workers} worker${d.workers === 1 ? '' : 's'}. Written by linklab ${d.linklab}.` }),
    ),
  );
  if (d.notes.length) root.append(el('ul', { class: 'notes', id: 'notes' }, ...d.notes.map((n) => el('li', { text: n }))));
  const width = Math.max(700, Math.min(1400, document.documentElement.clientWidth - 40));

  const g = el('div', { class: 'scroll', id: 'outcome-grid' });
  g.innerHTML = grid(d, width);
  g.addEventListener('click', (e) => {
    const cell = (e.target as Element).closest('.cell.failed');
    const row = cell && document.getElementById(`seed-${cell.getAttribute('data-seed')}`);
    if (row) row.scrollIntoView({ block: 'center' });
  });
  const perExp = el('table', { class: 'expectations', id: 'expectation-outcomes' });
  d.expectations.forEach((x, i) => {
    const fails = d.seeds.filter((s) => s.error !== undefined || !s.pass[i]).length;
    perExp.append(el('tr', { class: `expectation ${fails ? 'fail' : 'pass'}`, 'data-index': i }, el('td', {}, el('span', { class: `badge ${fails ? 'fail' : 'pass'}`, text: fails ? `${num(fails)} FAIL` : 'PASS' })), el('td', { class: 'exp-text', text: x.text }), el('td', { text: `${num(d.seeds.length - fails)} of ${num(d.seeds.length)} seeds passed` })));
  });
  root.append(section('Outcomes across seeds', 'outcomes', el('p', { class: 'hint', text: 'Green: the expectation held for that seed; red: it failed. Click a red cell to find the seed below.' }), g, perExp));

  const dist = el('div', { class: 'distributions', id: 'distributions' });
  d.expectations.forEach((x, i) => {
    if (!x.figure) return;
    const h = histogram(d, i);
    const box = el('div', { class: 'distribution', 'data-index': i }, el('h3', { text: x.text }));
    if (!h) {
      box.append(el('p', { class: 'hint', text: `${x.figure.label}: no seed measured it.` }));
    } else {
      box.append(el('p', { class: 'hint', text: `${x.figure.label}, measured in ${num(h.measured)} of ${num(d.seeds.length)} seeds` }));
      const target = el('div', { class: 'plot' });
      box.append(target);
      dist.append(box);
      chart(target, h, x.figure.label, x.figure.unit, Math.min(600, width - 20));
      return;
    }
    dist.append(box);
  });
  root.append(section('What the expectations measured', 'figures', dist));

  const list = el('table', { class: 'failing', id: 'failing-seeds' });
  list.append(el('tr', {}, el('th', { text: 'seed' }), el('th', { text: 'what failed' }), el('th', { text: 'replay' }), el('th', { text: 'run report' })));
  for (const s of failed) {
    const what = el('ul', {});
    if (s.error) what.append(el('li', { text: `the run crashed: ${s.error.split('\n')[0]}` }));
    for (const f of s.failures) what.append(el('li', { text: `${d.expectations[f.index]?.text ?? `expectation ${f.index + 1}`}: ${f.why}` }));
    list.append(
      el(
        'tr',
        { id: `seed-${s.seed}`, class: 'failing-seed' },
        el('td', { text: String(s.seed) }),
        el('td', {}, what),
        el('td', {}, s.command ? command(s.command) : null),
        el('td', {}, s.report ? el('a', { href: s.report, class: 'run-report', text: s.report }) : el('span', { class: 'hint', text: 'not written (see the notes)' })),
      ),
    );
  }
  root.append(section(`Failing seeds (${num(failed.length)})`, 'failures', failed.length ? list : el('p', { text: 'No seed failed.' })));

  if (d.shrunk) {
    const s = d.shrunk;
    root.append(
      section(
        `Shrunk: seed ${s.seed}`,
        'shrunk',
        el('p', { text: `The minimal fault schedule that still fails, found in ${s.runs} runs:` }),
        el('pre', { class: 'decode', text: s.schedule.join('\n') }),
        el('p', {}, 'replay: ', command(s.command)),
        s.report ? el('p', {}, el('a', { href: s.report, class: 'run-report', text: `run report of the shrunk schedule (${s.report})` })) : null,
      ),
    );
  }
}

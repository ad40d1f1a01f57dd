/**
 * The message sequence chart: one row per node (or per group of replicas), virtual time across.
 * A transmission is a dot on its sender's row; each reception is an arrow from the sending dot to
 * the receiver's row at its arrival time. Faults are marked where they struck (a cross for a loss,
 * rings for duplicated, corrupted and held-back copies, bands for a link down, a crash, a
 * partition), timed events are dashed lines, scripts are diamonds.
 *
 * Drawn as one SVG string per redraw. Above DRAW_MAX elements in the window the chart draws a
 * density strip per row instead, and says so: zooming in brings the single messages back.
 */
import { KINDS, RX_CORRUPTED, RX_DUPLICATE, RX_HELD_BACK, RX_OVERTAKEN } from '../../data.js';
import { esc, num } from '../dom.js';
import { ticks, type TimeView } from '../timescale.js';
import type { RunModel } from './model.js';

/** Measured in chromium (docs/report.md): about this many SVG elements redraw in well under a second. */
export const DRAW_MAX = 6000;

/** DRAW_MAX, or `?draw=N` from the page's address (how the benchmark measures other caps). */
export function drawMax(): number {
  const n = Number(new URLSearchParams(location.search).get('draw'));
  return Number.isFinite(n) && n > 0 ? n : DRAW_MAX;
}

export const LEFT = 170;
const ROW = 22;
const TOP = 26;
const BIN = 3;

export interface MscStats {
  /** Elements with a frame number drawn: transmissions and receptions. */
  charted: number;
  sent: number;
  received: number;
  /** In the window, drawn or not. */
  inWindow: number;
  density: boolean;
}

function spans(model: RunModel, start: string, end: string, keyOf: (f: RunModel['data']['faults'][number]) => string): Array<{ key: string; from: number; to: number; text: string; node?: string; segment?: string }> {
  const open = new Map<string, { from: number; text: string; node?: string; segment?: string }>();
  const out: Array<{ key: string; from: number; to: number; text: string; node?: string; segment?: string }> = [];
  for (const f of model.data.faults) {
    if (f.kind !== start && f.kind !== end) continue;
    const key = keyOf(f);
    if (f.kind === start) {
      if (!open.has(key)) open.set(key, { from: f.t, text: f.text, node: f.node, segment: f.segment });
    } else {
      const o = open.get(key);
      if (o) out.push({ key, from: o.from, to: f.t, text: o.text, node: o.node, segment: o.segment });
      open.delete(key);
    }
  }
  for (const [key, o] of open) out.push({ key, from: o.from, to: model.data.until, text: o.text, node: o.node, segment: o.segment });
  return out;
}

export function renderMsc(model: RunModel, view: TimeView, width: number): { svg: string; stats: MscStats } {
  const d = model.data;
  const m = d.messages;
  const rx = d.receptions;
  const rows = model.visibleRows();
  const yOf = new Map<number, number>();
  rows.forEach((r, i) => yOf.set(r, TOP + i * ROW + ROW / 2));
  const rowY = (node: number): number | undefined => yOf.get(model.rowOfNode[node]);
  const plotW = Math.max(100, width - LEFT - 10);
  const height = TOP + rows.length * ROW + 8;
  const x = (t: number): number => LEFT + view.x(t, plotW);
  const pad = (view.t1 - view.t0) * 0.002;
  const inside = (t: number): boolean => t >= view.t0 - pad && t <= view.t1 + pad;
  const parts: string[] = [];
  parts.push(`<svg class="msc" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  parts.push(`<defs><clipPath id="plot"><rect x="${LEFT}" y="0" width="${plotW}" height="${height}"/></clipPath>` + `<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="3" height="6" fill="#d62728" opacity="0.25"/></pattern></defs>`);
  rows.forEach((r, i) => {
    const y = TOP + i * ROW;
    parts.push(`<rect class="row${i % 2 ? ' odd' : ''}" x="0" y="${y}" width="${width}" height="${ROW}"/>`);
    parts.push(`<text class="row-label" x="${LEFT - 6}" y="${y + ROW / 2 + 4}" text-anchor="end" data-row="${r}">${esc(model.rows[r].label)}</text>`);
  });
  for (const tk of ticks(view.t0, view.t1, Math.max(2, Math.floor(plotW / 110)))) {
    const tx = x(tk.t);
    parts.push(`<line class="grid" x1="${tx}" y1="${TOP - 4}" x2="${tx}" y2="${height}"/><text class="tick" x="${tx}" y="${TOP - 8}" text-anchor="middle">${tk.label}</text>`);
  }
  parts.push(`<g clip-path="url(#plot)">`);

  // Bands: partitions over their segment's rows, links down, crashed nodes.
  if (model.showFaults) {
    for (const s of spans(model, 'partition', 'heal', (f) => f.segment ?? '')) {
      if (s.to < view.t0 || s.from > view.t1) continue;
      const onSeg = new Set<number>();
      d.interfaces.forEach(([node, , seg]) => {
        if (seg === s.segment) onSeg.add(model.rowOfNode[node]);
      });
      const ys = rows.filter((r) => onSeg.has(r)).map((r) => yOf.get(r)!);
      if (!ys.length) continue;
      const y0 = Math.min(...ys) - ROW / 2;
      const y1 = Math.max(...ys) + ROW / 2;
      parts.push(`<rect class="band partition" x="${x(s.from)}" y="${y0}" width="${Math.max(1, x(s.to) - x(s.from))}" height="${y1 - y0}"><title>${esc(s.text)}</title></rect>`);
    }
    const nodeBand = (cls: string, list: ReturnType<typeof spans>): void => {
      for (const s of list) {
        if (s.to < view.t0 || s.from > view.t1 || s.node === undefined) continue;
        const node = model.nodeByName.get(s.node);
        const y = node === undefined || !model.nodeSelected[node] ? undefined : rowY(node);
        if (y === undefined) continue;
        parts.push(`<rect class="band ${cls}" x="${x(s.from)}" y="${y - ROW / 2 + 2}" width="${Math.max(1, x(s.to) - x(s.from))}" height="${ROW - 4}"><title>${esc(s.text)}</title></rect>`);
      }
    };
    nodeBand('link-down', spans(model, 'link-down', 'link-up', (f) => `${f.node}:${f.iface}`));
    nodeBand('crashed', spans(model, 'crash', 'restart', (f) => f.node ?? ''));
  }

  // Count first: beyond DRAW_MAX the window is drawn as density.
  let inWindow = 0;
  for (let id = 0; id < m.count; id++) if (inside(m.t[id]) && model.txShown(id)) inWindow++;
  if (rx) for (let r = 0; r < rx.count; r++) if (inside(rx.t[r]) && model.rxShown(r)) inWindow++;
  const stats: MscStats = { charted: 0, sent: 0, received: 0, inWindow, density: inWindow > drawMax() };

  if (stats.density) {
    const bins = new Map<number, Map<number, number>>();
    const add = (row: number, t: number): void => {
      const b = Math.floor(view.x(t, plotW) / BIN);
      let r = bins.get(row);
      if (!r) bins.set(row, (r = new Map()));
      r.set(b, (r.get(b) ?? 0) + 1);
    };
    for (let id = 0; id < m.count; id++) if (inside(m.t[id]) && model.txShown(id)) add(model.rowOfNode[model.nodeOfIface(m.iface[id])], m.t[id]);
    if (rx) for (let r = 0; r < rx.count; r++) if (inside(rx.t[r]) && model.rxShown(r)) add(model.rowOfNode[model.nodeOfIface(rx.iface[r])], rx.t[r]);
    let peak = 1;
    for (const r of bins.values()) for (const c of r.values()) peak = Math.max(peak, c);
    for (const [row, r] of bins) {
      const y = yOf.get(row);
      if (y === undefined) continue;
      for (const [b, c] of r) parts.push(`<rect class="density" x="${LEFT + b * BIN}" y="${y - ROW / 2 + 3}" width="${BIN}" height="${ROW - 6}" opacity="${(0.15 + 0.85 * Math.log1p(c) / Math.log1p(peak)).toFixed(2)}"><title>${num(c)} frames</title></rect>`);
    }
  } else {
    const color = (id: number): string => KINDS[m.kind[id]].color;
    // Receptions first, so the sending dots sit on top of their arrows.
    if (rx) {
      for (let r = 0; r < rx.count; r++) {
        if (!inside(rx.t[r]) || !model.rxShown(r)) continue;
        const id = rx.msg[r];
        const to = rowY(model.nodeOfIface(rx.iface[r]));
        if (to === undefined) continue;
        const fromNode = model.nodeOfIface(m.iface[id]);
        const from = model.nodeSelected[fromNode] ? rowY(fromNode) : undefined;
        const x2 = x(rx.t[r]);
        if (from !== undefined && from !== to) parts.push(`<line class="arrow" x1="${x(m.t[id])}" y1="${from}" x2="${x2}" y2="${to}" stroke="${color(id)}"/>`);
        const f = rx.flags[r];
        const cls = `${f & RX_DUPLICATE ? ' dup' : ''}${f & (RX_HELD_BACK | RX_OVERTAKEN) ? ' late' : ''}${f & RX_CORRUPTED ? ' bad' : ''}`;
        parts.push(`<circle class="m rx${cls}" cx="${x2}" cy="${to}" r="3" fill="${color(id)}" data-msg="${id}" data-rx="${r}" data-frame="${rx.frame[r]}"/>`);
        stats.received++;
      }
    }
    for (let id = 0; id < m.count; id++) {
      if (!inside(m.t[id]) || !model.txShown(id)) continue;
      const y = rowY(model.nodeOfIface(m.iface[id]));
      if (y === undefined) continue;
      // Without the receptions listed, a dot's size says how many received it.
      const r = rx ? 4.5 : Math.min(9, 3.5 + Math.log2(1 + m.rxCount[id]) / 2);
      parts.push(`<circle class="m tx" cx="${x(m.t[id])}" cy="${y}" r="${r.toFixed(1)}" fill="${color(id)}" data-msg="${id}" data-frame="${m.frame[id]}"/>`);
      stats.sent++;
    }
    stats.charted = stats.sent + stats.received;
  }

  if (model.showFaults) {
    d.faults.forEach((f, i) => {
      if (!inside(f.t) || f.kind === 'link-down' || f.kind === 'link-up' || f.kind === 'partition' || f.kind === 'heal') return;
      if (f.msg !== undefined && !model.msgKindShown(f.msg)) return;
      const node = f.node === undefined ? undefined : model.nodeByName.get(f.node);
      if (node === undefined || !model.nodeSelected[node]) return;
      const y = rowY(node);
      if (y === undefined) return;
      const cx = x(f.t);
      if (f.kind === 'loss' || f.kind === 'dropped' || f.kind === 'too-big') {
        parts.push(`<path class="fault ${f.kind}" d="M${cx - 4},${y - 4}L${cx + 4},${y + 4}M${cx - 4},${y + 4}L${cx + 4},${y - 4}" data-fault="${i}"/>`);
        parts.push(`<rect class="hit" x="${cx - 5}" y="${y - 5}" width="10" height="10" data-fault="${i}"/>`);
      } else if (f.kind === 'crash' || f.kind === 'restart') {
        parts.push(`<path class="fault ${f.kind}" d="M${cx},${y - 8}V${y + 8}" data-fault="${i}"/>`);
      } else {
        parts.push(`<circle class="fault ${f.kind}" cx="${cx}" cy="${y}" r="7" data-fault="${i}"/>`);
      }
    });
  }
  if (model.showScripts) {
    d.scripts.forEach((s, i) => {
      const node = model.nodeByName.get(s.node);
      if (!inside(s.t) || node === undefined || !model.nodeSelected[node]) return;
      const y = rowY(node);
      if (y === undefined) return;
      const cx = x(s.t);
      parts.push(`<path class="script" d="M${cx},${y - 7}L${cx + 7},${y}L${cx},${y + 7}L${cx - 7},${y}Z" data-script="${i}"><title>${esc(`${s.path} ${s.args.join(' ')}`)}</title></path>`);
    });
  }
  if (model.showTimed) {
    d.timed.forEach((e, i) => {
      if (!inside(e.t)) return;
      const tx = x(e.t);
      parts.push(`<line class="timed" x1="${tx}" y1="${TOP}" x2="${tx}" y2="${height}" data-timed="${i}"/><text class="timed-label" x="${tx + 3}" y="${TOP + 10 + (i % 3) * 11}" data-timed="${i}">${e.index} ${esc(e.do)}</text>`);
    });
  }
  const sel = model.selected;
  if (sel?.type === 'msg' && sel.id < m.count && inside(m.t[sel.id]) && !stats.density) {
    const y = rowY(model.nodeOfIface(m.iface[sel.id]));
    if (y !== undefined) parts.push(`<circle class="selected" cx="${x(m.t[sel.id])}" cy="${y}" r="9"/>`);
  }
  parts.push('</g></svg>');
  return { svg: parts.join(''), stats };
}

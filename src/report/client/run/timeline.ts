/**
 * Per node, a timeline of its state: one bar row per address (tentative, preferred, deprecated),
 * default router and PRL entry, route, neighbour entry, arpd database entry, and the daemon's own
 * state (rtsold's interface state machine), on the same time axis as the sequence chart.
 */
import { esc } from '../dom.js';
import { ticks, type TimeView } from '../timescale.js';
import type { RunModel } from './model.js';
import { LEFT } from './msc.js';

/** Timelines drawn at most: a thousand hosts would be a very long page. */
export const TIMELINE_NODES = 24;
const ROW = 15;
const HEAD = 20;

const COLORS: Record<string, string> = {
  tentative: '#f0ad4e',
  preferred: '#2ca02c',
  deprecated: '#d98c3a',
  'dad-failed': '#d62728',
  'default router': '#1f77b4',
  'in the PRL': '#17becf',
  'on-link': '#6baed6',
  'via a router': '#9ecae1',
  incomplete: '#fdd0a2',
  reachable: '#31a354',
  stale: '#a1d99b',
  delay: '#fdae6b',
  probe: '#e6550d',
  failed: '#d62728',
  permanent: '#636363',
  noarp: '#969696',
  positive: '#31a354',
  negative: '#de2d26',
  running: '#74c476',
};

export function stateColor(state: string): string {
  const c = COLORS[state];
  if (c) return c;
  let h = 0;
  for (const ch of state) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `hsl(${h % 360} 55% 55%)`;
}

export function renderTimeline(model: RunModel, view: TimeView, width: number): { svg: string; nodes: number; cut: number } {
  const plotW = Math.max(100, width - LEFT - 10);
  const x = (t: number): number => LEFT + view.x(t, plotW);
  const byNode = new Map<number, typeof model.tracks>();
  for (const tr of model.tracks) {
    if (!model.nodeSelected[tr.node]) continue;
    const list = byNode.get(tr.node);
    if (list) list.push(tr);
    else byNode.set(tr.node, [tr]);
  }
  const nodes = [...byNode.keys()].sort((a, b) => a - b);
  const shown = nodes.slice(0, TIMELINE_NODES);
  let height = HEAD;
  for (const n of shown) height += HEAD + byNode.get(n)!.length * ROW + 4;
  const parts: string[] = [`<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`];
  parts.push(`<defs><clipPath id="tl-plot"><rect x="${LEFT}" y="0" width="${plotW}" height="${height}"/></clipPath></defs>`);
  for (const tk of ticks(view.t0, view.t1, Math.max(2, Math.floor(plotW / 110)))) {
    const tx = x(tk.t);
    parts.push(`<line class="grid" x1="${tx}" y1="${HEAD - 4}" x2="${tx}" y2="${height}"/><text class="tick" x="${tx}" y="${HEAD - 8}" text-anchor="middle">${tk.label}</text>`);
  }
  let y = HEAD;
  for (const n of shown) {
    const node = model.data.nodes[n];
    parts.push(`<text class="tl-node" x="6" y="${y + 14}" data-node="${n}">${esc(`${node.name} (${node.role})`)}</text>`);
    y += HEAD;
    for (const tr of byNode.get(n)!) {
      const label = `${tr.track}: ${tr.key}`;
      parts.push(`<text class="tl-key" x="${LEFT - 6}" y="${y + ROW - 4}" text-anchor="end"><title>${esc(label)}</title>${esc(label.length > 30 ? label.slice(0, 29) + '…' : label)}</text>`);
      parts.push(`<g clip-path="url(#tl-plot)">`);
      for (const s of tr.spans) {
        if (s.to < view.t0 || s.from > view.t1) continue;
        const x0 = x(s.from);
        const w = Math.max(1.5, x(s.to) - x0);
        parts.push(
          `<rect class="state" x="${x0}" y="${y + 2}" width="${w}" height="${ROW - 3}" fill="${stateColor(s.state)}" data-node="${n}" data-key="${esc(tr.key)}" data-from="${s.from}" data-to="${s.to}" data-state="${esc(s.state)}"${s.detail ? ` data-detail="${esc(s.detail)}"` : ''}><title>${esc(`${s.state}${s.detail ? ` (${s.detail})` : ''}`)}</title></rect>`,
        );
        if (w > 60) parts.push(`<text class="state-label" x="${x0 + 3}" y="${y + ROW - 4}">${esc(s.state)}</text>`);
      }
      parts.push('</g>');
      y += ROW;
    }
    y += 4;
  }
  parts.push('</svg>');
  return { svg: parts.join(''), nodes: shown.length, cut: nodes.length - shown.length };
}

/**
 * The topology as a drawing: each Ethernet segment is a bus, the IPv4 underlay a dashed bus,
 * nodes sit above them joined by their interfaces. Replicas of a `count:` node are one box when
 * there are many of them. Each segment's faults are written under its name.
 */
import type { NodeInfo, RunReportData } from '../../data.js';
import { esc } from '../dom.js';

const BOX_W = 112;
const BOX_H = 38;
const GAP = 18;
const TOP = 16;
const FIRST_BUS = TOP + BOX_H + 46;
const BUS_GAP = 44;
const LABEL_W = 190;
/** A group of replicas larger than this is drawn as one box. */
const COLLAPSE = 6;

const ROLE_COLORS: Record<string, string> = {
  router: '#d9ead3',
  'isatap-router': '#d0e0e3',
  host: '#eeeeee',
  rtsold: '#cfe2f3',
  arpd: '#fce5cd',
  isatapd: '#d9d2e9',
  fuzzer: '#f4cccc',
};

function faultText(faults: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(faults)) {
    if (v === undefined) continue;
    const val = typeof v === 'object' && v !== null ? `${(v as { min: number }).min}..${(v as { max: number }).max}` : String(v);
    const delay = k === 'latency' || k === 'jitter' || k === 'reorderDelay';
    parts.push(`${k} ${val}${delay ? 'us' : ''}`);
  }
  return parts.join(', ');
}

interface Unit {
  label: string;
  role: string;
  nodes: number[];
  /** Interface name -> bus name. */
  links: Array<{ ifname: string; bus: string; up: boolean }>;
}

function units(nodes: NodeInfo[]): Unit[] {
  const sizes = new Map<string, number>();
  for (const n of nodes) if (n.replica !== undefined) sizes.set(n.group, (sizes.get(n.group) ?? 0) + 1);
  const out: Unit[] = [];
  const byGroup = new Map<string, Unit>();
  nodes.forEach((n, i) => {
    const collapse = n.replica !== undefined && (sizes.get(n.group) ?? 0) > COLLAPSE;
    const existing = collapse ? byGroup.get(n.group) : undefined;
    if (existing) {
      existing.nodes.push(i);
      return;
    }
    const u: Unit = { label: n.name, role: n.role, nodes: [i], links: n.interfaces.map((f) => ({ ifname: f.ifname, bus: f.type === 'underlay' ? 'underlay' : f.segment ?? '?', up: f.up })) };
    out.push(u);
    if (collapse) byGroup.set(n.group, u);
  });
  for (const u of out) if (u.nodes.length > 1) u.label = `${nodes[u.nodes[0]].name} .. ${nodes[u.nodes[u.nodes.length - 1]].name}`;
  return out;
}

export function renderTopology(d: RunReportData): string {
  const list = units(d.nodes);
  const buses = [...d.segments.map((s) => ({ name: s.name, label: `segment ${s.name}`, detail: `MTU ${s.mtu}${faultText(s.faults) ? `; ${faultText(s.faults)}` : ''}`, underlay: false }))];
  if (d.underlay.used) buses.push({ name: 'underlay', label: 'IPv4 underlay', detail: faultText(d.underlay.faults), underlay: true });
  const busY = new Map(buses.map((b, i) => [b.name, FIRST_BUS + i * BUS_GAP]));
  const width = LABEL_W + list.length * (BOX_W + GAP) + GAP;
  const height = FIRST_BUS + Math.max(0, buses.length - 1) * BUS_GAP + 30;
  const parts: string[] = [`<svg class="topology" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`];
  const xOf = (i: number): number => LABEL_W + GAP + i * (BOX_W + GAP);
  buses.forEach((b) => {
    const y = busY.get(b.name)!;
    const cols = list.map((u, i) => (u.links.some((l) => l.bus === b.name) ? i : -1)).filter((i) => i >= 0);
    const x1 = cols.length ? xOf(Math.max(...cols)) + BOX_W / 2 + 20 : width - GAP;
    parts.push(`<line class="bus${b.underlay ? ' underlay' : ''}" x1="${LABEL_W - 10}" y1="${y}" x2="${x1}" y2="${y}"/>`);
    parts.push(`<text class="bus-label" x="8" y="${y - 4}">${esc(b.label)}</text><text class="bus-detail" x="8" y="${y + 12}">${esc(b.detail)}</text>`);
  });
  list.forEach((u, i) => {
    const x = xOf(i);
    const cx = x + BOX_W / 2;
    u.links.forEach((l, k) => {
      const y = busY.get(l.bus);
      if (y === undefined) return;
      const lx = cx + (k - (u.links.length - 1) / 2) * 16;
      parts.push(`<line class="link${l.up ? '' : ' down'}" x1="${lx}" y1="${TOP + BOX_H}" x2="${lx}" y2="${y}"/><circle class="port" cx="${lx}" cy="${y}" r="3.5"/>`);
      parts.push(`<text class="ifname" x="${lx + 3}" y="${TOP + BOX_H + 12 + k * 11}">${esc(l.ifname)}</text>`);
    });
    const names = u.nodes.map((n) => d.nodes[n].name).join(',');
    const title = u.nodes.length > 1 ? `${u.nodes.length} ${u.role} nodes` : `${d.nodes[u.nodes[0]].kind}${u.role !== d.nodes[u.nodes[0]].kind ? ` running ${u.role}` : ''}`;
    parts.push(`<g class="node-box" data-nodes="${esc(names)}"><rect x="${x}" y="${TOP}" width="${BOX_W}" height="${BOX_H}" rx="5" fill="${ROLE_COLORS[u.role] ?? '#eeeeee'}"/>`);
    parts.push(`<text class="node-name" x="${cx}" y="${TOP + 16}" text-anchor="middle">${esc(u.label.length > 18 ? u.label.slice(0, 17) + '…' : u.label)}</text>`);
    parts.push(`<text class="node-role" x="${cx}" y="${TOP + 30}" text-anchor="middle">${esc(u.nodes.length > 1 ? `${u.nodes.length} x ${u.role}` : u.role)}</text><title>${esc(`${u.label}: ${title}`)}</title></g>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * What the run page shows right now: which nodes and kinds are selected, how nodes map to chart
 * rows (replicas share a row when there are many), and indexes over the report's data.
 */
import { KINDS, type RunReportData, type StateChange } from '../../data.js';

/** Above this many nodes, the replicas of a `count:` node share one row. */
export const GROUP_ABOVE = 40;

export interface Row {
  label: string;
  nodes: number[];
}

export type Pick =
  | { type: 'msg'; id: number; rx?: number }
  | { type: 'fault'; id: number }
  | { type: 'script'; id: number }
  | { type: 'timed'; id: number }
  | { type: 'event'; id: number }
  | { type: 'state'; node: number; key: string; from: number; to: number; state: string; detail?: string };

export interface Track {
  node: number;
  track: StateChange['track'];
  key: string;
  spans: Array<{ from: number; to: number; state: string; detail?: string }>;
}

export class RunModel {
  readonly nodeSelected: boolean[];
  readonly kindSelected: boolean[];
  showFaults = true;
  showTimed = true;
  showScripts = true;
  grouped: boolean;
  rows: Row[] = [];
  rowOfNode: number[] = [];
  readonly nodeByName = new Map<string, number>();
  /** Receptions of each message (rows of data.receptions). */
  readonly rxOf: number[][];
  /** Per kind, how many messages. */
  readonly kindCount: number[];
  readonly tracks: Track[];
  selected?: Pick;
  private listeners: Array<() => void> = [];

  constructor(readonly data: RunReportData) {
    this.nodeSelected = data.nodes.map(() => true);
    this.kindSelected = KINDS.map(() => true);
    data.nodes.forEach((n, i) => this.nodeByName.set(n.name, i));
    this.grouped = data.nodes.length > GROUP_ABOVE;
    this.layoutRows();
    this.rxOf = Array.from({ length: data.messages.count }, () => []);
    const rx = data.receptions;
    if (rx) for (let r = 0; r < rx.count; r++) this.rxOf[rx.msg[r]].push(r);
    this.kindCount = KINDS.map(() => 0);
    for (const k of data.messages.kind) this.kindCount[k]++;
    this.tracks = buildTracks(data, this.nodeByName);
  }

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  changed(): void {
    for (const fn of this.listeners) fn();
  }

  setGrouped(on: boolean): void {
    this.grouped = on;
    this.layoutRows();
  }

  private layoutRows(): void {
    const rows: Row[] = [];
    const byGroup = new Map<string, Row>();
    this.rowOfNode = [];
    this.data.nodes.forEach((n, i) => {
      const shared = this.grouped && n.replica !== undefined;
      let row = shared ? byGroup.get(n.group) : undefined;
      if (!row) {
        row = { label: n.name, nodes: [] };
        rows.push(row);
        if (shared) byGroup.set(n.group, row);
      }
      row.nodes.push(i);
      this.rowOfNode[i] = rows.indexOf(row);
    });
    for (const r of rows) {
      if (r.nodes.length > 1) r.label = `${this.data.nodes[r.nodes[0]].name} .. ${this.data.nodes[r.nodes[r.nodes.length - 1]].name} (${r.nodes.length})`;
    }
    this.rows = rows;
  }

  nodeOfIface(iface: number): number {
    return this.data.interfaces[iface][0];
  }

  /** Rows with at least one selected node. */
  visibleRows(): number[] {
    const out: number[] = [];
    this.rows.forEach((r, i) => {
      if (r.nodes.some((n) => this.nodeSelected[n])) out.push(i);
    });
    return out;
  }

  msgKindShown(id: number): boolean {
    return this.kindSelected[this.data.messages.kind[id]];
  }

  /** Whether a transmission is drawn: its kind and its sender are selected (corrupted copies have none). */
  txShown(id: number): boolean {
    const m = this.data.messages;
    return m.frame[id] > 0 && this.msgKindShown(id) && this.nodeSelected[this.nodeOfIface(m.iface[id])];
  }

  rxShown(r: number): boolean {
    const rx = this.data.receptions!;
    return this.msgKindShown(rx.msg[r]) && this.nodeSelected[this.nodeOfIface(rx.iface[r])];
  }

  nodeShown(name: string | undefined): boolean {
    if (name === undefined) return true;
    const i = this.nodeByName.get(name);
    return i === undefined || this.nodeSelected[i];
  }

  /** Selects the nodes whose names match a glob (`h*`, `r?`) or contain the text. */
  selectMatching(pattern: string): void {
    const p = pattern.trim();
    const re = p.includes('*') || p.includes('?') ? new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`) : null;
    this.data.nodes.forEach((n, i) => {
      this.nodeSelected[i] = p === '' || (re ? re.test(n.name) : n.name.includes(p));
    });
  }
}

/** State changes as spans per (node, track key); a crash ends every span of the node. */
function buildTracks(data: RunReportData, nodeByName: Map<string, number>): Track[] {
  const tracks = new Map<string, Track>();
  const open = new Map<string, { from: number; state: string; detail?: string }>();
  const list: Track[] = [];
  const close = (id: string, t: number): void => {
    const o = open.get(id);
    if (!o) return;
    if (t > o.from || tracks.get(id)!.spans.length === 0) tracks.get(id)!.spans.push({ from: o.from, to: t, state: o.state, ...(o.detail ? { detail: o.detail } : {}) });
    open.delete(id);
  };
  const crashes = data.faults.filter((f) => f.kind === 'crash');
  let c = 0;
  const crashUntil = (t: number): void => {
    for (; c < crashes.length && crashes[c].t <= t; c++) {
      const node = crashes[c].node;
      for (const id of [...open.keys()]) if (id.startsWith(`${node}\u0000`)) close(id, crashes[c].t);
    }
  };
  for (const s of data.states) {
    crashUntil(s.t);
    const node = nodeByName.get(s.node);
    if (node === undefined) continue;
    const id = `${s.node}\u0000${s.track}\u0000${s.key}`;
    let tr = tracks.get(id);
    if (!tr) {
      tr = { node, track: s.track, key: s.key, spans: [] };
      tracks.set(id, tr);
      list.push(tr);
    }
    close(id, s.t);
    if (s.state !== 'removed') open.set(id, { from: s.t, state: s.state, ...(s.detail ? { detail: s.detail } : {}) });
  }
  crashUntil(Infinity);
  for (const id of [...open.keys()]) close(id, data.until);
  const order = ['daemon', 'address', 'router', 'route', 'neighbour', 'arpd'];
  return list.sort((a, b) => a.node - b.node || order.indexOf(a.track) - order.indexOf(b.track));
}

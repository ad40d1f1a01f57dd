/**
 * The human summary of a run (what `linklab sim run` prints by default): what ran, the traffic,
 * each node (or each kind, when there are many), and every expectation with PASS or FAIL and why.
 */
import { formatDuration } from '../../core/time.js';
import type { NodeResult, RunResult } from './run.js';

/** Nodes listed one by one up to this many; beyond, one line per kind. */
const NODE_LINES = 16;

function n(x: number): string {
  return x.toLocaleString('en-US');
}

/** `key value` pairs of a node's summary; zero counts and empty lists are left out. */
export function describeSummary(s: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(s)) {
    if (v === undefined || v === null || v === 0 || v === false || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) parts.push(`${k} ${v.map(String).join(', ')}`);
    } else if (typeof v === 'object') {
      const inner = describeSummary(v as Record<string, unknown>);
      if (inner) parts.push(`${k} ${inner}`);
    } else if (v === true) parts.push(k);
    else parts.push(`${k} ${typeof v === 'number' ? n(v) : String(v)}`);
  }
  return parts.join(', ');
}

/** Numbers summed across nodes, other fields dropped: one line for a thousand hosts. */
function sumSummaries(list: NodeResult[]): Record<string, unknown> {
  const out: Record<string, number> = {};
  const add = (prefix: string, s: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(s)) {
      if (typeof v === 'number') out[prefix + k] = (out[prefix + k] ?? 0) + v;
      else if (v && typeof v === 'object' && !Array.isArray(v)) add(`${prefix}${k} `, v as Record<string, unknown>);
    }
  };
  for (const r of list) if (r.summary) add('', r.summary);
  return out;
}

function nodeLines(nodes: NodeResult[]): string[] {
  if (nodes.length <= NODE_LINES) {
    const w = Math.max(...nodes.map((r) => r.name.length));
    const k = Math.max(...nodes.map((r) => r.kind.length));
    return nodes.map((r) => {
      const state = r.alive ? '' : ' (down)';
      const crashes = r.crashes ? `, crashed ${r.crashes}x` : '';
      const extra = r.summary ? describeSummary(r.summary) : '';
      return `  ${r.name.padEnd(w)}  ${r.kind.padEnd(k)}  sent ${n(r.sent)}, received ${n(r.received)}${crashes}${state}${extra ? `; ${extra}` : ''}`;
    });
  }
  const kinds = [...new Set(nodes.map((r) => r.kind))];
  return kinds.map((kind) => {
    const list = nodes.filter((r) => r.kind === kind);
    const sent = list.reduce((a, r) => a + r.sent, 0);
    const received = list.reduce((a, r) => a + r.received, 0);
    const down = list.filter((r) => !r.alive).length;
    const names = list.length > 2 ? `${list[0].name} .. ${list[list.length - 1].name}` : list.map((r) => r.name).join(', ');
    const extra = describeSummary(sumSummaries(list));
    return `  ${n(list.length)} ${kind} (${names}): sent ${n(sent)}, received ${n(received)}${down ? `, ${down} down` : ''}${extra ? `; in all ${extra}` : ''}`;
  });
}

export function formatReport(r: RunResult): string {
  const lines: string[] = [];
  lines.push(`linklab sim: ${r.topology}${r.file ? ` (${r.file})` : ''}, seed ${r.seed}, ${formatDuration(r.until)} of virtual time`);
  const f = r.frames;
  const faults = [f.lost && `${n(f.lost)} lost`, f.dropped && `${n(f.dropped)} dropped at a down link or node`, f.duplicated && `${n(f.duplicated)} duplicated`, f.corrupted && `${n(f.corrupted)} corrupted`, f.tooBig && `${n(f.tooBig)} too big`].filter(Boolean);
  lines.push(`  ${n(r.events)} events; ${n(f.sent)} frames sent, ${n(f.delivered)} delivered${faults.length ? ', ' + faults.join(', ') : ''}`);
  if (r.packets.sent) {
    const p = r.packets;
    lines.push(`  underlay: ${n(p.sent)} IPv4 packets sent, ${n(p.delivered)} delivered${p.lost ? `, ${n(p.lost)} lost` : ''}${p.dropped ? `, ${n(p.dropped)} dropped` : ''}`);
  }
  lines.push('', 'nodes', ...nodeLines(r.nodes));
  if (r.expectations.length) {
    lines.push('', 'expectations');
    for (const e of r.expectations) lines.push(`  ${e.pass ? 'PASS' : 'FAIL'}  ${e.text}: ${e.why}`);
    const passed = r.expectations.filter((e) => e.pass).length;
    lines.push('', `${passed} of ${r.expectations.length} expectations passed`);
  } else {
    lines.push('', 'no expectations');
  }
  return lines.join('\n') + '\n';
}

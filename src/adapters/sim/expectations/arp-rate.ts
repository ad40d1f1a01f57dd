/**
 * `arpRate: {node, burst, rate}`: in any interval of length T, no matching node puts more than
 * burst + rate*T broadcast ARP requests on its segments (arpd's token bucket promise; the original
 * breaks it). Counted on the wire, whoever built the frame: kernel or daemon.
 */
import { ref } from '../topology/defs.js';
import { EVIDENCE, someOf, when, type Evidence, type ExpectationKind } from './expectation.js';

const ETHERTYPE_ARP = 0x0806;

function isBroadcastArpRequest(f: Uint8Array): boolean {
  if (f.length < 22) return false;
  for (let i = 0; i < 6; i++) if (f[i] !== 0xff) return false;
  return ((f[12] << 8) | f[13]) === ETHERTYPE_ARP && ((f[20] << 8) | f[21]) === 1;
}

/** The interval with the largest excess over burst + rate*T, for the report. */
function worstInterval(times: number[], rate: number): { count: number; from: number; to: number; excess: number } {
  // count(i..j) - rate*(t_j - t_i) = (j - rate*t_j) - (i - rate*t_i) + 1: keep the smallest i-term.
  let best = { count: 0, from: 0, to: 0, excess: -Infinity };
  let minTerm = Infinity;
  let minAt = 0;
  for (let j = 0; j < times.length; j++) {
    const term = j - (rate * times[j]) / 1e6;
    if (term < minTerm) {
      minTerm = term;
      minAt = j;
    }
    const excess = term - minTerm + 1;
    if (excess > best.excess) best = { count: j - minAt + 1, from: times[minAt], to: times[j], excess };
  }
  return best;
}

export const arpRateExpectation: ExpectationKind = {
  key: 'arpRate',
  description: 'in any interval T, each matching node sends at most burst + rate*T broadcast ARP requests',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['node', 'burst', 'rate'],
    properties: {
      node: ref('nodePattern'),
      burst: { type: 'integer', minimum: 0 },
      rate: { type: 'number', minimum: 0, description: 'requests per second' },
      min: { type: 'integer', minimum: 0, description: 'at least this many requests in all (so a silent node does not pass by accident)' },
    },
  },
  parse(v, at, ctx) {
    const nodes = ctx.matchNodes(v.node as string, [...at, 'node']);
    const burst = v.burst as number;
    const rate = v.rate as number;
    const min = (v.min as number | undefined) ?? 0;
    const wanted = new Set(nodes);
    return {
      kind: 'arpRate',
      text: `${v.node} send at most ${burst} + ${rate}/s x T broadcast ARP requests in any interval T${min ? `, at least ${min} in all` : ''}`,
      figure: { label: 'busiest interval: requests above rate x T', unit: 'requests' },
      start(run) {
        const times = new Map<string, number[]>();
        const ifaces = new Map<string, string>();
        for (const seg of run.segments) {
          seg.onTransmit((from, frame) => {
            if (!wanted.has(from.node) || !isBroadcastArpRequest(frame)) return;
            ifaces.set(from.node, from.ifname);
            const list = times.get(from.node);
            if (list) list.push(run.now());
            else times.set(from.node, [run.now()]);
          });
        }
        // The requests of the busiest interval decided it: its first ones and its last one.
        const evidence = (w: { node: string; from: number; to: number }): Evidence[] => {
          const inside = (times.get(w.node) ?? []).filter((t) => t >= w.from && t <= w.to);
          const picked = inside.length > EVIDENCE ? [...inside.slice(0, EVIDENCE - 1), inside[inside.length - 1]] : inside;
          return picked.map((t) => ({ t, event: 'frame.tx', node: w.node, iface: ifaces.get(w.node) }));
        };
        return () => {
          let total = 0;
          let worst: { node: string; count: number; from: number; to: number; excess: number } | undefined;
          for (const n of nodes) {
            const t = times.get(n) ?? [];
            total += t.length;
            if (t.length === 0) continue;
            const w = worstInterval(t, rate);
            if (!worst || w.excess > worst.excess) worst = { node: n, ...w };
          }
          if (worst && worst.excess > burst + 1e-9) {
            const allowed = burst + (rate * (worst.to - worst.from)) / 1e6;
            return { pass: false, why: `${worst.node} sent ${worst.count} from ${when(worst.from)} to ${when(worst.to)} (allowed ${allowed.toFixed(2)})`, evidence: evidence(worst), value: worst.excess };
          }
          const value = worst ? worst.excess : null;
          if (total < min) return { pass: false, why: `only ${total} sent in all by ${someOf(nodes)}`, value };
          return { pass: true, why: worst ? `${total} sent; the busiest interval: ${worst.node} ${worst.count} from ${when(worst.from)} to ${when(worst.to)}` : 'none sent', ...(worst ? { evidence: evidence(worst) } : {}), value };
        };
      },
    };
  },
};

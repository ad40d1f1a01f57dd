/**
 * `frames: {segment?, node?, type?, dst?, min?, max?, after?, before?}`: the number of frames put on
 * the wire (by matching nodes, on a segment, of an EtherType, to broadcast / multicast / unicast)
 * lies in [min, max]. Counted at transmission, before any fault.
 */
import { ref } from '../topology/defs.js';
import { EvidenceList, when, type Evidence, type ExpectationKind } from './expectation.js';

const TYPES: Record<string, number> = { arp: 0x0806, ipv4: 0x0800, ipv6: 0x86dd };

export const framesExpectation: ExpectationKind = {
  key: 'frames',
  description: 'the number of frames sent (by matching nodes, of a type, to a kind of address) lies in [min, max]',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      segment: ref('name'),
      node: ref('nodePattern'),
      type: { enum: ['arp', 'ipv4', 'ipv6'] },
      dst: { enum: ['broadcast', 'multicast', 'unicast'] },
      min: { type: 'integer', minimum: 0 },
      max: { type: 'integer', minimum: 0 },
      after: ref('duration'),
      before: ref('duration'),
    },
  },
  parse(v, at, ctx) {
    const segment = v.segment as string | undefined;
    if (segment !== undefined && !ctx.segments.includes(segment)) ctx.error([...at, 'segment'], `no segment "${segment}" (there are ${ctx.segments.join(', ') || 'none'})`);
    const nodes = v.node === undefined ? undefined : new Set(ctx.matchNodes(v.node as string, [...at, 'node']));
    const type = v.type === undefined ? undefined : TYPES[v.type as string];
    const dst = v.dst as string | undefined;
    const min = v.min as number | undefined;
    const max = v.max as number | undefined;
    if (min === undefined && max === undefined) ctx.error(at, 'give min, max or both');
    const after = v.after === undefined ? 0 : ctx.duration(v.after as string, [...at, 'after']);
    const before = v.before === undefined ? Infinity : ctx.duration(v.before as string, [...at, 'before']);
    const range = min !== undefined && max !== undefined ? (min === max ? `exactly ${min}` : `${min} to ${max}`) : min !== undefined ? `at least ${min}` : `at most ${max}`;
    return {
      kind: 'frames',
      text: `${range} ${dst ?? ''} ${v.type ?? ''} frames`.replace(/ +/g, ' ') +
        `${v.node !== undefined ? ` from ${v.node}` : ''}${segment ? ` on ${segment}` : ''}${v.after !== undefined ? ` after ${when(after)}` : ''}${v.before !== undefined ? ` before ${when(before)}` : ''}`,
      figure: { label: 'frames sent', unit: 'frames' },
      start(run) {
        let count = 0;
        const head = new EvidenceList<Evidence>();
        const over = new EvidenceList<Evidence>();
        for (const seg of run.segments) {
          if (segment !== undefined && seg.name !== segment) continue;
          seg.onTransmit((from, f) => {
            if (nodes && !nodes.has(from.node)) return;
            const t = run.now();
            if (t < after || t >= before) return;
            if (type !== undefined) {
              const tagged = f[12] === 0x81 && f[13] === 0;
              const et = tagged ? (f[16] << 8) | f[17] : (f[12] << 8) | f[13];
              if (et !== type) return;
            }
            if (dst !== undefined) {
              const bcast = f[0] === 0xff && f[1] === 0xff && f[2] === 0xff && f[3] === 0xff && f[4] === 0xff && f[5] === 0xff;
              const kind = bcast ? 'broadcast' : f[0] & 1 ? 'multicast' : 'unicast';
              if (kind !== dst) return;
            }
            count++;
            const e = { t, event: 'frame.tx', node: from.node, iface: from.ifname };
            head.push(e);
            if (max !== undefined && count > max) over.push(e);
          });
        }
        return () => {
          const tooMany = max !== undefined && count > max;
          return { pass: !((min !== undefined && count < min) || tooMany), why: `${count} sent`, evidence: tooMany ? over.items : head.items, value: count };
        };
      },
    };
  },
};

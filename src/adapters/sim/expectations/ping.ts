/**
 * `ping: {node, to?, min?}`: every matching node got at least `min` (default 1) echo replies, from
 * `to` when given. Seen through the hosts' `ping.ok` trace events.
 */
import { Ipv6Address } from '../../../core/wire/ipv6-address.js';
import { ref } from '../topology/defs.js';
import { EvidenceList, evidenceOf, someOf, type ExpectationKind } from './expectation.js';
import type { TraceEvent } from '../trace.js';

export const pingExpectation: ExpectationKind = {
  key: 'ping',
  description: 'every matching node had its pings answered',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['node'],
    properties: { node: ref('nodePattern'), to: { type: 'string', description: 'the address pinged' }, min: { type: 'integer', minimum: 1 } },
  },
  parse(v, at, ctx) {
    const nodes = ctx.matchNodes(v.node as string, [...at, 'node']);
    const to = v.to === undefined ? undefined : Ipv6Address.tryParse(v.to as string);
    if (v.to !== undefined && !to) ctx.error([...at, 'to'], `"${v.to}" is not an IPv6 address`);
    const min = (v.min as number | undefined) ?? 1;
    const wanted = new Set(nodes);
    return {
      kind: 'ping',
      text: `${v.node} got ${min === 1 ? 'an echo reply' : `${min} echo replies`}${v.to ? ` from ${v.to}` : ''}`,
      figure: { label: 'echo replies', unit: 'replies' },
      start(run) {
        const ok = new Map<string, number>();
        let lost = 0;
        const answered = new EvidenceList<TraceEvent>();
        const unanswered = new EvidenceList<TraceEvent>();
        const matches = (e: Record<string, unknown>): boolean => {
          if (!to) return true;
          const a = Ipv6Address.tryParse(String(e.to ?? e.dst ?? ''));
          return a !== null && a.equals(to);
        };
        run.trace.on('ping.ok', (e) => {
          if (!e.node || !wanted.has(e.node) || !matches(e)) return;
          ok.set(e.node, (ok.get(e.node) ?? 0) + 1);
          answered.push(e);
        });
        run.trace.on('ping.lost', (e) => {
          if (!e.node || !wanted.has(e.node) || !matches(e)) return;
          lost++;
          unanswered.push(e);
        });
        return () => {
          const short = nodes.filter((n) => (ok.get(n) ?? 0) < min);
          const total = [...ok.values()].reduce((a, b) => a + b, 0);
          if (short.length) return { pass: false, why: `${someOf(short)} got fewer than ${min} (${total} answered, ${lost} lost)`, evidence: evidenceOf([...answered.items, ...unanswered.items].sort((a, b) => a.t - b.t)), value: total };
          return { pass: true, why: `${total} answered, ${lost} lost`, evidence: evidenceOf(answered.items), value: total };
        };
      },
    };
  },
};

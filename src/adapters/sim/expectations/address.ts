/**
 * `address: {node, prefix, by, iface?}`: every matching node has an address in `prefix` (usable:
 * past DAD) by time `by`. Seen through the kernel's `addr.added` trace events.
 */
import { Ipv6Address } from '../../../core/wire/ipv6-address.js';
import { ref } from '../topology/defs.js';
import { EVIDENCE, evidenceOf, someOf, when, type ExpectationKind } from './expectation.js';
import type { TraceEvent } from '../trace.js';

export const addressExpectation: ExpectationKind = {
  key: 'address',
  description: 'every matching node has an address in a prefix by a given time',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['node', 'prefix', 'by'],
    properties: { node: ref('nodePattern'), prefix: ref('ipv6Prefix'), by: ref('duration'), iface: ref('name') },
  },
  parse(v, at, ctx) {
    const nodes = ctx.matchNodes(v.node as string, [...at, 'node']);
    const [text, len] = (v.prefix as string).split('/');
    const prefix = Ipv6Address.tryParse(text);
    const prefixLength = Number(len);
    if (!prefix || !(prefixLength <= 128)) return ctx.error([...at, 'prefix'], `"${v.prefix}" is not an IPv6 prefix such as "2001:db8:1::/64"`);
    const by = ctx.duration(v.by as string, [...at, 'by']);
    const iface = v.iface as string | undefined;
    const wanted = new Set(nodes);
    return {
      kind: 'address',
      text: `${v.node} ${nodes.length > 1 ? 'each have' : 'has'} an address in ${v.prefix}${iface ? ` on ${iface}` : ''} by ${when(by)}`,
      figure: { label: nodes.length > 1 ? 'time to address (the last node)' : 'time to address', unit: 's' },
      start(run) {
        const first = new Map<string, number>();
        const events: TraceEvent[] = [];
        run.trace.on('addr.added', (e) => {
          const node = e.node as string;
          if (!wanted.has(node) || first.has(node) || e.tentative === true) return;
          if (iface !== undefined && e.iface !== iface) return;
          const a = Ipv6Address.tryParse(String(e.address));
          if (a && a.inPrefix(prefix, prefixLength)) {
            first.set(node, e.t);
            events.push(e);
          }
        });
        return () => {
          const missing = nodes.filter((n) => !first.has(n));
          const late = nodes.filter((n) => first.has(n) && first.get(n)! > by);
          const value = missing.length ? null : Math.max(...first.values()) / 1e6;
          if (missing.length || late.length) {
            const parts: string[] = [];
            if (missing.length) parts.push(`${someOf(missing)} had none`);
            if (late.length) parts.push(late.slice(0, 3).map((n) => `${n} only at ${when(first.get(n)!)}`).join(', ') + (late.length > 3 ? ` and ${late.length - 3} more late` : ''));
            return { pass: false, why: parts.join('; '), evidence: evidenceOf(events.filter((e) => e.t > by)), value };
          }
          let latest = nodes[0];
          for (const n of nodes) if (first.get(n)! > first.get(latest)!) latest = n;
          // The latest addresses decided it: events arrive in time order, so those are the last ones.
          return { pass: true, why: nodes.length > 1 ? `all ${nodes.length}, the last ${latest} at ${when(first.get(latest)!)}` : `at ${when(first.get(latest)!)}`, evidence: evidenceOf(events.slice(-EVIDENCE)), value };
        };
      },
    };
  },
};

/**
 * `event: {event, node?, min?, max?, after?, before?, where?}`: the number of trace events named
 * `event` (from matching nodes, between `after` and `before`, whose fields equal `where`) lies in
 * [min, max]. The general tool: `{event: ra.sent, node: r1, min: 3}`, or `max: 0` for "never".
 */
import { ref } from '../topology/defs.js';
import { EvidenceList, evidenceOf, when, type ExpectationKind } from './expectation.js';
import type { TraceEvent } from '../trace.js';

export const eventExpectation: ExpectationKind = {
  key: 'event',
  description: 'the number of trace events of a name (from matching nodes, in a time window) lies in [min, max]',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['event'],
    properties: {
      event: { type: 'string', description: 'a trace event name such as "ra.sent"' },
      node: ref('nodePattern'),
      min: { type: 'integer', minimum: 0 },
      max: { type: 'integer', minimum: 0 },
      after: ref('duration'),
      before: ref('duration'),
      perNode: { type: 'boolean', description: 'apply min and max to each matching node instead of the total' },
      where: { type: 'object', description: 'fields the event must have, with these values' },
    },
  },
  parse(v, at, ctx) {
    const name = v.event as string;
    const nodes = v.node === undefined ? undefined : ctx.matchNodes(v.node as string, [...at, 'node']);
    const min = v.min as number | undefined;
    const max = v.max as number | undefined;
    if (min === undefined && max === undefined) ctx.error(at, 'give min, max or both');
    if (min !== undefined && max !== undefined && min > max) ctx.error([...at, 'max'], `max ${max} is below min ${min}`);
    const after = v.after === undefined ? 0 : ctx.duration(v.after as string, [...at, 'after']);
    const before = v.before === undefined ? Infinity : ctx.duration(v.before as string, [...at, 'before']);
    const where = Object.entries((v.where as Record<string, unknown> | undefined) ?? {});
    const perNode = v.perNode === true;
    const wanted = nodes ? new Set(nodes) : undefined;
    const range = min !== undefined && max !== undefined ? (min === max ? `exactly ${min}` : `${min} to ${max}`) : min !== undefined ? `at least ${min}` : `at most ${max}`;
    const window = `${v.after !== undefined ? ` after ${when(after)}` : ''}${v.before !== undefined ? ` before ${when(before)}` : ''}`;
    return {
      kind: 'event',
      text: `${range} ${name}${where.length ? ` with ${where.map(([k, x]) => `${k}=${JSON.stringify(x)}`).join(' ')}` : ''}${v.node !== undefined ? ` from ${v.node}${perNode ? ' each' : ''}` : ''}${window}`,
      figure: { label: `${name} events`, unit: 'events' },
      start(run) {
        const counts = new Map<string, number>();
        let total = 0;
        // The first events seen, and the first past max (they break it); per node for perNode.
        const head = new EvidenceList<TraceEvent>();
        const over = new EvidenceList<TraceEvent>();
        const byNode = new Map<string, EvidenceList<TraceEvent>>();
        run.trace.on(name, (e) => {
          if (wanted && (!e.node || !wanted.has(e.node))) return;
          if (e.t < after || e.t >= before) return;
          for (const [k, x] of where) if (JSON.stringify(e[k]) !== JSON.stringify(x)) return;
          total++;
          head.push(e);
          if (max !== undefined && total > max) over.push(e);
          if (e.node) {
            const n = (counts.get(e.node) ?? 0) + 1;
            counts.set(e.node, n);
            if (perNode) {
              let list = byNode.get(e.node);
              if (!list) byNode.set(e.node, (list = new EvidenceList()));
              list.push(e);
            }
          }
        });
        const outside = (n: number): boolean => (min !== undefined && n < min) || (max !== undefined && n > max);
        return () => {
          if (perNode && nodes) {
            const bad = nodes.find((n) => outside(counts.get(n) ?? 0));
            if (bad !== undefined) return { pass: false, why: `${bad}: ${counts.get(bad) ?? 0}`, evidence: evidenceOf(byNode.get(bad)?.items ?? []), value: total };
            return { pass: true, why: `${total} in all`, evidence: evidenceOf(head.items), value: total };
          }
          const tooMany = max !== undefined && total > max;
          return { pass: !outside(total), why: `${total} seen`, evidence: evidenceOf(tooMany ? over.items : head.items), value: total };
        };
      },
    };
  },
};

/**
 * `rsPerCycle: {node, max, min?, startOn?}`: no matching node sends more than `max` Router
 * Solicitations in one solicitation cycle. A cycle starts when the node boots or restarts and when
 * one of its links comes up, or, with `startOn: {event, where?}`, at each such trace event of the
 * node instead of link-ups (a daemon that notices links by polling, as rtsold -m, starts its cycles
 * when it notices: `{event: log, where: {name: state, to: DELAY}}`). Seen through `rs.sent` events.
 */
import { ref } from '../topology/defs.js';
import { EVIDENCE, evidenceOf, when, type ExpectationKind } from './expectation.js';
import type { TraceEvent } from '../trace.js';

export const rsPerCycleExpectation: ExpectationKind = {
  key: 'rsPerCycle',
  description: 'no matching node sends more than max Router Solicitations in one cycle',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['node', 'max'],
    properties: {
      node: ref('nodePattern'),
      max: { type: 'integer', minimum: 0 },
      min: { type: 'integer', minimum: 0 },
      startOn: {
        type: 'object',
        additionalProperties: false,
        required: ['event'],
        description: 'the trace event that starts a cycle instead of a link coming up',
        properties: { event: { type: 'string' }, where: { type: 'object', description: 'fields the event must have, with these values' } },
      },
    },
  },
  parse(v, at, ctx) {
    const nodes = ctx.matchNodes(v.node as string, [...at, 'node']);
    const max = v.max as number;
    const min = v.min as number | undefined;
    const wanted = new Set(nodes);
    const startOn = v.startOn as { event: string; where?: Record<string, unknown> } | undefined;
    const where = Object.entries(startOn?.where ?? {});
    return {
      kind: 'rsPerCycle',
      text: `${v.node} send${min !== undefined ? ` at least ${min} and` : ''} at most ${max} RS per cycle${startOn ? ` (cycles start at ${startOn.event}${where.length ? ` with ${where.map(([k, x]) => `${k}=${JSON.stringify(x)}`).join(' ')}` : ''})` : ''}`,
      figure: { label: 'most RS in one cycle', unit: 'RS' },
      start(run) {
        // Per node: RS in the current cycle (the first few kept as evidence), when it began, and the worst cycle seen.
        type Cycle = { count: number; since: number; rs: TraceEvent[] };
        const current = new Map<string, Cycle>();
        let worst: ({ node: string } & Cycle) | undefined;
        let fewest: ({ node: string } & Cycle) | undefined;
        const close = (node: string): void => {
          const c = current.get(node);
          if (!c) return;
          if (!worst || c.count > worst.count) worst = { node, ...c };
          if (!fewest || c.count < fewest.count) fewest = { node, ...c };
        };
        const newCycle = (e: { node?: string; t: number }): void => {
          if (!e.node || !wanted.has(e.node)) return;
          close(e.node);
          current.set(e.node, { count: 0, since: e.t, rs: [] });
        };
        run.trace.on('node.start', newCycle);
        run.trace.on('node.restart', newCycle);
        if (startOn) {
          run.trace.on(startOn.event, (e) => {
            for (const [k, x] of where) if (JSON.stringify(e[k]) !== JSON.stringify(x)) return;
            newCycle(e);
          });
        } else {
          run.trace.on('link.up', newCycle);
        }
        run.trace.on('rs.sent', (e) => {
          if (!e.node || !wanted.has(e.node)) return;
          const c = current.get(e.node);
          if (c) {
            c.count++;
            if (c.rs.length < EVIDENCE) c.rs.push(e);
          } else current.set(e.node, { count: 1, since: 0, rs: [e] });
        });
        return () => {
          for (const n of nodes) close(n);
          if (!worst) return { pass: min === undefined || min === 0, why: 'no node ran', value: null };
          const value = worst.count;
          if (worst.count > max) return { pass: false, why: `${worst.node} sent ${worst.count} in the cycle from ${when(worst.since)}`, evidence: evidenceOf(worst.rs), value };
          if (min !== undefined && fewest && fewest.count < min) return { pass: false, why: `${fewest.node} sent only ${fewest.count} in the cycle from ${when(fewest.since)}`, evidence: evidenceOf(fewest.rs), value };
          return { pass: true, why: `at most ${worst.count} (${worst.node})`, evidence: evidenceOf(worst.rs), value };
        };
      },
    };
  },
};

/**
 * `script: {node, contains?, stdin?, path?, args?}`: every matching node ran a script (rtsold's -O
 * or -R) whose standard input holds `contains` (or is exactly `stdin`), with that path and those
 * arguments when given. Seen through `script.run` trace events.
 */
import { ref } from '../topology/defs.js';
import { evidenceOf, someOf, when, type ExpectationKind } from './expectation.js';
import type { TraceEvent } from '../trace.js';

export const scriptExpectation: ExpectationKind = {
  key: 'script',
  description: 'every matching node ran a script that received the given text',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['node'],
    properties: {
      node: ref('nodePattern'),
      contains: { type: 'string', description: 'text the script\'s standard input contains' },
      stdin: { type: 'string', description: 'the script\'s whole standard input' },
      path: { type: 'string' },
      args: { type: 'array', items: { type: 'string' } },
      by: ref('duration'),
    },
  },
  parse(v, at, ctx) {
    const nodes = ctx.matchNodes(v.node as string, [...at, 'node']);
    const contains = v.contains as string | undefined;
    const stdin = v.stdin as string | undefined;
    const path = v.path as string | undefined;
    const args = v.args as string[] | undefined;
    const by = v.by === undefined ? undefined : ctx.duration(v.by as string, [...at, 'by']);
    const wanted = new Set(nodes);
    const what = [path ? `${path}${args ? ' ' + args.join(' ') : ''}` : 'a script', contains !== undefined ? `given ${JSON.stringify(contains)}` : '', stdin !== undefined ? `given exactly ${JSON.stringify(stdin)}` : '']
      .filter(Boolean)
      .join(' ');
    return {
      kind: 'script',
      text: `${v.node} ran ${what}${by !== undefined ? ` by ${when(by)}` : ''}`,
      figure: { label: 'time of the first matching script run', unit: 's' },
      start(run) {
        const first = new Map<string, number>();
        const matched: TraceEvent[] = [];
        let runs = 0;
        let last: string | undefined;
        let lastEvent: TraceEvent | undefined;
        run.trace.on('script.run', (e) => {
          if (!e.node || !wanted.has(e.node)) return;
          runs++;
          lastEvent = e;
          const input = typeof e.stdin === 'string' ? e.stdin : '';
          last = `${e.path} ${Array.isArray(e.args) ? e.args.join(' ') : ''} with ${JSON.stringify(input)}`;
          if (path !== undefined && e.path !== path) return;
          if (args !== undefined && JSON.stringify(e.args) !== JSON.stringify(args)) return;
          if (contains !== undefined && !input.includes(contains)) return;
          if (stdin !== undefined && input !== stdin) return;
          if (by !== undefined && e.t > by) return;
          if (!first.has(e.node)) {
            first.set(e.node, e.t);
            matched.push(e);
          }
        });
        return () => {
          const missing = nodes.filter((n) => !first.has(n));
          const value = first.size ? Math.min(...first.values()) / 1e6 : null;
          if (missing.length) return { pass: false, why: `${someOf(missing)} did not (${runs} script runs${last ? `, the last ${last}` : ''})`, evidence: evidenceOf(lastEvent ? [lastEvent] : []), value };
          return { pass: true, why: `first at ${when(Math.min(...first.values()))}`, evidence: evidenceOf(matched), value };
        };
      },
    };
  },
};

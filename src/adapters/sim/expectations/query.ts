/**
 * `query: {node, what, at?, args?, where?, min?, max?}`: asks each matching node a question its kind
 * answers (`addresses`, `routes`, `neighbors`...) at time `at` (default: the end of the run) and
 * counts the rows whose fields equal `where` (a value "addr/len" matches an address in that
 * prefix). Every node's count must lie in [min, max].
 */
import { Ipv6Address } from '../../../core/wire/ipv6-address.js';
import { Ipv4Address } from '../../../core/wire/ipv4-address.js';
import { ref } from '../topology/defs.js';
import { when, type ExpectationKind } from './expectation.js';

/** Whether a row's field value `got` satisfies the wanted value `want`. */
function fieldMatches(got: unknown, want: unknown): boolean {
  if (typeof want === 'string' && typeof got === 'string' && want.includes('/') && !got.includes('/')) {
    const [p, l] = want.split('/');
    const len = Number(l);
    const a6 = Ipv6Address.tryParse(got);
    const p6 = Ipv6Address.tryParse(p);
    if (a6 && p6) return a6.inPrefix(p6, len);
    const a4 = Ipv4Address.tryParse(got);
    const p4 = Ipv4Address.tryParse(p);
    if (a4 && p4) return a4.inSubnet(p4, len);
  }
  return JSON.stringify(got) === JSON.stringify(want);
}

export const queryExpectation: ExpectationKind = {
  key: 'query',
  description: 'each matching node, asked a question at a time, has between min and max rows matching `where`',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['node', 'what'],
    properties: {
      node: ref('nodePattern'),
      what: { type: 'string', description: 'the question, such as "addresses", "routes" or "neighbors"' },
      args: { type: 'object' },
      at: ref('duration'),
      where: { type: 'object', description: 'fields a row must have, with these values ("addr/len": an address in that prefix)' },
      min: { type: 'integer', minimum: 0 },
      max: { type: 'integer', minimum: 0 },
    },
  },
  parse(v, at, ctx) {
    const nodes = ctx.matchNodes(v.node as string, [...at, 'node']);
    const what = v.what as string;
    const args = v.args as Record<string, unknown> | undefined;
    const time = v.at === undefined ? undefined : ctx.duration(v.at as string, [...at, 'at']);
    const where = Object.entries((v.where as Record<string, unknown> | undefined) ?? {});
    const min = (v.min as number | undefined) ?? (v.max === undefined ? 1 : 0);
    const max = v.max as number | undefined;
    const range = max === undefined ? `at least ${min}` : min === max ? `exactly ${min}` : `${min} to ${max}`;
    return {
      kind: 'query',
      text: `${v.node} ${nodes.length > 1 ? 'each have' : 'has'} ${range} ${what}${where.length ? ` with ${where.map(([k, x]) => `${k}=${typeof x === 'string' ? x : JSON.stringify(x)}`).join(' ')}` : ''}${time !== undefined ? ` at ${when(time)}` : ' at the end'}`,
      figure: { label: `fewest ${what} rows`, unit: 'rows' },
      start(run) {
        // Counted when asked: an answer may be live state that changes afterwards.
        let counts: Array<[string, number | null]> | undefined;
        let askedAt = 0;
        const ask = (): void => {
          askedAt = run.now();
          counts = nodes.map((n) => {
            const rows = run.query(n, what, args);
            if (!Array.isArray(rows)) return [n, null];
            return [n, rows.filter((r) => where.every(([k, x]) => fieldMatches((r as Record<string, unknown>)[k], x))).length];
          });
        };
        if (time !== undefined) run.at(time, ask);
        return () => {
          if (!counts) {
            if (time !== undefined && time > run.until) return { pass: false, why: `the run ended at ${when(run.until)}, before ${when(time)}` };
            ask();
          }
          // The question itself is the deciding event: when and whom it was asked.
          const asked = (node: string) => [{ t: askedAt, event: 'query', node }];
          const unanswered = counts!.find(([, c]) => c === null);
          if (unanswered) return { pass: false, why: `${unanswered[0]} does not answer "${what}"`, evidence: asked(unanswered[0]), value: null };
          const value = Math.min(...counts!.map(([, c]) => c!));
          const bad = counts!.find(([, c]) => c! < min || (max !== undefined && c! > max));
          if (bad) return { pass: false, why: `${bad[0]} has ${bad[1]}`, evidence: asked(bad[0]), value };
          const values = [...new Set(counts!.map(([, c]) => c!))].sort((a, b) => a - b);
          return { pass: true, why: nodes.length > 1 ? `counts ${values.join(', ')}` : `${counts![0][1]}`, evidence: asked(nodes[0]), value };
        };
      },
    };
  },
};

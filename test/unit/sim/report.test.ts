import { describe, expect, it } from 'vitest';
import { formatReport, describeSummary } from '../../../src/adapters/sim/report.js';
import type { RunResult } from '../../../src/adapters/sim/run.js';

const zero = { sent: 0, delivered: 0, lost: 0, dropped: 0, duplicated: 0, corrupted: 0, tooBig: 0 };

function result(nodes: RunResult['nodes'], expectations: RunResult['expectations']): RunResult {
  return {
    topology: 'ra-basic',
    file: 'sim/topologies/ra-basic.yaml',
    seed: 7,
    until: 30_000_000,
    events: 1234,
    frames: { ...zero, sent: 40, delivered: 110, lost: 3 },
    packets: zero,
    nodes,
    expectations,
    passed: expectations.every((e) => e.pass),
  };
}

describe('formatReport', () => {
  it('names the run, the traffic, each node, and each expectation with PASS or FAIL and why', () => {
    const text = formatReport(
      result(
        [
          { name: 'r1', kind: 'router', alive: true, crashes: 0, sent: 12, received: 9, summary: { raSent: 12, raDropped: 0 } },
          { name: 'h1', kind: 'host', alive: false, crashes: 1, sent: 5, received: 12, summary: { addresses: ['eth0 2001:db8:1::1/64'], pings: { sent: 3, answered: 3 } } },
        ],
        [
          { kind: 'address', text: 'h* each have an address in 2001:db8:1::/64 by 5s', pass: true, why: 'all 3, the last h2 at 1.2s' },
          { kind: 'rsPerCycle', text: 'h* send at most 3 RS per cycle', pass: false, why: 'h1 sent 4 in the cycle from 0s' },
        ],
      ),
    );
    expect(text.split('\n')).toEqual([
      'linklab sim: ra-basic (sim/topologies/ra-basic.yaml), seed 7, 30s of virtual time',
      '  1,234 events; 40 frames sent, 110 delivered, 3 lost',
      '',
      'nodes',
      '  r1  router  sent 12, received 9; raSent 12',
      '  h1  host    sent 5, received 12, crashed 1x (down); addresses eth0 2001:db8:1::1/64, pings sent 3, answered 3',
      '',
      'expectations',
      '  PASS  h* each have an address in 2001:db8:1::/64 by 5s: all 3, the last h2 at 1.2s',
      '  FAIL  h* send at most 3 RS per cycle: h1 sent 4 in the cycle from 0s',
      '',
      '1 of 2 expectations passed',
      '',
    ]);
  });

  it('sums a thousand nodes into one line per kind', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => ({ name: `h${i + 1}`, kind: 'host', alive: true, crashes: 0, sent: 2, received: 10, summary: { rsSent: 1, addresses: ['x'] } }));
    const text = formatReport(result(nodes, []));
    expect(text).toContain('  1,000 host (h1 .. h1000): sent 2,000, received 10,000; in all rsSent 1,000\n');
    expect(text).toContain('no expectations');
  });

  it('leaves zeros and empty lists out of node summaries', () => {
    expect(describeSummary({ a: 0, b: [], c: false, d: 'x', e: { f: 0, g: 2 } })).toBe('d x, e g 2');
  });
});

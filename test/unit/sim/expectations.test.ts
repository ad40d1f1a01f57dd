/**
 * Each expectation kind against a run whose events the test makes itself: a beacon node per case,
 * its trace fed by hand through `tell` events... or directly, through the run's trace bus.
 */
import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../../src/adapters/sim/topology/load.js';
import { Simulation } from '../../../src/adapters/sim/run.js';
import type { TraceFields } from '../../../src/adapters/sim/trace.js';
import { MacAddress } from '../../../src/core/wire/mac-address.js';
import * as arp from '../../../src/core/wire/arp.js';
import * as ethernet from '../../../src/core/wire/ethernet.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { testKinds } from './helpers/kinds.js';

const NODES = 'segments: {lan: {}}\nnodes:\n  h{i}: {count: 3, kind: beacon, interfaces: {eth0: {segment: lan}}, config: {count: 0}}\n';

/** Runs a topology with `expect` and emits `events` (time -> trace fields) into its trace. */
function check(expectYaml: string, events: Array<[number, TraceFields]>, frames: Array<[number, string, Uint8Array]> = []) {
  const t = loadTopology(`${NODES}duration: 60s\nexpect:\n${expectYaml}`, { file: 't.yaml', kinds: testKinds });
  const sim = new Simulation(t, { seed: 1 });
  for (const [at, e] of events) sim.scheduler.schedule(at, () => sim.trace.emit(e));
  for (const [at, node, f] of frames) sim.scheduler.schedule(at, () => sim.world.node(node)!.ethernet.get('eth0')!.send(f));
  const r = sim.run();
  return r.expectations.map((e) => ({ pass: e.pass, why: e.why, text: e.text }));
}

const s = (x: number): number => x * 1_000_000;

describe('address', () => {
  const want = '  - address: {node: "h*", prefix: "2001:db8:1::/64", by: 10s}\n';
  it('passes when every node has one in time (tentative ones do not count)', () => {
    const [r] = check(want, [
      [s(1), { event: 'addr.added', node: 'h1', iface: 'eth0', address: '2001:db8:1::1', prefixLength: 64 }],
      [s(2), { event: 'addr.added', node: 'h2', iface: 'eth0', address: '2001:db8:1::2', prefixLength: 64 }],
      [s(3), { event: 'addr.added', node: 'h3', iface: 'eth0', address: '2001:db8:1::3', prefixLength: 64, tentative: true }],
      [s(4), { event: 'addr.added', node: 'h3', iface: 'eth0', address: '2001:db8:1::3', prefixLength: 64 }],
    ]);
    expect(r).toEqual({ pass: true, why: 'all 3, the last h3 at 4s', text: 'h* each have an address in 2001:db8:1::/64 by 10s' });
  });
  it('fails naming who had none and who was late; other prefixes do not count', () => {
    const [r] = check(want, [
      [s(1), { event: 'addr.added', node: 'h1', iface: 'eth0', address: '2001:db8:2::1', prefixLength: 64 }],
      [s(12), { event: 'addr.added', node: 'h2', iface: 'eth0', address: '2001:db8:1::2', prefixLength: 64 }],
      [s(1), { event: 'addr.added', node: 'h3', iface: 'eth0', address: '2001:db8:1::3', prefixLength: 64 }],
    ]);
    expect(r).toEqual({ pass: false, why: 'h1 had none; h2 only at 12s', text: expect.any(String) });
  });
});

describe('rsPerCycle', () => {
  const want = '  - rsPerCycle: {node: "h*", max: 3}\n';
  const rs = (at: number, node: string): [number, TraceFields] => [at, { event: 'rs.sent', node, iface: 'eth0' }];
  it('counts per cycle: a link coming up starts a new one', () => {
    const [r] = check(want, [rs(s(1), 'h1'), rs(s(5), 'h1'), rs(s(9), 'h1'), [s(20), { event: 'link.up', node: 'h1', iface: 'eth0' }], rs(s(21), 'h1'), rs(s(25), 'h1'), rs(s(29), 'h1')]);
    expect(r.pass).toBe(true);
    expect(r.why).toBe('at most 3 (h1)');
  });
  it('fails on the fourth RS of a cycle', () => {
    const [r] = check(want, [rs(s(1), 'h2'), rs(s(5), 'h2'), rs(s(9), 'h2'), rs(s(13), 'h2')]);
    expect(r).toMatchObject({ pass: false, why: 'h2 sent 4 in the cycle from 0s' });
  });
  it('with startOn, the daemon\'s own cycle starts count instead of link-ups', () => {
    const polled = '  - rsPerCycle: {node: "h*", max: 3, startOn: {event: log, where: {name: state, to: DELAY}}}\n';
    const cycle = (at: number, node: string): [number, TraceFields] => [at, { event: 'log', node, name: 'state', to: 'DELAY' }];
    const up: [number, TraceFields] = [s(20), { event: 'link.up', node: 'h1', iface: 'eth0' }];
    // A link-up in the middle of a cycle does not start another: four RS after the cycle of 10 s fail.
    const [late] = check(polled, [cycle(s(10), 'h1'), rs(s(11), 'h1'), rs(s(15), 'h1'), up, rs(s(21), 'h1'), rs(s(25), 'h1')]);
    expect(late).toMatchObject({ pass: false, why: 'h1 sent 4 in the cycle from 10s' });
    // A new cycle (another state change to DELAY) does; other log events do not.
    const [ok] = check(polled, [cycle(s(10), 'h1'), rs(s(11), 'h1'), rs(s(15), 'h1'), rs(s(19), 'h1'), [s(20), { event: 'log', node: 'h1', name: 'state', to: 'IDLE' }], cycle(s(23), 'h1'), rs(s(24), 'h1')]);
    expect(ok).toMatchObject({ pass: true, why: 'at most 3 (h1)' });
    expect(ok.text).toBe('h* send at most 3 RS per cycle (cycles start at log with name="state" to="DELAY")');
  });
});

describe('arpRate', () => {
  const request = (src: MacAddress, n: number): Uint8Array =>
    ethernet.encode({
      dst: MacAddress.BROADCAST,
      src,
      etherType: 0x0806,
      payload: arp.encode({ form: 'ethernet-ipv4', hardwareType: 1, op: 1, senderMac: src, senderIp: Ipv4Address.parse('198.18.0.1'), targetMac: MacAddress.ZERO, targetIp: new Ipv4Address(0xc6120000 + n) }),
    });
  const want = '  - arpRate: {node: h1, burst: 3, rate: 1, min: 1}\n';
  it('passes a token-bucket pattern: a burst of 3, then one a second', () => {
    const src = MacAddress.parse('02:00:00:00:00:01');
    const frames: Array<[number, string, Uint8Array]> = [0, 1, 2].map((i) => [s(1) + i, 'h1', request(src, i)]);
    for (let k = 1; k <= 10; k++) frames.push([s(1 + k), 'h1', request(src, 10 + k)]);
    const [r] = check(want, [], frames);
    expect(r.pass).toBe(true);
  });
  it('fails when an interval holds more than burst + rate * T, naming it', () => {
    const src = MacAddress.parse('02:00:00:00:00:01');
    const frames: Array<[number, string, Uint8Array]> = [0, 1, 2, 3].map((i) => [s(1) + i * 1000, 'h1', request(src, i)]);
    const [r] = check(want, [], frames);
    expect(r).toMatchObject({ pass: false, why: 'h1 sent 4 from 1s to 1.003s (allowed 3.00)' });
  });
  it('counts only broadcast requests from the node named, and says when too few were seen', () => {
    const src = MacAddress.parse('02:00:00:00:00:02');
    const frames: Array<[number, string, Uint8Array]> = [0, 1, 2, 3, 4].map((i) => [s(1) + i, 'h2', request(src, i)]);
    const [r] = check(want, [], frames);
    expect(r).toMatchObject({ pass: false, why: 'only 0 sent in all by h1' });
  });
});

describe('script, ping, event', () => {
  it('script: stdin text and path', () => {
    const rows = check('  - script: {node: h1, contains: "nameserver 2001:db8::53", path: /sbin/resolvconf}\n  - script: {node: h2, contains: "x"}\n', [
      [s(1), { event: 'script.run', node: 'h1', path: '/sbin/resolvconf', args: ['-a', 'eth0:slaac'], stdin: 'nameserver 2001:db8::53\n' }],
      [s(1), { event: 'script.run', node: 'h2', path: '/sbin/resolvconf', args: ['-d', 'eth0:slaac'], stdin: '' }],
    ]);
    expect(rows.map((r) => r.pass)).toEqual([true, false]);
    expect(rows[1].why).toBe('h2 did not (1 script runs, the last /sbin/resolvconf -d eth0:slaac with "")');
  });
  it('ping: replies counted per node, optionally from one address', () => {
    const rows = check('  - ping: {node: "h*", min: 2}\n  - ping: {node: h1, to: "2001:db8::1"}\n', [
      [s(1), { event: 'ping.ok', node: 'h1', to: '2001:db8::1' }],
      [s(2), { event: 'ping.ok', node: 'h1', to: '2001:db8::1' }],
      [s(1), { event: 'ping.ok', node: 'h2', to: '2001:db8::2' }],
      [s(2), { event: 'ping.lost', node: 'h2', to: '2001:db8::2' }],
    ]);
    expect(rows.map((r) => [r.pass, r.why])).toEqual([
      [false, 'h2, h3 got fewer than 2 (3 answered, 1 lost)'],
      [true, '2 answered, 0 lost'],
    ]);
  });
  it('event: counts in a window, with field filters, total or per node', () => {
    const rows = check(
      '  - event: {event: ra.sent, after: 2s, before: 10s, min: 2, max: 2}\n  - event: {event: ra.sent, node: "h*", perNode: true, min: 1}\n  - event: {event: ra.sent, where: {solicited: true}, max: 0}\n',
      [
        [s(1), { event: 'ra.sent', node: 'h1', solicited: false }],
        [s(3), { event: 'ra.sent', node: 'h1', solicited: false }],
        [s(4), { event: 'ra.sent', node: 'h2', solicited: true }],
        [s(10), { event: 'ra.sent', node: 'h1', solicited: false }],
      ],
    );
    expect(rows.map((r) => [r.pass, r.why])).toEqual([
      [true, '2 seen'],
      [false, 'h3: 0'],
      [false, '1 seen'],
    ]);
  });
});

describe('query', () => {
  const net = (expectYaml: string) =>
    `segments: {lan: {}}\nduration: 10s\nnodes:\n  b1: {kind: beacon, interfaces: {eth0: {segment: lan, mac: "02:00:00:00:00:01"}}, config: {count: 3}}\n  b2: {kind: beacon, interfaces: {eth0: {segment: lan}}, config: {count: 0}}\nexpect:\n${expectYaml}`;
  const outcome = (expectYaml: string) => {
    const r = new Simulation(loadTopology(net(expectYaml), { file: 't.yaml', kinds: testKinds }), { seed: 1 }).run();
    return r.expectations.map((e) => [e.pass, e.why, e.text]);
  };

  it('asks at the time given, and counts the rows matching `where`', () => {
    expect(outcome('  - query: {node: b2, what: heard, where: {from: "02:00:00:00:00:01"}, min: 1, max: 1, at: 500ms}\n  - query: {node: b2, what: heard, min: 3, max: 3}\n')).toEqual([
      [true, '1', 'b2 has exactly 1 heard with from=02:00:00:00:00:01 at 500ms'],
      [true, '3', 'b2 has exactly 3 heard at the end'],
    ]);
  });

  it('fails with the count, or when the kind has no such question', () => {
    expect(outcome('  - query: {node: b2, what: heard, min: 4}\n  - query: {node: b1, what: nothing}\n')).toEqual([
      [false, 'b2 has 3', 'b2 has at least 4 heard at the end'],
      [false, 'b1 does not answer "nothing"', 'b1 has at least 1 nothing at the end'],
    ]);
  });
});

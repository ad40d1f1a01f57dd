import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../../src/adapters/sim/topology/load.js';
import { TopologyError, type Problem } from '../../../src/adapters/sim/topology/errors.js';
import { Simulation } from '../../../src/adapters/sim/run.js';
import { testKinds } from './helpers/kinds.js';

const load = (text: string) => loadTopology(text, { file: 't.yaml', kinds: testKinds });

function problems(text: string): Problem[] {
  try {
    load(text);
  } catch (err) {
    if (err instanceof TopologyError) return err.problems;
    throw err;
  }
  throw new Error('the topology loaded');
}

/** "line:column path: message" per problem, for compact assertions. */
const brief = (ps: Problem[]): string[] => ps.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);

/** The 1-based column where `token` starts on line `line` of `text`. */
function col(text: string, line: number, token: string): number {
  const at = text.split('\n')[line - 1].indexOf(token);
  if (at < 0) throw new Error(`no ${token} on line ${line}`);
  return at + 1;
}

describe('loadTopology: errors name file, line, column and what was expected', () => {
  it('a YAML syntax error', () => {
    const [p] = problems('nodes:\n  b1: {kind: beacon\n');
    expect(p.file).toBe('t.yaml');
    expect(p.line).toBe(3);
    expect(p.message).toMatch(/flow|]|}/i);
  });

  it('a duplicate key', () => {
    expect(brief(problems('nodes:\n  b1: {kind: beacon}\n  b1: {kind: beacon}\n'))).toEqual(['3:3 : Map keys must be unique']);
  });

  it('schema errors, all of them, each at its value or key', () => {
    const text = [
      'segments:',
      '  lan: {faults: {loss: 1.5, latncy: 5ms}}',
      'nodes:',
      '  b1:',
      '    kind: beacon',
      '    interfaces: {eth0: {segment: lan, mac: "zz"}}',
      '    config: {interval: -1}',
      '  b2: {kind: becon}',
      'events:',
      '  - {at: 3, linkDown: "b1:eth0"}',
      'expect:',
      '  - adress: {node: b1}',
      '',
    ].join('\n');
    expect(brief(problems(text))).toEqual([
      `2:${col(text, 2, '1.5')} segments.lan.faults.loss: expected a probability from 0 to 1, or a range {min, max} picked per seed, got 1.5`,
      `2:${col(text, 2, 'latncy')} segments.lan.faults.latncy: unknown key "latncy" (did you mean "latency"?)`,
      `6:${col(text, 6, '"zz"')} nodes.b1.interfaces.eth0.mac: expected a MAC address such as "02:00:00:00:00:01", got "zz"`,
      `7:${col(text, 7, '-1')} nodes.b1.config.interval: expected a number > 0, got -1`,
      `8:${col(text, 8, 'becon')} nodes.b2.kind: "becon" is not allowed here (did you mean "beacon"?)`,
      `10:${col(text, 10, '3,')} events[0].at: expected a duration such as "10s", "250ms", "1.5s" or "20us", got 3`,
      `12:${col(text, 12, 'adress')} expect[0].adress: unknown key "adress" (did you mean "address"?)`,
    ]);
  });

  it('a missing key points at the mapping that lacks it', () => {
    expect(brief(problems('nodes:\n  b1:\n    interfaces: {}\n'))).toEqual(['2:3 nodes.b1: missing "kind" (the node kind: beacon, pinger)']);
  });

  it('references to things that do not exist, once per cause', () => {
    const text = [
      'segments: {lan: {}}',
      'nodes:',
      '  b1: {kind: beacon, interfaces: {eth0: {segment: wan}}}',
      '  b2: {kind: beacon, interfaces: {eth0: {segment: lan}}}',
      'events:',
      '  - {at: 1s, linkDown: "b1:eth0"}',
      '  - {at: 1s, linkDown: "b2:eth1"}',
      '  - {at: 2s, crash: b9}',
      '  - {at: 2s, tell: {node: b2, action: bust}}',
      '  - {at: 2s, partition: {segment: lan, groups: [[b7]]}}',
      'expect:',
      '  - event: {event: x, node: "z*", min: 1}',
      '',
    ].join('\n');
    expect(brief(problems(text))).toEqual([
      `3:${col(text, 3, 'wan')} nodes.b1.interfaces.eth0.segment: no segment "wan" (segments: lan)`,
      `7:${col(text, 7, '"b2:eth1"')} events[1].linkDown: b2 has no interface "eth1" (it has eth0)`,
      `8:${col(text, 8, 'b9')} events[2].crash: no node "b9"`,
      `9:${col(text, 9, 'bust')} events[3].tell.action: a beacon node has no action "bust" (it has burst)`,
      `10:${col(text, 10, 'b7')} events[4].partition.groups[0][0]: "b7" names no interface on segment lan`,
      `12:${col(text, 12, '"z*"')} expect[0].event.node: no node matches "z*" (nodes: b2)`,
    ]);
  });

  it("a node kind's own config check is placed at the field it names", () => {
    const text = 'segments: {lan: {}}\nnodes:\n  h1:\n    kind: host\n    interfaces: {eth0: {segment: lan}}\n    config:\n      ping: [{to: "not-an-address"}]\n';
    const t = loadTopology(text, { file: 'h.yaml' });
    let err: unknown;
    try {
      new Simulation(t, { seed: 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TopologyError);
    const [p] = (err as TopologyError).problems;
    expect(`${p.file}:${p.line}:${p.column} ${p.path}`).toBe('h.yaml:7:19 nodes.h1.config.ping[0].to');
    expect(p.message).toMatch(/not-an-address/);
  });
});

describe('loadTopology: what a valid file becomes', () => {
  const text = [
    'name: demo',
    'duration: 5s',
    'segments:',
    '  lan: {mtu: 9000, faults: {loss: {min: 0.1, max: 0.2}, latency: 1ms}}',
    'underlay: {faults: {latency: 5ms}}',
    'dns: {isatap.example: [192.0.2.1]}',
    'nodes:',
    '  b{i}:',
    '    count: 3',
    '    first: 10',
    '    kind: beacon',
    '    startAt: 250ms',
    '    interfaces:',
    '      eth0: {segment: lan, mac: "02:00:00:00:00:fe", ipv4: [198.18.0.254/15], faults: {jitter: 2ms}}',
    '    config: {to: "02:00:00:00:00:{i}"}',
    '  p1: {kind: pinger, interfaces: {u0: {underlay: true, ipv4: [192.0.2.1/24]}}}',
    'events:',
    '  - {at: 1s, partition: {segment: lan, groups: [["b10"], ["b11", "b12:eth0"]]}}',
    '  - {at: 2s, dns: {name: isatap.example, addresses: []}}',
    '',
  ].join('\n');

  it('expands replicas with consecutive MACs and addresses, and {i} in their config', () => {
    const t = load(text);
    expect(t.name).toBe('demo');
    expect(t.duration).toBe(5_000_000);
    expect(t.nodes.map((n) => n.name)).toEqual(['b10', 'b11', 'b12', 'p1']);
    expect(t.nodes.slice(0, 3).map((n) => n.interfaces[0].mac.toString())).toEqual(['02:00:00:00:00:fe', '02:00:00:00:00:ff', '02:00:00:00:01:00']);
    expect(t.nodes.slice(0, 3).map((n) => n.interfaces[0].ipv4[0].address.toString())).toEqual(['198.18.0.254', '198.18.0.255', '198.18.1.0']);
    expect(t.nodes.map((n) => n.config)).toEqual([{ to: '02:00:00:00:00:10' }, { to: '02:00:00:00:00:11' }, { to: '02:00:00:00:00:12' }, {}]);
    expect(t.nodes[0].startAt).toBe(250_000);
    expect(t.nodes[0].interfaces[0].mtu).toBe(9000);
    expect(t.nodes[0].interfaces[0].faultOrigin).toBe('b{i}:eth0');
    expect(t.segments[0].faults).toEqual({ loss: { min: 0.1, max: 0.2 }, latency: 1000 });
  });

  it('resolves partition groups (a node, a pattern) to ports, each in one group', () => {
    const t = load(text);
    expect(t.events[0]).toMatchObject({ do: 'partition', index: 1, at: 1_000_000, groups: [['b10:eth0'], ['b11:eth0', 'b12:eth0']] });
  });

  it('refuses a port in two groups', () => {
    const bad = text.replace('[["b10"], ["b11", "b12:eth0"]]', '[["b10"], ["b1*"]]');
    expect(brief(problems(bad))).toEqual([`18:${col(bad, 18, '"b1*"')} events[0].partition.groups[1][0]: b10:eth0 is already in group 1`]);
  });

  it('gives a node without a MAC one derived from its name, unchanged when nodes are added', () => {
    const one = load('segments: {lan: {}}\nnodes:\n  a: {kind: beacon, interfaces: {eth0: {segment: lan}}}\n');
    const two = load('segments: {lan: {}}\nnodes:\n  z: {kind: beacon, interfaces: {eth0: {segment: lan}}}\n  a: {kind: beacon, interfaces: {eth0: {segment: lan}}}\n');
    const macA = one.nodes[0].interfaces[0].mac;
    expect(two.nodes[1].interfaces[0].mac.equals(macA)).toBe(true);
    expect(macA.isMulticast).toBe(false);
    expect(macA.byte(0) & 2).toBe(2);
  });

  it('refuses two ports with one MAC on a segment', () => {
    const text = 'segments: {lan: {}}\nnodes:\n  a: {kind: beacon, interfaces: {eth0: {segment: lan, mac: "02:00:00:00:00:01"}}}\n  b: {kind: beacon, interfaces: {eth0: {segment: lan, mac: "02:00:00:00:00:01"}}}\n';
    expect(brief(problems(text))).toEqual([`4:${col(text, 4, '"02:')} nodes.b.interfaces.eth0.mac: b:eth0 has MAC 02:00:00:00:00:01, like a:eth0 on segment lan`]);
  });
});

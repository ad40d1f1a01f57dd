/**
 * The run's pcapng as tshark sees it: one interface per attachment named node:iface, Ethernet
 * ports as Ethernet, underlay ports as raw IPv4, every frame sent and received, virtual times.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTopology } from '../../src/adapters/sim/topology/load.js';
import { runSimulation } from '../../src/adapters/sim/run.js';
import { read as readPcapng } from '../../src/core/wire/pcapng.js';
import { tierAvailable } from '../helpers/tier.js';
import { testKinds } from '../unit/sim/helpers/kinds.js';

const dir = mkdtempSync(join(tmpdir(), 'linklab-sim-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = [
  'duration: 3500ms',
  'segments: {lan: {faults: {latency: 1ms}}}',
  'underlay: {faults: {latency: 5ms}}',
  'nodes:',
  '  b1: {kind: beacon, interfaces: {eth0: {segment: lan}}, config: {count: 2}}',
  '  b2: {kind: beacon, interfaces: {eth0: {segment: lan}}, config: {count: 0}}',
  '  p1: {kind: pinger, interfaces: {u0: {underlay: true, ipv4: [192.0.2.1/24]}}, config: {to: 192.0.2.2}}',
  '  p2: {kind: pinger, interfaces: {u0: {underlay: true, ipv4: [192.0.2.2/24]}}}',
  '',
].join('\n');

function capture(): Uint8Array {
  const chunks: Uint8Array[] = [];
  runSimulation(loadTopology(text, { file: 'cap.yaml', kinds: testKinds }), { seed: 1, pcap: (c) => chunks.push(c) });
  return Buffer.concat(chunks);
}

describe('the run\'s pcapng', () => {
  it('has one interface per attachment and what each sent and received', () => {
    const cap = readPcapng(capture());
    expect(cap.interfaces.map((i) => [i.name, i.linkType])).toEqual([
      ['b1:eth0', 1],
      ['b2:eth0', 1],
      ['p1:u0', 228],
      ['p2:u0', 228],
    ]);
    const on = (i: number) => cap.packets.filter((p) => p.interfaceId === i);
    expect(on(0)).toHaveLength(2); // b1 sent two beacons
    expect(on(1)).toHaveLength(2); // b2 heard them
    expect(on(1)[0].timestamp - on(0)[0].timestamp).toBe(2000); // two cables of 1 ms
    // p1 asks at 1, 2 and 3 s; each answer is back 20 ms later (four 5 ms cable crossings).
    expect(on(2).map((p) => p.timestamp)).toEqual([1_000_000, 1_020_000, 2_000_000, 2_020_000, 3_000_000, 3_020_000]);
    expect(on(3).map((p) => p.timestamp)).toEqual([1_010_000, 1_010_000, 2_010_000, 2_010_000, 3_010_000, 3_010_000]);
  });

  it('opens in tshark, which decodes the underlay interfaces as IPv4', () => {
    if (!tierAvailable('test/sim/capture.test.ts', { commands: ['tshark'] })) return;
    const file = join(dir, 'cap.pcapng');
    writeFileSync(file, capture());
    const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=|', '-e', 'frame.interface_name', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'eth.type'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = out.trim().split('\n').map((l) => l.split('|'));
    expect(rows.filter((r) => r[0] === 'p1:u0' && r[1] === '192.0.2.1' && r[2] === '192.0.2.2')).toHaveLength(3);
    expect(rows.filter((r) => r[0] === 'b2:eth0' && r[3] === '0x88b5')).toHaveLength(2);
  });
});

/**
 * What a run report carries, checked against the run's own pcapng and trace: every record charted
 * once with its frame number and its bytes, receptions tied to the frame that was sent, faults and
 * states where the trace put them, expectations tied to the events that decided them, limits that
 * summarise with a note, and a run that is the same with or without the report watching.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCapture } from '../../src/core/wire/pcap.js';
import { Ipv6Address } from '../../src/core/wire/ipv6-address.js';
import { loadTopologyFile } from '../../src/adapters/sim/topology/load.js';
import { runSimulation, type RunOptions } from '../../src/adapters/sim/run.js';
import { runSeed } from '../../src/adapters/sim/explore/run-seed.js';
import { ReportedSimulation } from '../../src/report/run-report.js';
import { KINDS, RX_CORRUPTED, RX_DUPLICATE, RX_HELD_BACK, type RunReportData } from '../../src/report/data.js';
import type { ReportLimits } from '../../src/report/run-data.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const FLAKY = 'test/report/fixtures/ra-flaky.yaml';

function collect(): { sink: (c: Uint8Array) => void; bytes: () => Uint8Array } {
  const parts: Uint8Array[] = [];
  return { sink: (c) => parts.push(c.slice()), bytes: () => Buffer.concat(parts) };
}

async function reported(file: string, seed: number, limits?: Partial<ReportLimits>, extra: Partial<RunOptions> = {}): Promise<{ data: RunReportData; pcap: Uint8Array; trace: string[] }> {
  const topology = await loadTopologyFile(join(REPO, file));
  const pcap = collect();
  const trace: string[] = [];
  const r = new ReportedSimulation(topology, { seed, pcap: pcap.sink, trace: (l) => trace.push(l), ...extra });
  const result = r.sim.run();
  return { data: r.data(result, { command: `linklab sim run ${file} --seed ${seed}`, limits }), pcap: pcap.bytes(), trace };
}

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

describe('run report data', () => {
  for (const [file, seed] of [
    ['sim/topologies/rtsold-basic.yaml', 1],
    ['sim/topologies/isatap-basic.yaml', 1],
    [FLAKY, 1],
  ] as const) {
    it(`${file}: every pcapng record once, with its bytes, its interface and its transmission`, async () => {
      const { data, pcap } = await reported(file, seed);
      const cap = readCapture(pcap);
      expect(data.frames).toBe(cap.packets.length);
      const m = data.messages;
      const rx = data.receptions!;
      const numbers = [...m.frame.filter((f) => f > 0), ...rx.frame].sort((a, b) => a - b);
      expect(numbers).toEqual(cap.packets.map((_, i) => i + 1));
      data.interfaces.forEach(([node, ifname], i) => expect(`${data.nodes[node].name}:${ifname}`).toBe(cap.interfaces[i].name));
      for (let id = 0; id < m.count; id++) {
        if (m.frame[id] === 0) continue;
        const p = cap.packets[m.frame[id] - 1];
        expect(same(b64(m.data[id]), p.data)).toBe(true);
        expect(p.interfaceId).toBe(m.iface[id]);
        expect(p.timestamp).toBe(m.t[id]);
      }
      for (let r = 0; r < rx.count; r++) {
        const p = cap.packets[rx.frame[r] - 1];
        const id = rx.msg[r];
        // A reception holds the bytes that arrived: its message's, which are the sent ones unless corrupted.
        expect(same(b64(m.data[id]), p.data)).toBe(true);
        expect(p.interfaceId).toBe(rx.iface[r]);
        expect(rx.t[r]).toBeGreaterThanOrEqual(m.t[id]);
        if (rx.flags[r] & RX_CORRUPTED) {
          const orig = b64(m.data[m.copyOf[id]]);
          let bits = 0;
          for (let i = 0; i < orig.length; i++) for (let x = orig[i] ^ p.data[i]; x; x >>= 1) bits += x & 1;
          expect(bits).toBe(1);
        }
      }
      expect(m.rxCount.reduce((a, b) => a + b, 0)).toBe(rx.count);
    });
  }

  it('marks the faults of a bad segment where they struck, and the run is the same with the report watching', async () => {
    const { data, pcap, trace } = await reported(FLAKY, 1);
    const kinds = new Set(data.faults.map((f) => f.kind));
    for (const k of ['loss', 'duplicate', 'corrupt', 'held-back', 'link-down', 'link-up', 'crash', 'restart']) expect(kinds).toContain(k);
    const lossLines = trace.filter((l) => l.includes('"event":"frame.lost"') && l.includes('"reason":"loss"')).length;
    expect(data.faults.filter((f) => f.kind === 'loss').length).toBe(lossLines);
    // A loss as the frame was sent points at that frame, sent at that time.
    for (const f of data.faults.filter((x) => x.kind === 'loss')) expect(data.messages.t[f.msg!]).toBe(f.t);
    const flags = data.receptions!.flags;
    expect(flags.some((f) => f & RX_DUPLICATE)).toBe(true);
    expect(flags.some((f) => f & RX_HELD_BACK)).toBe(true);
    expect(data.timed.map((e) => e.index)).toEqual([1, 2, 3, 4]);

    const topology = await loadTopologyFile(join(REPO, FLAKY));
    const plain = collect();
    const plainTrace: string[] = [];
    runSimulation(topology, { seed: 1, pcap: plain.sink, trace: (l) => plainTrace.push(l) });
    expect(same(plain.bytes(), pcap)).toBe(true);
    expect(plainTrace).toEqual(trace);
  });

  it('gives the same report for the same seed, and another for another seed', async () => {
    const a = await reported(FLAKY, 3);
    const b = await reported(FLAKY, 3);
    const c = await reported(FLAKY, 4);
    expect(JSON.stringify(b.data)).toBe(JSON.stringify(a.data));
    expect(JSON.stringify(c.data)).not.toBe(JSON.stringify(a.data));
  });

  it("follows arpd's database: arpd.entry events in the trace, a negative entry in the timeline", async () => {
    const a = await reported('sim/topologies/arpd-negative-cache.yaml', 1);
    const b = await reported('sim/topologies/arpd-negative-cache.yaml', 1);
    expect(b.trace).toEqual(a.trace);
    const entries = a.trace.filter((l) => l.includes('"event":"arpd.entry"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.some((e) => e.node === 'gw' && e.ip === '198.18.9.9' && e.state === 'negative')).toBe(true);
    expect(a.data.states.some((s) => s.node === 'gw' && s.track === 'arpd' && s.key.endsWith('198.18.9.9') && s.state === 'negative')).toBe(true);
    // The frames expectations point at gw's broadcast ARP requests.
    const frames = a.data.expectations.filter((x) => x.kind === 'frames');
    for (const x of frames) {
      expect(x.evidence.length).toBeGreaterThan(0);
      for (const ev of x.evidence) {
        expect(ev.msg).toBeDefined();
        expect(KINDS[a.data.messages.kind[ev.msg!]].key).toBe('arp-request');
        expect(a.data.nodes[a.data.interfaces[a.data.messages.iface[ev.msg!]][0]].name).toBe('gw');
      }
    }
  });

  it("ties an address expectation to the addr.added event that met it, and says what it measured", async () => {
    const { data } = await reported('sim/topologies/rtsold-basic.yaml', 1);
    const x = data.expectations.find((e) => e.kind === 'address')!;
    expect(x.pass).toBe(true);
    expect(x.evidence).toHaveLength(1);
    const row = data.events[x.evidence[0].row!];
    expect(row.event).toBe('addr.added');
    expect(row.node).toBe('h1');
    expect(Ipv6Address.parse(/address=(\S+)/.exec(row.text)![1]).inPrefix(Ipv6Address.parse('2001:db8:1::'), 64)).toBe(true);
    expect(x.figure).toEqual({ label: 'time to address', unit: 's' });
    expect(x.value).toBe(row.t / 1e6);
    const rs = data.expectations.find((e) => e.text.includes('rs.sent'))!;
    expect(rs.evidence.map((ev) => data.events[ev.row!].event)).toEqual(['rs.sent']);
  });

  it('summarises above its limits and says so', async () => {
    const { data } = await reported(FLAKY, 1, { receptions: 5, messages: 10, events: 20, states: 10 });
    expect(data.receptions).toBeUndefined();
    expect(data.messages.count).toBeLessThan(20);
    expect(data.events.length).toBeLessThanOrEqual(20 + 12 * data.expectations.length);
    expect(data.states).toHaveLength(10);
    const notes = data.notes.join('\n');
    expect(notes).toMatch(/chart shows every \d+th/);
    expect(notes).toMatch(/receptions/);
    expect(notes).toMatch(/event list keeps the first 20/);
    expect(notes).toMatch(/timelines show the first 10 changes/);
    // Evidence survives the cuts.
    for (const x of data.expectations) for (const ev of x.evidence) if (ev.event !== 'frame.tx' && ev.event !== 'query') expect(ev.row).toBeDefined();
  });

  it("gives explore each expectation's figure per seed", async () => {
    const topology = await loadTopologyFile(join(REPO, FLAKY));
    const o = runSeed(topology, { id: 1, seed: 2 });
    const r = runSimulation(topology, { seed: 2 });
    expect(o.values).toEqual(r.expectations.map((e) => e.value ?? null));
    expect(o.values).toHaveLength(topology.expectations.length);
    expect(typeof o.values![0]).toBe('number');
  });
});

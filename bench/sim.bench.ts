/**
 * The simulator's speed: scheduler events per second, deliveries per second on a big segment, wall
 * time and memory for 60 s of virtual time with 10 to 10,000 hosts (the kernel model: DAD, RS, SLAAC
 * from a radvd-like router, and one ARP resolution of the gateway each, then unicast datagrams to
 * it every 5 s), and `explore` with 1 and 2 worker threads.
 *
 * Each host count runs in its own process (`--expose-gc`, so heap figures are clean): this module
 * re-runs itself with LINKLAB_SIM_BENCH_HOSTS=N and reads one JSON line back.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Scheduler, NodeClock } from '../src/adapters/sim/scheduler.js';
import { RandomStreams } from '../src/adapters/sim/prng.js';
import { TraceBus } from '../src/adapters/sim/trace.js';
import { Cable, DEFAULT_FAULTS } from '../src/adapters/sim/faults.js';
import { Segment } from '../src/adapters/sim/segment.js';
import { ALWAYS_ALIVE } from '../src/adapters/sim/medium.js';
import { loadTopology } from '../src/adapters/sim/topology/load.js';
import { Simulation } from '../src/adapters/sim/run.js';
import { explore, seedList } from '../src/adapters/sim/explore/explore.js';
import { MacAddress } from '../src/core/wire/mac-address.js';
import { fmt, save, type Row } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const SIZES = [10, 100, 1000, 10_000];

/** The scaling topology: a router and `n` hosts on one segment, 60 s. */
export function scaleTopology(n: number): string {
  return `name: scale-${n}
duration: 60s
segments: {lan: {}}
nodes:
  r1:
    kind: router
    startAt: 2s
    interfaces:
      eth0: {segment: lan, mac: "02:00:00:00:00:01", ipv4: ["198.18.0.1/15"], ipv6: ["2001:db8:1::1/64"]}
    config: {maxInterval: 10, prefixes: [{prefix: "2001:db8:1::/64"}]}
  h{i}:
    count: ${n}
    kind: host
    interfaces:
      eth0: {segment: lan, mac: "02:00:00:01:00:01", ipv4: ["198.18.1.1/15"]}
    config:
      talk: [{to: ["198.18.0.1"], start: 1, interval: 5}]
`;
}

interface ScaleResult {
  hosts: number;
  wallMs: number;
  buildMs: number;
  events: number;
  frames: number;
  deliveries: number;
  heapPerHostBytes: number;
  passed: boolean;
}

/** One host count, in this process (called in the child). */
function measureScale(n: number): ScaleResult {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const t = loadTopology(scaleTopology(n), { file: `scale-${n}` });
  gc();
  const before = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  const sim = new Simulation(t, { seed: 1 });
  const t1 = process.hrtime.bigint();
  sim.runUntil(10_000_000); // everyone has booted, autoconfigured and resolved the gateway
  gc();
  const heap = process.memoryUsage().heapUsed - before;
  const r = sim.run();
  const t2 = process.hrtime.bigint();
  return {
    hosts: n,
    wallMs: Number(t2 - t0) / 1e6,
    buildMs: Number(t1 - t0) / 1e6,
    events: r.events,
    frames: r.frames.sent,
    deliveries: r.frames.delivered,
    heapPerHostBytes: heap / (n + 1),
    passed: r.passed,
  };
}

function scaleInChild(n: number): ScaleResult {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, LINKLAB_SIM_BENCH_HOSTS: String(n) },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`scale ${n} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ScaleResult;
}

/** Scheduler events per second: 1,000 node clocks each re-arming a timer, 2,000,000 events. */
function schedulerRate(): number {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const s = new Scheduler();
    const rng = new RandomStreams(1).stream('bench');
    const clocks = Array.from({ length: 1000 }, () => new NodeClock(s));
    const total = 2_000_000;
    let left = total;
    for (const c of clocks) {
      const tick = (): void => {
        if (--left > 0) c.at(c.now() + 1 + rng.int(0, 10_000), tick);
      };
      c.at(rng.int(0, 10_000), tick);
    }
    const t0 = process.hrtime.bigint();
    s.runUntil(Number.MAX_SAFE_INTEGER);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    best = Math.max(best, (s.eventsRun * 1000) / ms);
  }
  return best;
}

/** Deliveries per second on a segment of 10,000 quiet ports, each with a trivial frame handler. */
function deliveryRate(): number {
  const scheduler = new Scheduler();
  const streams = new RandomStreams(1);
  const seg = new Segment('lan', { scheduler, streams, trace: new TraceBus(() => scheduler.now()) });
  let heard = 0;
  const ports = Array.from({ length: 10_000 }, (_, i) => {
    const p = seg.attach({ node: `n${i}`, ifname: 'eth0', mac: new MacAddress(0x02_00_00_00_00_00 + i), mtu: 1500, cable: new Cable({ ...DEFAULT_FAULTS }, streams, `l${i}`), owner: ALWAYS_ALIVE });
    p.onFrame((f) => {
      if (f[12] === 0x08) heard++;
    });
    return p;
  });
  const f = new Uint8Array(60).fill(0xff, 0, 6);
  f[12] = 0x08;
  f[13] = 0x06;
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < 300; k++) ports[k].send(f);
    scheduler.runUntil(scheduler.now() + 1000);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    best = Math.max(best, (300 * (ports.length - 1) * 1000) / ms);
  }
  if (heard !== 5 * 300 * (ports.length - 1)) throw new Error(`expected every port to hear every broadcast, got ${heard}`);
  return best;
}

async function exploreTime(workers: number, seeds: number): Promise<number> {
  const file = join(here, '..', 'sim', 'topologies', 'ra-lossy.yaml');
  const text = readFileSync(file, 'utf8');
  const t0 = process.hrtime.bigint();
  const r = await explore({ file, text, seeds: seedList(1, seeds), workers, shrink: false });
  if (r.outcomes.length !== seeds) throw new Error('explore lost seeds');
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function run(): Promise<void> {
  const rows: Row[] = [];
  const ratios: Row[] = [];
  const events = schedulerRate();
  rows.push({ name: 'scheduler: timer events (1,000 node clocks re-arming)', value: events, unit: 'events/s', target: '≥ 1,000,000/s', met: events >= 1_000_000 });
  const deliveries = deliveryRate();
  rows.push({ name: 'segment: deliveries to 10,000 ports (broadcasts, trivial handler)', value: deliveries, unit: 'deliveries/s' });

  const scale: ScaleResult[] = [];
  for (const n of SIZES) {
    process.stderr.write(`bench: sim scale ${n} hosts\n`);
    scale.push(scaleInChild(n));
  }
  for (const s of scale) {
    const work = s.events + s.deliveries;
    rows.push({
      name: `60 s of virtual time, ${fmt(s.hosts)} hosts`,
      value: s.wallMs / 1000,
      unit: 's wall',
      note: `${fmt(s.events)} events, ${fmt(s.frames)} frames, ${fmt(s.deliveries)} deliveries, ${((s.wallMs * 1e3) / work).toFixed(2)} us per event+delivery${s.passed ? '' : ', expectations failed'}`,
      ...(s.hosts === 10_000 ? { target: '< 60 s', met: s.wallMs < 60_000 } : {}),
    });
  }
  for (const s of scale) rows.push({ name: `memory per host, ${fmt(s.hosts)} hosts (heap after 10 s)`, value: s.heapPerHostBytes / 1024, unit: 'KiB' });

  const perWork = scale.filter((s) => s.hosts >= 100).map((s) => (s.wallMs * 1e3) / (s.events + s.deliveries));
  ratios.push({
    name: 'cost per event+delivery, largest over smallest (100 to 10,000 hosts)',
    value: Math.max(...perWork) / Math.min(...perWork),
    unit: 'x',
    target: 'linear: ≤ 2x',
    met: Math.max(...perWork) / Math.min(...perWork) <= 2,
  });

  const seeds = 24;
  const one = await exploreTime(1, seeds);
  const two = await exploreTime(2, seeds);
  rows.push({ name: `explore ra-lossy, ${seeds} seeds, 1 worker`, value: one / 1000, unit: 's wall' });
  rows.push({ name: `explore ra-lossy, ${seeds} seeds, 2 workers`, value: two / 1000, unit: 's wall' });
  ratios.push({ name: 'explore speed-up, 2 workers over 1', value: one / two, unit: 'x', note: 'on a 2-core machine shared with other work' });

  save({
    name: 'sim',
    title: 'Simulator (src/adapters/sim)',
    method:
      'Scheduler: 2,000,000 timer events from 1,000 node clocks (best of 3). Segment: 300 broadcasts to 10,000 ports with a one-line handler (best of 5). Scaling: a router and N hosts (the kernel model) on one segment for 60 s of virtual time, each host doing DAD, RS and SLAAC and resolving the gateway once by ARP (a broadcast every other host hears), then sending it a datagram every 5 s; each N runs in its own process, heap measured after a forced GC at 10 s of virtual time. Explore: 24 seeds of sim/topologies/ra-lossy.yaml with 1 and 2 worker threads, run from source (worker start-up included).',
    rows,
    ratios,
  });
}

// Child mode: one scaling measurement, printed as a JSON line.
if (process.env.LINKLAB_SIM_BENCH_HOSTS && process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(measureScale(Number(process.env.LINKLAB_SIM_BENCH_HOSTS))) + '\n');
}

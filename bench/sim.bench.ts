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
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { Scheduler, NodeClock } from '../src/adapters/sim/scheduler.js';
import { RandomStreams } from '../src/adapters/sim/prng.js';
import { TraceBus } from '../src/adapters/sim/trace.js';
import { Cable, DEFAULT_FAULTS } from '../src/adapters/sim/faults.js';
import { Segment } from '../src/adapters/sim/segment.js';
import { ALWAYS_ALIVE } from '../src/adapters/sim/medium.js';
import { loadTopology } from '../src/adapters/sim/topology/load.js';
import { Simulation } from '../src/adapters/sim/run.js';
import type * as ExploreModule from '../src/adapters/sim/explore/explore.js';
import { MacAddress } from '../src/core/wire/mac-address.js';
import type { NodeKind } from '../src/adapters/sim/node.js';
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
      talk: [{to: ["198.18.0.1"], start: 3, interval: 5}]
`;
}

/** The same network with the minimal node kinds below instead of the kernel model. */
export function liteTopology(n: number): string {
  return `name: lite-${n}
duration: 60s
segments: {lan: {}}
nodes:
  r1:
    kind: lite-router
    interfaces:
      eth0: {segment: lan, mac: "02:00:00:00:00:01", ipv4: ["198.18.0.1/15"]}
  h{i}:
    count: ${n}
    kind: lite-host
    interfaces:
      eth0: {segment: lan, mac: "02:00:00:01:00:01", ipv4: ["198.18.1.1/15"]}
`;
}

const ALL_NODES = MacAddress.parse('33:33:00:00:00:01');
const ALL_ROUTERS = MacAddress.parse('33:33:00:00:00:02');

/** A frame of `len` bytes with the given addresses and EtherType; the payload is left zero but for `fill`. */
function rawFrame(dst: MacAddress, src: MacAddress, etherType: number, len: number, fill?: (f: Uint8Array) => void): Uint8Array {
  const f = new Uint8Array(len);
  dst.write(f, 0);
  src.write(f, 6);
  f[12] = etherType >> 8;
  f[13] = etherType & 0xff;
  fill?.(f);
  return f;
}

/**
 * Minimal hosts for measuring the engine alone: the kernel model's frames at the same times (DAD
 * NS to a solicited-node group, an RS, one broadcast ARP request for the gateway, a datagram to it
 * every 5 s), with a few byte comparisons per frame received instead of a network stack.
 */
const liteHost: NodeKind = {
  kind: 'lite-host',
  configSchema: { type: 'object' },
  create: (_c, ctx) => ({
    name: ctx.name,
    kind: 'lite-host',
    start() {
      const port = ctx.ethernet('eth0');
      const me = ctx.interfaces[0].ipv4[0].address.value;
      const solicited = new MacAddress(0x3333_ff00_0000 + (port.mac.value % 0x100_0000));
      port.setReceiveMode('filtered');
      port.joinMulticast(ALL_NODES);
      port.joinMulticast(solicited);
      let gw: MacAddress | undefined;
      port.onFrame((f) => {
        if (f[12] !== 0x08 || f[13] !== 0x06) return;
        const target = ((f[38] << 24) | (f[39] << 16) | (f[40] << 8) | f[41]) >>> 0;
        if (f[21] === 2 && target === me) gw = MacAddress.read(f, 22);
      });
      const t0 = ctx.clock.now() + ctx.random.int(0, 1_000_000);
      ctx.clock.at(t0, () => port.send(rawFrame(solicited, port.mac, 0x86dd, 78)));
      ctx.clock.at(t0 + 1_000_000, () => port.send(rawFrame(ALL_ROUTERS, port.mac, 0x86dd, 70)));
      ctx.clock.at(3_000_000 + ctx.random.int(0, 1000), () =>
        port.send(
          rawFrame(MacAddress.BROADCAST, port.mac, 0x0806, 42, (f) => {
            f[21] = 1;
            port.mac.write(f, 22);
            f.set(ctx.interfaces[0].ipv4[0].address.toBytes(), 28);
            f.set([198, 18, 0, 1], 38);
          }),
        ),
      );
      const talk = (): void => {
        if (gw) port.send(rawFrame(gw, port.mac, 0x0800, 60));
        ctx.clock.at(ctx.clock.now() + 5_000_000, talk);
      };
      ctx.clock.at(4_000_000, talk);
    },
    crash() {},
  }),
};

/** The router of the minimal network: an RA every 10 s and one per RS (at most every 3 s), ARP replies. */
const liteRouter: NodeKind = {
  kind: 'lite-router',
  configSchema: { type: 'object' },
  create: (_c, ctx) => ({
    name: ctx.name,
    kind: 'lite-router',
    start() {
      const port = ctx.ethernet('eth0');
      const me = ctx.interfaces[0].ipv4[0].address.value;
      port.setReceiveMode('filtered');
      port.joinMulticast(ALL_NODES);
      port.joinMulticast(ALL_ROUTERS);
      let lastRa = -Infinity;
      const ra = (): void => {
        lastRa = ctx.clock.now();
        port.send(rawFrame(ALL_NODES, port.mac, 0x86dd, 118));
      };
      port.onFrame((f) => {
        if (f[12] === 0x08 && f[13] === 0x06) {
          const target = ((f[38] << 24) | (f[39] << 16) | (f[40] << 8) | f[41]) >>> 0;
          if (f[21] !== 1 || target !== me) return;
          const asker = MacAddress.read(f, 6);
          port.send(
            rawFrame(asker, port.mac, 0x0806, 42, (r) => {
              r[21] = 2;
              port.mac.write(r, 22);
              r.set(f.subarray(38, 42), 28);
              r.set(f.subarray(22, 32), 32);
            }),
          );
        } else if (f[0] === 0x33 && f[5] === 2 && ctx.clock.now() - lastRa >= 3_000_000) ra();
      });
      const periodic = (): void => {
        ra();
        ctx.clock.at(ctx.clock.now() + 10_000_000, periodic);
      };
      ctx.clock.at(ctx.clock.now() + 1_000_000, periodic);
    },
    crash() {},
  }),
};

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
function measureScale(n: number, lite: boolean): ScaleResult {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const t = lite ? loadTopology(liteTopology(n), { file: `lite-${n}`, kinds: [liteHost, liteRouter] }) : loadTopology(scaleTopology(n), { file: `scale-${n}` });
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

function scaleInChild(n: number, lite = false): ScaleResult {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, LINKLAB_SIM_BENCH_HOSTS: String(n), LINKLAB_SIM_BENCH_LITE: lite ? '1' : '' },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`scale ${n} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ScaleResult;
}

/** Scheduler events per second: 1,000 node clocks each re-arming a timer, `total` events. */
function schedulerRate(total = 2_000_000): number {
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const s = new Scheduler();
    const rng = new RandomStreams(1).stream('bench');
    const clocks = Array.from({ length: 1000 }, () => new NodeClock(s));
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

/** Deliveries per second on a segment of `size` quiet ports, each with a trivial frame handler. */
function deliveryRate(size = 10_000): number {
  const scheduler = new Scheduler();
  const streams = new RandomStreams(1);
  const seg = new Segment('lan', { scheduler, streams, trace: new TraceBus(() => scheduler.now()) });
  let heard = 0;
  const ports = Array.from({ length: size }, (_, i) => {
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
  // About 3,000,000 deliveries per round whatever the size.
  const frames = Math.ceil(3_000_000 / (size - 1));
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < frames; k++) ports[k % size].send(f);
    scheduler.runUntil(scheduler.now() + 1000);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    best = Math.max(best, (frames * (size - 1) * 1000) / ms);
  }
  if (heard !== 5 * frames * (size - 1)) throw new Error(`expected every port to hear every broadcast, got ${heard}`);
  return best;
}

/** Wall time of an exploration, and the CPU time all its threads used (how many cores it got). */
async function exploreTime(workers: number, seeds: number): Promise<{ wallMs: number; cpuMs: number }> {
  const file = join(here, '..', 'sim', 'topologies', 'arp-1000-hosts.yaml');
  const text = readFileSync(file, 'utf8');
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  // The built module, as `linklab sim explore` runs it: from source, each worker would compile
  // TypeScript again before its first seed.
  const built = join(here, '..', 'dist', 'adapters', 'sim', 'explore', 'explore.js');
  if (!existsSync(built)) throw new Error('sim benchmark: the simulator is not built (npm run build)');
  const { explore, seedList } = (await import(pathToFileURL(built).href)) as typeof ExploreModule;
  const r = await explore({ file, text, seeds: seedList(1, seeds), workers, shrink: false });
  if (r.outcomes.length !== seeds) throw new Error('explore lost seeds');
  const cpu = process.cpuUsage(cpu0);
  return { wallMs: Number(process.hrtime.bigint() - t0) / 1e6, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * The machine's own ceiling for `explore`: the same fixed jobs of plain JavaScript run on 1 and on 2
 * worker threads, once each thread is warm. "cpu" jobs only do arithmetic; "alloc" jobs build and drop short-lived objects the
 * way a simulation does, so the garbage collector (whose helper threads also want the second core)
 * and memory bandwidth decide how well they scale.
 */
const REFERENCE_JOB: Record<'cpu' | 'alloc', string> = {
  cpu: 'let x = 0; for (let i = 0; i < 3e8; i++) x = (x * 31 + i) | 0; return x;',
  alloc: 'let n = 0; for (let r = 0; r < 6; r++) { const a = []; for (let i = 0; i < 250000; i++) a.push({ i, s: [i, i + 1], m: new Map() }); n += a.length; } return n;',
};

async function referenceTime(kind: 'cpu' | 'alloc', workers: number, jobs: number): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads'); const job = () => { ${REFERENCE_JOB[kind]} }; parentPort.on('message', () => parentPort.postMessage(job()));`;
  const pool = Array.from({ length: workers }, () => new Worker(code, { eval: true }));
  const ask = (w: Worker): Promise<unknown> =>
    new Promise((resolve) => {
      w.once('message', resolve);
      w.postMessage(0);
    });
  // Two untimed jobs per worker first: each thread compiles and optimizes on its own, and the
  // first runs of a job are several times slower than the rest.
  await Promise.all(pool.map((w) => ask(w).then(() => ask(w))));
  const t0 = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    pool.map(async (w) => {
      while (next < jobs) {
        next++;
        await ask(w);
      }
    }),
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await Promise.all(pool.map((w) => w.terminate()));
  return ms;
}

export async function run(): Promise<void> {
  const rows: Row[] = [];
  const ratios: Row[] = [];
  const events = schedulerRate();
  rows.push({ name: 'scheduler: timer events (1,000 node clocks re-arming, 2,000,000 events)', value: events, unit: 'events/s', target: '≥ 1,000,000/s', met: events >= 1_000_000 });
  // A run of a quarter of a million events lasts tens of milliseconds, too short to time against
  // one of seconds; a million is the smaller size that measures the same way.
  const fewEvents = schedulerRate(1_000_000);
  const manyEvents = schedulerRate(8_000_000);
  rows.push({ name: 'scheduler: the same, 1,000,000 events', value: fewEvents, unit: 'events/s' });
  rows.push({ name: 'scheduler: the same, 8,000,000 events', value: manyEvents, unit: 'events/s' });
  ratios.push({ name: 'scheduler: time per event, 8,000,000 events over 1,000,000', value: fewEvents / manyEvents, unit: 'x', target: 'linear: ≤ 2x', met: fewEvents / manyEvents <= 2 });
  const perSize = [100, 1000, 10_000].map((n) => ({ n, rate: deliveryRate(n) }));
  for (const { n, rate } of perSize) rows.push({ name: `segment: deliveries, broadcasts to ${n.toLocaleString('en-US')} ports (trivial handler)`, value: rate, unit: 'deliveries/s' });
  const dr = perSize[0].rate / perSize[2].rate;
  ratios.push({ name: 'segment: time per delivery, 10,000 ports over 100', value: dr, unit: 'x', target: 'linear: ≤ 2x', met: dr <= 2 });

  const scale: ScaleResult[] = [];
  const lite: ScaleResult[] = [];
  for (const n of SIZES) {
    process.stderr.write(`bench: sim scale ${n} hosts (kernel model, then minimal hosts)\n`);
    scale.push(scaleInChild(n));
    lite.push(scaleInChild(n, true));
  }
  const row = (s: ScaleResult, what: string, target: boolean): Row => {
    const work = s.events + s.deliveries;
    return {
      name: `60 s of virtual time, ${s.hosts.toLocaleString('en-US')} ${what}`,
      value: s.wallMs / 1000,
      unit: 's wall',
      note: `${fmt(s.events)} events, ${fmt(s.frames)} frames, ${fmt(s.deliveries)} deliveries, ${((s.wallMs * 1e3) / work).toFixed(3)} us per event+delivery${s.passed ? '' : ', expectations failed'}`,
      ...(target && s.hosts === 10_000 ? { target: '< 60 s', met: s.wallMs < 60_000 } : {}),
    };
  };
  for (const s of scale) rows.push(row(s, 'hosts (kernel model)', true));
  for (const s of lite) rows.push(row(s, 'minimal hosts (the engine alone)', true));
  // Memory per host means something once hosts outweigh the process (100 and more).
  for (const s of scale.filter((x) => x.hosts >= 100)) rows.push({ name: `memory per host, ${s.hosts.toLocaleString('en-US')} hosts (kernel model, heap at 10 s)`, value: s.heapPerHostBytes / 1024, unit: 'KiB' });
  for (const s of lite.filter((x) => x.hosts >= 100)) rows.push({ name: `memory per host, ${s.hosts.toLocaleString('en-US')} minimal hosts (engine, heap at 10 s)`, value: s.heapPerHostBytes / 1024, unit: 'KiB' });

  // Linear in events: the cost per event+delivery at 10,000 hosts against 1,000 (smaller runs are
  // dominated by process start-up and compilation, which no event pays).
  for (const [series, what] of [
    [scale, 'kernel model'],
    [lite, 'engine alone'],
  ] as const) {
    const per = (n: number): number => {
      const s = series.find((x) => x.hosts === n)!;
      return (s.wallMs * 1e3) / (s.events + s.deliveries);
    };
    const spread = per(10_000) / per(1000);
    ratios.push({ name: `time per event+delivery, 10,000 hosts over 1,000 (${what})`, value: spread, unit: 'x', target: 'linear: ≤ 2x', met: spread <= 2 });
  }
  const k = scale.find((s) => s.hosts === 10_000)!;
  const l = lite.find((s) => s.hosts === 10_000)!;
  ratios.push({ name: '10,000 hosts: wall time with the kernel model over the engine alone', value: k.wallMs / l.wallMs, unit: 'x', note: 'the same frames at the same times' });

  const seeds = 12;
  const load = loadavg()[0];
  const one = await exploreTime(1, seeds);
  const two = await exploreTime(2, seeds);
  const cores = (x: { wallMs: number; cpuMs: number }): string => `${(x.cpuMs / x.wallMs).toFixed(2)} cores busy on average`;
  rows.push({ name: `explore arp-1000-hosts, ${seeds} seeds, 1 worker`, value: one.wallMs / 1000, unit: 's wall', note: cores(one) });
  rows.push({ name: `explore arp-1000-hosts, ${seeds} seeds, 2 workers`, value: two.wallMs / 1000, unit: 's wall', note: cores(two) });
  ratios.push({
    name: 'explore speed-up, 2 workers over 1',
    value: one.wallMs / two.wallMs,
    unit: 'x',
    note: `${availableParallelism()} cores, load average ${load.toFixed(1)} when it started: other work takes cores too`,
  });
  for (const kind of ['cpu', 'alloc'] as const) {
    const a = await referenceTime(kind, 1, 8);
    const b = await referenceTime(kind, 2, 8);
    const what = kind === 'cpu' ? 'arithmetic only' : 'allocating short-lived objects, as a simulation does';
    rows.push({ name: `reference: 8 warm plain JavaScript jobs (${what}), 1 worker`, value: a / 1000, unit: 's wall' });
    rows.push({ name: `reference: 8 warm plain JavaScript jobs (${what}), 2 workers`, value: b / 1000, unit: 's wall' });
    ratios.push({ name: `reference speed-up, 2 workers over 1, jobs ${what}`, value: a / b, unit: 'x', note: 'the most this machine gives such work from a second thread' });
  }

  save({
    name: 'sim',
    title: 'Simulator (src/adapters/sim)',
    method:
      'Scheduler: 2,000,000 timer events from 1,000 node clocks (best of 3). Segment: broadcasts to 100, 1,000 and 10,000 ports with a one-line handler, about 3,000,000 deliveries a round (best of 5). Scaling: a router and N hosts on one segment for 60 s of virtual time, each host doing DAD, RS and SLAAC and resolving the gateway once by ARP (a broadcast every other host hears, so deliveries grow as N squared), then sending it a datagram every 5 s. "Kernel model" hosts are the simulated Linux stack (src/adapters/sim/nodes); "minimal" hosts send the same frames at the same times and look at a few bytes of what they receive, which measures the engine alone. "Linear" rows compare the time per event or delivery as the count grows 10 to 100 times: a linear engine keeps it within 2x (caches fill up), a quadratic one would multiply it by the growth. Each N runs in its own process; heap measured after a forced GC at 10 s of virtual time. Explore: 12 seeds of sim/topologies/arp-1000-hosts.yaml (about a second each) with 1 and 2 worker threads, the built code as `linklab sim explore` runs it (worker start-up included); beside it, as the machine\'s ceiling, 8 fixed jobs of plain JavaScript (arithmetic only, and allocating short-lived objects) on 1 and 2 worker threads, timed after each thread has run two untimed jobs. A simulation allocates a lot: one explore worker keeps about 1.2 cores busy (V8 collects garbage on helper threads), and two such threads slow each other down, so explore can gain no more than the allocating reference, less the compile and warm-up each new worker pays.',
    rows,
    ratios,
  });
}

// Child mode: one scaling measurement, printed as a JSON line.
if (process.env.LINKLAB_SIM_BENCH_HOSTS && process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(measureScale(Number(process.env.LINKLAB_SIM_BENCH_HOSTS), process.env.LINKLAB_SIM_BENCH_LITE === '1')) + '\n');
}

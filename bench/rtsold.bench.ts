/**
 * rtsold: the core's RA processing rate through Rtsold with in-memory ports (no I/O), beside the
 * RA codec alone on the same bytes in the same run; and, in two network namespaces joined by a
 * veth, `linklab rtsold -f` (built CLI) as a user runs it: the resident memory of its two
 * processes beside an idle `node`, and the time from spawning the command to its first RS on the
 * wire (seen by a packet socket on the other end), several runs, median, beside `rdisc6` (ndisc6,
 * C) spawned the same way. rtsold waits a random 0..1 s before its first RS (RFC 4861); that wait,
 * read from its own --json events, is also taken off to give the start-up cost alone. And the
 * rate at which the running daemon reads, checks and counts malformed RAs from its socket.
 * The namespace half needs root, ip, rdisc6 and `npm run build`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { opsPerSecond, save, type Row } from './harness.js';
import type { Clock, Icmpv6Port, Icmpv6Received, InterfaceInfo, InterfacePort, Log, Random, ScriptRunner, Timer } from '../src/core/ports.js';
import { Rtsold } from '../src/core/rtsold/rtsold.js';
import { defaultConfig } from '../src/core/rtsold/config.js';
import * as icmpv6 from '../src/core/wire/icmpv6.js';
import * as ra from '../src/core/wire/ndisc/router-advert.js';
import * as ethernet from '../src/core/wire/ethernet.js';
import * as ipv6 from '../src/core/wire/ipv6.js';
import { Ipv6Address } from '../src/core/wire/ipv6-address.js';
import { MacAddress } from '../src/core/wire/mac-address.js';
import { LinuxFramePort } from '../src/adapters/linux/frame-port.js';
import { ethernetFrame, icmpv6PacketFromBytes, ipv6MulticastMac } from '../src/adapters/sim/nodes/kernel/frames.js';
import { Netns, cleanupAll, rawIcmpv6 } from '../test/netns/harness.js';

const REPO = join(import.meta.dirname, '..');
const CLI = join(REPO, 'bin', 'run.js');
const RUNS = 7;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// The core alone

/** The ports the core needs, doing nothing: time stands still, scripts and logs go nowhere. */
function quietCore(): { deliver: (m: Icmpv6Received) => void; core: Rtsold } {
  let handler: (m: Icmpv6Received) => void = () => undefined;
  const clock: Clock = { now: () => 1_000_000, at: (at): Timer => ({ at, cancel: () => undefined }) };
  const random: Random = { next: () => 0.5, int: (lo) => lo };
  const icmp: Icmpv6Port = { send: () => undefined, onMessage: (h) => ((handler = h), () => undefined), close: () => undefined };
  const info: InterfaceInfo = {
    ifindex: 2,
    name: 'eth0',
    mac: MacAddress.parse('02:00:00:00:00:10'),
    mtu: 1500,
    up: true,
    running: true,
    loopback: false,
    pointToPoint: false,
    multicast: true,
    ipv4: [],
    ipv6: [{ address: Ipv6Address.parse('fe80::ff:fe00:10'), prefixLength: 64, tentative: false }],
  };
  const interfaces: InterfacePort = { list: () => [info], byName: (n) => (n === 'eth0' ? info : undefined), byIndex: (i) => (i === 2 ? info : undefined), onChange: () => () => undefined, routeSource: (_d, done) => done(null) };
  const scripts: ScriptRunner = { run: () => undefined };
  const log: Log = { emit: () => undefined };
  const core = new Rtsold(defaultConfig({ interfaces: ['eth0'], otherScript: '/bin/true' }), { clock, random, icmpv6: icmp, interfaces, scripts, log });
  core.start();
  return { deliver: (m) => handler(m), core };
}

const ROUTER = Ipv6Address.parse('fe80::1');
const raValue: ra.RouterAdvertInput = {
  kind: 'router-advert',
  curHopLimit: 64,
  other: true,
  routerLifetime: 1800,
  options: [
    { kind: 'source-lla', address: '02:00:00:00:01:01' },
    { kind: 'prefix-info', prefixLength: 64, onLink: true, autonomous: true, validLifetime: 86400, preferredLifetime: 14400, prefix: '2001:db8:dead:beef::' },
    { kind: 'rdnss', lifetime: 600, servers: ['2001:db8::53'] },
    { kind: 'dnssl', lifetime: 600, domains: ['lab.intra'] },
  ],
};
const raBytes = icmpv6.encode(raValue, { src: ROUTER, dst: Ipv6Address.ALL_NODES });
const badOption = Uint8Array.from([...icmpv6.encode({ kind: 'router-advert', curHopLimit: 64, routerLifetime: 0 }), 25, 1, 0, 0, 0, 0, 0, 0]);

function coreRows(): { rows: Row[]; ratios: Row[]; drop: number } {
  const received = (message: Uint8Array, hopLimit = 255): Icmpv6Received => ({ ifindex: 2, src: ROUTER, dst: Ipv6Address.ALL_NODES, hopLimit, message });
  const valid = quietCore();
  const good = received(raBytes);
  const validRate = opsPerSecond(() => valid.deliver(good));
  const dropped = quietCore();
  const hop = received(raBytes, 64);
  const dropRate = opsPerSecond(() => dropped.deliver(hop));
  const skipped = quietCore();
  const bad = received(badOption);
  const badRate = opsPerSecond(() => skipped.deliver(bad));
  let sink = 0;
  const codecRate = opsPerSecond(() => {
    sink += ra.decode(raBytes).options.length;
  });
  if (sink < 0) throw new Error('unreachable');
  return {
    drop: dropRate,
    rows: [
      { name: 'core: valid RA (SLLA, prefix, RDNSS, DNSSL) accepted, DNS kept, -R called', value: validRate, unit: 'RA/s' },
      { name: 'core: RA with hop limit 64 dropped and counted', value: dropRate, unit: 'RA/s' },
      { name: 'core: RA with a short RDNSS, option skipped and counted', value: badRate, unit: 'RA/s' },
      { name: 'codec alone: the same valid RA decoded', value: codecRate, unit: 'RA/s' },
    ],
    ratios: [{ name: 'core valid-RA rate / codec decode rate (same RA, same run)', value: validRate / codecRate, unit: '×' }],
  };
}

// ---------------------------------------------------------------------------------------------
// The daemon in namespaces

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}

/** Resolves with the wall time of the next RS `port` sees. */
function nextRs(port: LinuxFramePort): Promise<number> {
  return new Promise((resolve) => {
    const off = port.onFrame((f) => {
      const at = Date.now();
      try {
        const e = ethernet.decode(f);
        if (e.etherType !== 0x86dd) return;
        const ip = ipv6.decode(e.payload);
        if (ip.protocol !== 58 || ip.payload[0] !== 133) return;
      } catch {
        return;
      }
      off();
      resolve(at);
    });
  });
}

interface Started {
  total: number;
  /** rtsold's own random wait before its first RS, from its --json events (0 for rdisc6). */
  wait: number;
}

async function startToFirstRs(host: Netns, port: LinuxFramePort, cmd: string[], json: boolean): Promise<Started & { rss?: { parent: number; child: number } }> {
  const seen = nextRs(port);
  const t0 = Date.now();
  const child = spawn('ip', ['netns', 'exec', host.name, ...cmd], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const at = await Promise.race([seen, sleep(15_000).then(() => NaN)]);
  if (Number.isNaN(at)) throw new Error(`no RS within 15 s from ${cmd.join(' ')}`);
  let wait = 0;
  let rss: { parent: number; child: number } | undefined;
  if (json) {
    await sleep(300);
    const events = out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { time: string; event: string; fields: Record<string, unknown> });
    const delay = events.find((e) => e.event === 'state' && e.fields.to === 'DELAY');
    const rs = events.find((e) => e.event === 'rs.sent');
    if (!delay || !rs) throw new Error(`rtsold printed no state/rs.sent events:\n${out}`);
    wait = Date.parse(rs.time) - Date.parse(delay.time);
    // Resident memory once it runs: the root parent and the RA-parsing child.
    await sleep(1500);
    const [parent] = host.pids({ cmdline: 'run.js rtsold' });
    const [parser] = host.pids({ cmdline: 'child-main' });
    rss = { parent: rssKiB(parent), child: rssKiB(parser) };
  }
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
  await new Promise((r) => child.once('close', r));
  return { total: at - t0, wait, rss };
}

/**
 * RAs through the daemon's socket per second: RAs with hop limit 64 from the peer, as fast as the
 * RA-parsing child's receive queue drains (sending pauses while more than 32 KiB wait), until all
 * are read; every one must be counted in the dump.
 */
async function floodRate(host: Netns, router: Netns, port: LinuxFramePort): Promise<number> {
  const dump = join(tmpdir(), `llrb-${process.pid}.dump`);
  const d = spawn('ip', ['netns', 'exec', host.name, 'node', CLI, 'rtsold', '-f', '--dump-file', dump, 'hv0'], { stdio: 'ignore', detached: true });
  try {
    let child: number | undefined;
    for (let i = 0; i < 200 && child === undefined; i++) {
      await sleep(50);
      child = host.pids({ cmdline: 'child-main' })[0];
    }
    if (child === undefined) throw new Error('rtsold benchmark: the RA-parsing child did not start');
    await sleep(1000);
    const message = icmpv6.encode({ kind: 'router-advert', curHopLimit: 64, routerLifetime: 0 });
    const packet = icmpv6PacketFromBytes(Ipv6Address.parse('fe80::9'), Ipv6Address.ALL_NODES, 64, message);
    const frame = ethernetFrame(ipv6MulticastMac(Ipv6Address.ALL_NODES), MacAddress.parse(router.mac('rv0')), 0x86dd, packet);
    const N = 50_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      port.send(frame);
      if (i % 100 === 99) while (rawIcmpv6(child).queued > 32_768) await sleep(1);
    }
    while (rawIcmpv6(child).queued > 0) await sleep(1);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    process.kill(d.pid!, 'SIGUSR1');
    let counted = 0;
    for (let i = 0; i < 100 && counted === 0; i++) {
      await sleep(50);
      const m = /RA dropped \(hop-limit\): (\d+)/.exec(existsSync(dump) ? readFileSync(dump, 'utf8') : '');
      counted = m ? Number(m[1]) : 0;
    }
    const lost = rawIcmpv6(child).drops;
    if (counted + lost !== N) throw new Error(`rtsold benchmark: sent ${N}, counted ${counted}, kernel drops ${lost}`);
    return counted / seconds;
  } finally {
    try {
      process.kill(-d.pid!, 'SIGTERM');
    } catch {
      // gone
    }
    rmSync(dump, { force: true });
  }
}

async function daemonRows(): Promise<{ rows: Row[]; ratios: Row[]; flood: number }> {
  if (process.getuid?.() !== 0) throw new Error('rtsold benchmark: needs root (network namespaces)');
  for (const c of ['ip', 'rdisc6']) {
    try {
      execFileSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`rtsold benchmark: needs ${c} (see scripts/debian-packages.txt)`);
    }
  }
  if (!existsSync(join(REPO, 'dist', 'cli', 'rtsold', 'main.js'))) throw new Error('rtsold benchmark: the CLI is not built (npm run build)');
  try {
    const host = Netns.create('llrb');
    const router = Netns.create('llrb');
    host.sysctl('net.ipv6.conf.default.router_solicitations', 0);
    host.veth('hv0', 'rv0', router);
    await host.operUp('hv0');
    await router.operUp('rv0');
    for (let i = 0; i < 100 && host.ip('-6', 'addr', 'show', 'dev', 'hv0').includes('tentative'); i++) await sleep(50);
    const port = router.enter(() => LinuxFramePort.open('rv0'));
    try {
      const ours: Array<Started & { rss?: { parent: number; child: number } }> = [];
      const theirs: Started[] = [];
      for (let i = 0; i < RUNS; i++) {
        ours.push(await startToFirstRs(host, port, ['node', CLI, 'rtsold', '-fD', '--json', '--dump-file', join(tmpdir(), `llrb-${process.pid}-start.dump`), 'hv0'], true));
        theirs.push(await startToFirstRs(host, port, ['rdisc6', '-1', '-r', '1', '-w', '1000', 'hv0'], false));
      }
      const flood = await floodRate(host, router, port);
      const idle = spawn('ip', ['netns', 'exec', host.name, 'node', '-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true });
      await sleep(1500);
      const [idlePid] = host.pids({ cmdline: 'setInterval' });
      const idleRss = rssKiB(idlePid);
      process.kill(-idle.pid!, 'SIGKILL');
      const parent = median(ours.map((o) => o.rss!.parent));
      const child = median(ours.map((o) => o.rss!.child));
      const total = median(ours.map((o) => o.total));
      const startup = median(ours.map((o) => o.total - o.wait));
      const rdisc6 = median(theirs.map((o) => o.total));
      return {
        flood,
        rows: [
          { name: 'linklab rtsold -f: RAs with hop limit 64 through its raw socket, dropped and counted', value: flood, unit: 'RA/s', note: 'paced by its receive queue, no kernel drops' },
          { name: 'linklab rtsold -f: resident memory, root parent', value: parent / 1024, unit: 'MiB', note: `median of ${RUNS}` },
          { name: 'linklab rtsold -f: resident memory, RA-parsing child (nobody)', value: child / 1024, unit: 'MiB', note: `median of ${RUNS}` },
          { name: 'idle node (setInterval), for comparison', value: idleRss / 1024, unit: 'MiB' },
          { name: 'linklab rtsold: spawn to first RS on the wire', value: total, unit: 'ms', note: `median of ${RUNS}, includes the random 0..1 s wait` },
          { name: 'linklab rtsold: spawn to first RS, its random wait taken off', value: startup, unit: 'ms', note: `median of ${RUNS}` },
          { name: 'rdisc6 (ndisc6, C): spawn to first RS on the wire', value: rdisc6, unit: 'ms', note: `median of ${RUNS}, sends at once` },
        ],
        ratios: [
          { name: 'linklab rtsold resident memory (both processes) / idle node', value: (parent + child) / idleRss, unit: '×' },
          { name: 'linklab rtsold start-up (wait taken off) / rdisc6 spawn to first RS', value: startup / rdisc6, unit: '×' },
        ],
      };
    } finally {
      port.close();
    }
  } finally {
    cleanupAll();
    rmSync(join(tmpdir(), `llrb-${process.pid}-start.dump`), { force: true });
  }
}

export async function run(): Promise<void> {
  const core = coreRows();
  const daemon = await daemonRows();
  save({
    name: 'rtsold',
    title: 'rtsold: RA processing rate, daemon memory, start-up to first RS',
    method:
      'Core: Rtsold with in-memory ports (fixed clock, no-op scripts and log), one RA delivered per operation, best of 5 rounds, beside the RA codec on the same bytes. Daemon: `linklab rtsold -fD --json hv0` (built CLI) in a namespace whose veth peer sits in another; a packet socket on the peer timestamps the first RS; VmRSS of both processes 1.5 s after it; rdisc6 -1 spawned the same way; medians of the runs.',
    rows: [...core.rows, ...daemon.rows],
    ratios: [...core.ratios, { name: 'daemon drop rate through the socket / core drop rate (same RA)', value: daemon.flood / core.drop, unit: '×' }, ...daemon.ratios],
  });
}

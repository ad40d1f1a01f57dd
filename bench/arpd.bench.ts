/**
 * arpd under an ARP flood, side by side with Debian's arpd (iproute2) in the same run: two
 * network namespaces joined by a veth pair; a generator in the peer namespace
 * (test/netns/programs/arp-flood.ts, one AF_PACKET socket) sends gratuitous ARP from 130,000
 * senders in 198.18.0.0/15 at a paced rate; the daemon under test watches the other end. Rounds
 * alternate original / linklab on a fresh database each, the same flood each time. For each
 * daemon: CPU time (utime + stime from /proc/PID/stat, every process of the daemon: linklab's
 * root parent and its parser child) from just before the flood until it has drained, per 100,000
 * packets sent, and the entries its `-l` lists afterwards (every sender should be there). Needs
 * root, Debian's arpd and the built CLI (npm run build).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { save, type Row } from './harness.js';
import { Netns, cleanupAll, type NsProcess } from '../test/netns/harness.js';

const REPO = join(import.meta.dirname, '..');
const CLI = join(REPO, 'bin', 'run.js');
const FLOOD = join(REPO, 'test', 'netns', 'programs', 'arp-flood.ts');
const PACKETS = 400_000;
const RATE = 60_000;
/** Distinct senders (198.18.0.1 onwards), short of the interfaces' own addresses at the top of the /15. */
const SENDERS = 130_000;
const ROUNDS = 2;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
  }
  return ticks / ticksPerSecond;
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function need(cmd: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`arpd benchmark: needs ${cmd} (Debian package ${pkg}); see scripts/debian-packages.txt`);
  }
}

interface Daemon {
  pids: number[];
  /** The pid that takes signals (SIGHUP: sync). */
  main: number;
  stop(): Promise<void>;
  entries(): number;
}

async function startOriginal(ns: Netns, db: string): Promise<Daemon> {
  ns.exec(['arpd', '-b', db, 'a0']); // it daemonizes at once
  let pids: number[] = [];
  for (let i = 0; i < 50 && pids.length === 0; i++) {
    await sleep(100);
    pids = ns.pids({ comm: 'arpd' });
  }
  if (pids.length !== 1) throw new Error(`arpd benchmark: expected one arpd process, found ${pids.length}`);
  return {
    pids,
    main: pids[0],
    async stop() {
      process.kill(pids[0], 'SIGTERM');
      for (let i = 0; i < 100 && ns.pids({ comm: 'arpd' }).length > 0; i++) await sleep(50);
    },
    entries: () => rows(execFileSync('arpd', ['-l', '-b', db], { encoding: 'utf8', maxBuffer: 256 << 20 })),
  };
}

async function startLinklab(ns: Netns, db: string, dir: string): Promise<Daemon> {
  const p: NsProcess = ns.spawn([process.execPath, CLI, 'arpd', '--foreground', '--pid', join(dir, 'arpd.pid'), '-b', db, 'a0']);
  await p.waitFor(/parser pid \d+/, 60_000);
  const pids = [p.pid, ...childrenOf(p.pid)];
  return {
    pids,
    main: p.pid,
    async stop() {
      process.kill(p.pid, 'SIGTERM');
      const e = await p.exited;
      if (e.code !== 0) throw new Error(`linklab arpd exited ${e.code}: ${p.stderr}`);
    },
    entries: () => rows(execFileSync(process.execPath, [CLI, 'arpd', '-l', '-b', db], { encoding: 'utf8', maxBuffer: 256 << 20 })),
  };
}

function rows(listing: string): number {
  return listing.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
}

interface Round {
  cpu: number;
  entries: number;
  pps: number;
  sent: number;
}

async function floodOnce(peer: Netns, daemon: Daemon): Promise<Round> {
  const before = cpuSeconds(daemon.pids);
  const gen = peer.spawn([process.execPath, '--import', 'tsx', FLOOD, 'b0', String(PACKETS), String(RATE), '198.18.0.1', String(SENDERS)]);
  const r = await gen.exited;
  if (r.code !== 0) throw new Error(`arpd benchmark: the generator failed: ${r.stderr}`);
  const g = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { sent: number; pps: number };
  // Until the daemon has taken everything queued (its CPU time stops moving), then SIGHUP: both
  // write what they learned to disk, inside the measurement.
  const quiet = async (): Promise<void> => {
    let last = cpuSeconds(daemon.pids);
    for (let i = 0; i < 40; i++) {
      await sleep(250);
      const now = cpuSeconds(daemon.pids);
      if (now === last && i >= 3) return;
      last = now;
    }
  };
  await quiet();
  process.kill(daemon.main, 'SIGHUP');
  await quiet();
  const cpu = cpuSeconds(daemon.pids) - before;
  await daemon.stop();
  return { cpu, entries: daemon.entries(), pps: g.pps, sent: g.sent };
}

export async function run(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('arpd benchmark: needs root (network namespaces)');
  need('ip', 'iproute2');
  need('arpd', 'iproute2');
  if (!existsSync(join(REPO, 'dist', 'commands', 'arpd.js'))) throw new Error('arpd benchmark: the CLI is not built (npm run build)');
  const dir = mkdtempSync(join(tmpdir(), 'lla-bench-'));
  const results: Record<'original' | 'linklab', Round[]> = { original: [], linklab: [] };
  try {
    const [ns, peer] = await Netns.linked('llab', { ifname: 'a0', cidr: '198.19.255.1/15' }, { ifname: 'b0', cidr: '198.19.255.2/15' });
    for (let round = 0; round < ROUNDS; round++) {
      for (const who of ['original', 'linklab'] as const) {
        const db = join(dir, `${who}-${round}.db`);
        const daemon = who === 'original' ? await startOriginal(ns, db) : await startLinklab(ns, db, dir);
        await sleep(1000); // settled: start-up work done before the clock starts
        const r = await floodOnce(peer, daemon);
        results[who].push(r);
        process.stderr.write(`bench arpd: ${who} round ${round + 1}: ${r.sent} packets at ${r.pps}/s, ${r.cpu.toFixed(2)} s CPU, ${r.entries} entries\n`);
      }
    }
  } finally {
    cleanupAll();
    rmSync(dir, { recursive: true, force: true });
  }

  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const per100k = (rs: Round[]): number => mean(rs.map((r) => (r.cpu * 100_000) / r.sent));
  const orig = per100k(results.original);
  const mine = per100k(results.linklab);
  const all = [...results.original, ...results.linklab];
  const minPps = Math.min(...all.map((r) => r.pps));
  const rowsOut: Row[] = [
    { name: `generator rate into the interface (lowest of ${all.length} floods of ${PACKETS.toLocaleString('en-US')} frames)`, value: minPps, unit: 'packets/s', target: '≥ 50,000/s', met: minPps >= 50_000 },
    { name: "Debian arpd: CPU per 100,000 packets (mean of the rounds)", value: orig, unit: 's' },
    { name: 'linklab arpd: CPU per 100,000 packets (parent + parser, mean of the rounds)', value: mine, unit: 's' },
    { name: 'Debian arpd: entries recorded (fewest in a round)', value: Math.min(...results.original.map((r) => r.entries)), unit: `of ${SENDERS.toLocaleString('en-US')} senders`, note: 'drops under the flood show here' },
    {
      name: 'linklab arpd: entries recorded (fewest in a round)',
      value: Math.min(...results.linklab.map((r) => r.entries)),
      unit: `of ${SENDERS.toLocaleString('en-US')} senders`,
      target: 'every one',
      met: results.linklab.every((r) => r.entries === SENDERS),
    },
  ];
  const ratio = mine / orig;
  save({
    name: 'arpd',
    title: 'arpd under an ARP flood, beside Debian arpd',
    method:
      `Two namespaces joined by a veth pair; the peer sends ${PACKETS.toLocaleString('en-US')} gratuitous ARP frames from ${SENDERS.toLocaleString('en-US')} senders in 198.18.0.0/15 at ${RATE.toLocaleString('en-US')}/s (paced, one AF_PACKET socket); ` +
      `the daemon watches the other end with its defaults (-p 30), and a SIGHUP after the flood has both write what they learned to disk. Rounds alternate Debian arpd and linklab arpd (built CLI, privilege separation on), ${ROUNDS} each, fresh database each. ` +
      'CPU is utime + stime of every daemon process from just before the flood until the daemon went quiet after that sync; entries are what `-l` lists afterwards.',
    rows: rowsOut,
    ratios: [{ name: 'linklab / Debian arpd, CPU per packet', value: ratio, unit: '×', target: '≤ 2', met: ratio <= 2 }],
  });
}

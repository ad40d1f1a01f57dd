/**
 * The three daemons against plain Node, side by side in one run: spawn (through `ip netns exec`)
 * to READY=1 on a real NOTIFY_SOCKET, beside spawn to exit of `node -e 0`; resident memory of the
 * daemon and its unprivileged child 1.5 s after READY, beside an idle node (setInterval).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { save, type Row } from './harness.js';
import { NotifySocket } from '../test/helpers/notify-socket.js';
import { Netns, cleanupAll, sleep, until } from '../test/netns/harness.js';

const CLI = join(import.meta.dirname, '..', 'bin', 'run.js');
const RUNS = 5;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}

const DAEMONS: Array<{ name: string; args: (dir: string) => string[] }> = [
  { name: 'rtsold', args: (dir) => ['rtsold', '-f', '-p', join(dir, 'p.pid'), '--dump-file', join(dir, 'd.dump'), 'a0'] },
  { name: 'arpd', args: (dir) => ['arpd', '--foreground', '--pid', join(dir, 'p.pid'), '-b', join(dir, 'arpd.db'), 'a0'] },
  { name: 'isatapd', args: (dir) => ['isatapd', '--dataplane', 'userspace', '-n', 'is0', '-p', join(dir, 'p.pid'), '192.0.2.2'] },
];

/** One start: ms from spawn to READY=1, and the RSS (KiB) of the daemon plus its child. */
async function startOnce(ns: Netns, args: string[]): Promise<{ ms: number; rss: number }> {
  const sock = new NotifySocket();
  try {
    const t0 = performance.now();
    const p = ns.spawn(['node', CLI, ...args], { env: { ...process.env, NOTIFY_SOCKET: sock.name } });
    const ready = await until(() => sock.take().some((m) => m.includes('READY=1')), 30_000, 1);
    const ms = performance.now() - t0;
    if (!ready) throw new Error(`${args[0]} sent no READY=1: ${p.stderr}`);
    await sleep(1500);
    const kids = ns.pids().filter((pid) => pid !== p.pid && readFileSync(`/proc/${pid}/status`, 'utf8').includes(`PPid:\t${p.pid}\n`));
    const rss = rssKiB(p.pid) + kids.reduce((s, pid) => s + rssKiB(pid), 0);
    p.child.kill('SIGTERM');
    await p.exited;
    return { ms, rss };
  } finally {
    sock.close();
  }
}

async function nodeBaseline(ns: Netns): Promise<{ ms: number; rss: number }> {
  const t0 = performance.now();
  await ns.spawn(['node', '-e', '0']).exited;
  const ms = performance.now() - t0;
  const idle = ns.spawn(['node', '-e', 'setInterval(() => {}, 1000)']);
  await sleep(1500);
  const rss = rssKiB(idle.pid);
  idle.child.kill('SIGTERM');
  await idle.exited;
  return { ms, rss };
}

export async function run(): Promise<void> {
  const [ns] = await Netns.linked('llbd', { ifname: 'a0', cidr: '192.0.2.1/24' }, { ifname: 'b0', cidr: '192.0.2.2/24' });
  const dir = mkdtempSync(join(tmpdir(), 'linklab-bench-daemons-'));
  const rows: Row[] = [];
  const ratios: Row[] = [];
  try {
    const base = { ms: [] as number[], rss: [] as number[] };
    const per = new Map(DAEMONS.map((d) => [d.name, { ms: [] as number[], rss: [] as number[] }]));
    // Interleaved, so load on the machine falls on every program alike.
    for (let i = 0; i < RUNS; i++) {
      const b = await nodeBaseline(ns);
      base.ms.push(b.ms);
      base.rss.push(b.rss);
      for (const d of DAEMONS) {
        const r = await startOnce(ns, d.args(dir));
        per.get(d.name)!.ms.push(r.ms);
        per.get(d.name)!.rss.push(r.rss);
        rmSync(join(dir, 'arpd.db'), { recursive: true, force: true });
      }
    }
    const nodeMs = median(base.ms);
    const idleRss = median(base.rss);
    rows.push({ name: `node -e 0: spawn to exit (median of ${RUNS})`, value: nodeMs, unit: 'ms' });
    rows.push({ name: `idle node (setInterval): resident memory (median of ${RUNS})`, value: idleRss / 1024, unit: 'MiB' });
    for (const d of DAEMONS) {
      const r = per.get(d.name)!;
      const ms = median(r.ms);
      const rss = median(r.rss);
      rows.push({ name: `linklab ${d.name}: spawn to READY=1 (median of ${RUNS})`, value: ms, unit: 'ms' });
      rows.push({ name: `linklab ${d.name}: resident memory, daemon + child, 1.5 s after READY (median of ${RUNS})`, value: rss / 1024, unit: 'MiB' });
      ratios.push({ name: `linklab ${d.name} start-up / node -e 0`, value: ms / nodeMs, unit: '×', target: '≤ 1.5 ×', met: ms / nodeMs <= 1.5 });
      ratios.push({ name: `linklab ${d.name} memory (both processes) / idle node`, value: rss / idleRss, unit: '×', target: '≤ 2.0 ×', met: rss / idleRss <= 2.0 });
    }
  } finally {
    cleanupAll();
    rmSync(dir, { recursive: true, force: true });
  }
  save({
    name: 'daemons',
    title: 'Daemons against plain Node: start-up and memory',
    method: `Each daemon (built CLI, bin/run.js) spawned through \`ip netns exec\` in a namespace with a veth to another (isatapd: userspace data plane, router 192.0.2.2); start-up is spawn to READY=1 on a NOTIFY_SOCKET the bench binds, beside \`node -e 0\` spawned the same way to its exit; VmRSS of the daemon and its child 1.5 s after READY, beside an idle node (setInterval); ${RUNS} interleaved runs, medians.`,
    rows,
    ratios,
  });
}

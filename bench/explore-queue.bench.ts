/**
 * `linklab sim explore --queue` against a local explore of the same seeds, in the same run: seeds
 * per second with 1, 2 and 4 worker processes (one thread each) and the queue's overhead per seed;
 * the queue's own cost per seed for several batch sizes, on seeds that do nearly nothing (what
 * BATCH in src/adapters/queue/jobs.ts is chosen from); and how long a SIGKILLed worker's batch waits before another worker takes it.
 *
 * Every figure is the wall time of the command a user runs (`linklab sim explore ...`, built
 * code), the workers already started, as they are on a farm. CPU is read from /proc for every
 * process involved (workers, redis-server, coordinator), so the cost per seed is there even when
 * the machine has idle cores to hide it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BATCH } from '../src/adapters/queue/jobs.js';
import { Proc, REPO, RedisServer, killAll, linklab, waitForSeeds } from '../test/queue/helpers.js';
import { hasCommand } from '../test/helpers/tier.js';
import { save, type Row } from './harness.js';

const TOPOLOGY = 'sim/topologies/ra-lossy.yaml';
const SEEDS = 200;
const ROUNDS = 3;
const CHEAP_SEEDS = 1000;
const TICKS = 100; // clock ticks per second in /proc/PID/stat (USER_HZ)

/** CPU seconds a process has used so far (all its threads). */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS;
}

/** Runs `linklab ARGS` to the end; wall seconds, and CPU seconds (from bash's `times`, children included). */
async function timed(args: string[]): Promise<{ wall: number; cpu: number; stdout: string }> {
  const t0 = process.hrtime.bigint();
  const script = `node ${join(REPO, 'bin', 'run.js')} "$@" > "$OUT"; times >&2`;
  const out = join(tmpdir(), `linklab-bench-${process.pid}-${Date.now()}.out`);
  const p = new Proc(spawn('bash', ['-c', script, 'bash', ...args], { cwd: REPO, env: { ...process.env, OUT: out }, stdio: ['ignore', 'pipe', 'pipe'] }));
  await p.exited;
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  // `times` prints the shell's own user/system time, then its children's: the second line counts.
  const m = /\n(\d+)m([\d.]+)s (\d+)m([\d.]+)s\n$/.exec(p.stderr);
  if (!m) throw new Error(`explore-queue bench: no CPU times from ${args.join(' ')}: ${p.stderr}`);
  const stdout = readFileSync(out, 'utf8');
  rmSync(out);
  return { wall, cpu: Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]), stdout };
}

const report = (stdout: string): string => stdout.replace(/^queued as exploration .*\n$/m, '');

interface Run {
  wall: number;
  /** CPU seconds: the explore command, the worker processes, redis-server. */
  cpu: { coordinator: number; workers: number; redis: number };
  stdout: string;
}
const cpuTotal = (r: Run): number => r.cpu.coordinator + r.cpu.workers + r.cpu.redis;
const perSeed = (s: number): string => `${((s / SEEDS) * 1000).toFixed(1)} ms`;

export async function run(): Promise<void> {
  if (!hasCommand('redis-server')) {
    process.stderr.write('bench: explore-queue SKIPPED: needs redis-server (scripts/debian-packages.txt)\n');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'linklab-bench-queue-'));
  // fsync once a second, as a production Redis would run (the tests fsync every write).
  const redis = await RedisServer.start(join(dir, 'redis'), { fsync: 'everysec' });
  const rows: Row[] = [];
  const ratios: Row[] = [];
  const load = loadavg()[0];
  const seeds = ['--seeds', String(SEEDS)];
  // Nearly empty seeds: 1 s of virtual time, before the router starts, so the queue's own cost per
  // job and per seed is most of what is measured.
  const cheap = ['--seeds', String(CHEAP_SEEDS), '--until', '1s'];
  const expected = new Map<string, string>();

  const local = async (threads: number, what = seeds): Promise<Run> => {
    const r = await timed(['sim', 'explore', TOPOLOGY, ...what, '--workers', String(threads)]);
    if (!expected.has(what.join(' '))) expected.set(what.join(' '), r.stdout);
    return { wall: r.wall, cpu: { coordinator: r.cpu, workers: 0, redis: 0 }, stdout: r.stdout };
  };
  /** A queued run on `n` fresh single-thread workers, started (and idle) before the clock starts. */
  const queued = async (n: number, batch: number, what = seeds): Promise<Run> => {
    const workers = Array.from({ length: n }, () => linklab(['sim', 'worker', '--queue', redis.url, '--workers', '1']));
    await Promise.all(workers.map((w) => w.waitFor(/takes batches from/)));
    const pids = workers.map((w) => w.child.pid!);
    const w0 = pids.map(cpuSeconds);
    const r0 = cpuSeconds(redis.pid);
    const r = await timed(['sim', 'explore', TOPOLOGY, ...what, '--queue', redis.url, '--batch', String(batch)]);
    const cpu = { coordinator: r.cpu, workers: pids.map(cpuSeconds).reduce((s, c, i) => s + c - w0[i], 0), redis: cpuSeconds(redis.pid) - r0 };
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    if (report(r.stdout) !== expected.get(what.join(' '))) throw new Error(`explore-queue bench: the queued report differs from the local one:\n${r.stdout}`);
    return { wall: r.wall, cpu, stdout: r.stdout };
  };

  try {
    // Every configuration once per round, round after round, so that other load on the machine
    // falls on all of them alike; the fastest of the rounds is kept.
    const configs: Array<[string, () => Promise<Run>]> = [
      ['local1', () => local(1)],
      ['local2', () => local(2)],
      ['q1', () => queued(1, BATCH)],
      ['q2', () => queued(2, BATCH)],
      ['q4', () => queued(4, BATCH)],
      ['cheap-local', () => local(1, cheap)],
      ...[1, 10, 100].map((b): [string, () => Promise<Run>] => [`cheap${b}`, () => queued(2, b, cheap)]),
    ];
    const best = new Map<string, Run>();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [key, go] of configs) {
        process.stderr.write(`bench: explore-queue round ${round}/${ROUNDS}: ${key}\n`);
        const r = await go();
        if (!best.has(key) || r.wall < best.get(key)!.wall) best.set(key, r);
      }
    }
    const b = (key: string): Run => best.get(key)!;
    const l1 = b('local1');
    const q1 = b('q1');
    rows.push({ name: `local explore, ${SEEDS} seeds of ra-lossy, 1 thread`, value: SEEDS / l1.wall, unit: 'seeds/s', note: `${perSeed(cpuTotal(l1))} CPU per seed` });
    rows.push({ name: `local explore, ${SEEDS} seeds, 2 threads`, value: SEEDS / b('local2').wall, unit: 'seeds/s' });
    for (const n of [1, 2, 4]) {
      const r = b(`q${n}`);
      rows.push({
        name: `queued explore, ${SEEDS} seeds, ${n} worker process${n === 1 ? '' : 'es'} of 1 thread, batches of ${BATCH}`,
        value: SEEDS / r.wall,
        unit: 'seeds/s',
        note: `CPU per seed: ${perSeed(r.cpu.workers)} workers, ${perSeed(r.cpu.redis)} redis-server, ${perSeed(r.cpu.coordinator)} coordinator`,
      });
    }
    rows.push({ name: 'queue overhead per seed, wall (1 worker against 1 local thread)', value: ((q1.wall - l1.wall) / SEEDS) * 1000, unit: 'ms' });
    rows.push({ name: 'queue overhead per seed, CPU of all processes (1 worker against 1 local thread)', value: ((cpuTotal(q1) - cpuTotal(l1)) / SEEDS) * 1000, unit: 'ms' });
    ratios.push({ name: 'queued (1 worker, 1 thread) over local (1 thread): wall time for the same seeds', value: q1.wall / l1.wall, unit: 'x' });
    ratios.push({ name: 'queued (1 worker) over local (1 thread): CPU for the same seeds, all processes', value: cpuTotal(q1) / cpuTotal(l1), unit: 'x' });
    ratios.push({ name: 'queued, 2 worker processes over 1: speed-up', value: q1.wall / b('q2').wall, unit: 'x', note: `${availableParallelism()} cores` });
    ratios.push({ name: 'queued, 4 worker processes over 2: speed-up', value: b('q2').wall / b('q4').wall, unit: 'x', note: 'more processes than cores: no gain is possible here' });
    ratios.push({ name: 'local, 2 threads over 1: speed-up (the machine\'s own ceiling for this work)', value: l1.wall / b('local2').wall, unit: 'x' });
    ratios.push({ name: 'queued on 2 worker processes over local on 2 threads: wall time', value: b('q2').wall / b('local2').wall, unit: 'x' });
    const cl = b('cheap-local');
    rows.push({ name: `nearly empty seeds (--until 1s), ${CHEAP_SEEDS} of them, local, 1 thread`, value: CHEAP_SEEDS / cl.wall, unit: 'seeds/s', note: `${((cpuTotal(cl) / CHEAP_SEEDS) * 1000).toFixed(2)} ms CPU per seed` });
    for (const size of [1, 10, 100]) {
      const r = b(`cheap${size}`);
      const cpu = ((cpuTotal(r) - cpuTotal(cl)) / CHEAP_SEEDS) * 1000;
      rows.push({ name: `nearly empty seeds, queued on 2 worker processes, batches of ${size}`, value: CHEAP_SEEDS / r.wall, unit: 'seeds/s', note: `the queue's CPU: ${cpu.toFixed(2)} ms per seed over the local run` });
    }

    // A small exploration: what starting one costs (connecting, queueing, workers picking up).
    const tiny = ['sim', 'explore', TOPOLOGY, '--seeds', '4'];
    const w = linklab(['sim', 'worker', '--queue', redis.url, '--workers', '1']);
    await w.waitFor(/takes batches from/);
    let tinyQueued = Infinity;
    let tinyLocal = Infinity;
    for (let i = 0; i < ROUNDS; i++) {
      tinyQueued = Math.min(tinyQueued, (await timed([...tiny, '--queue', redis.url])).wall);
      tinyLocal = Math.min(tinyLocal, (await timed([...tiny, '--workers', '1'])).wall);
    }
    w.kill('SIGTERM');
    await w.exited;
    rows.push({ name: 'an exploration of 4 seeds, local (1 thread)', value: tinyLocal, unit: 's wall' });
    rows.push({ name: 'an exploration of 4 seeds, queued (1 worker, already running)', value: tinyQueued, unit: 's wall', note: 'the fixed cost of a queued exploration is the difference' });

    // A worker killed holding a batch: how long until another worker takes the batch again.
    process.stderr.write('bench: explore-queue, a SIGKILLed worker\n');
    const pair = [linklab(['sim', 'worker', '--queue', redis.url, '--workers', '1']), linklab(['sim', 'worker', '--queue', redis.url, '--workers', '1'])];
    await Promise.all(pair.map((p) => p.waitFor(/takes batches from/)));
    const coordinator = linklab(['sim', 'explore', TOPOLOGY, '--seeds', '400', '--queue', redis.url, '--batch', String(BATCH)]);
    const id = (await coordinator.waitFor(/queued exploration ([0-9a-f]{12}) /))[1];
    const watch = redis.client();
    await watch.connect();
    await waitForSeeds(watch, id, 40);
    watch.disconnect();
    pair[0].kill('SIGKILL');
    const killed = process.hrtime.bigint();
    await pair[1].waitFor(/again: its worker stopped holding it/, 120_000);
    const retried = Number(process.hrtime.bigint() - killed) / 1e9;
    await coordinator.exited;
    pair[1].kill('SIGTERM');
    await pair[1].exited;
    rows.push({ name: "a SIGKILLed worker's batch taken again by another worker after", value: retried, unit: 's', note: 'default --lock-duration 10s; stalled jobs are looked for every 5 s' });
  } finally {
    killAll();
    await redis.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }

  save({
    name: 'explore-queue',
    title: 'Exploration on a queue (src/adapters/queue)',
    method: `${SEEDS} seeds of sim/topologies/ra-lossy.yaml (five hosts, 90 s of virtual time, tens of ms per seed), run by \`linklab sim explore\` locally and with --queue on a redis-server on 127.0.0.1 (append-only file, fsync every second) with 1, 2 and 4 \`linklab sim worker --workers 1\` processes started beforehand; wall time of the explore command, CPU from bash's \`times\` for the command and from /proc for the workers and redis-server. Each configuration runs once per round for ${ROUNDS} rounds, interleaved, and the fastest round counts. Every queued report is checked to equal the local one byte for byte. The queue's own cost: ${CHEAP_SEEDS} nearly empty seeds (--until 1s: nothing happens yet) on 2 workers in batches of 1, 10 and 100 against a local run of them; the default batch (${BATCH}) is chosen from it. Then 2 workers, one SIGKILLed while it holds a batch: the time until the other takes that batch again. The machine was shared (load average ${load.toFixed(1)} when it started, ${availableParallelism()} cores): ratios, not rates, are what to compare.`,
    rows,
    ratios,
  });
}

/**
 * `linklab sim explore --queue` and `linklab sim worker` against a real redis-server: worker
 * processes die, the coordinator is killed and resumed, Redis restarts, and the report is still
 * the one a local explore of the same seeds prints, byte for byte.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { tierAvailable } from '../helpers/tier.js';
import { ExplorationStore } from '../../src/adapters/queue/exploration.js';
import { BIN, Proc, REPO, RedisServer, freePort, killAll, linklab, linklabDone, otherVersionInstall, recordedSeeds, waitForSeeds } from './helpers.js';

const can = tierAvailable('test/queue/explore-queue.test.ts', { commands: ['redis-server'] });
const PASSWORD = 'hunter2-not-in-logs';
const TOPOLOGY = 'sim/topologies/ra-lossy.yaml';
// Seeds 101..260 of ra-lossy: three of them (125, 132, 145) fail.
const SEEDS = ['--from', '101', '--seeds', '160'];
const LOCK = ['--lock-duration', '3s'];

let dir: string;
let redis: RedisServer;
let watch: Redis;
let local: { status: number | null; stdout: string };

beforeAll(async () => {
  if (!can) return;
  dir = mkdtempSync(join(tmpdir(), 'linklab-queue-'));
  redis = await RedisServer.start(join(dir, 'redis'), { password: PASSWORD });
  watch = redis.client();
  await watch.connect();
  local = await linklabDone(['sim', 'explore', TOPOLOGY, ...SEEDS, '--workers', '2']);
});

afterAll(async () => {
  killAll();
  watch?.disconnect();
  await redis?.stop('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const worker = (extra: string[] = []): Proc => linklab(['sim', 'worker', '--queue', redis.url, '--workers', '1', ...LOCK, ...extra]);
const explorationId = async (coordinator: Proc): Promise<string> => (await coordinator.waitFor(/(?:queued|resumed) exploration ([0-9a-f]{12}) /))[1];
const queuedLine = (id: string, workers: string) => `queued as exploration ${id} on redis://:***@127.0.0.1:${redis.port}: ${workers} took part\n`;

describe.skipIf(!can)('linklab sim explore --queue', () => {
  it('records a seed once: another result for it, from a retry or another worker, is not kept or counted', async () => {
    const store = new ExplorationStore(watch, 'feedface0001');
    const outcome = { id: 3, seed: 7, passed: false, events: 120, failures: [{ index: 0, text: 'h* each have an address', why: 'h5 had none' }] };
    const kept = await Promise.all([store.record(outcome, 'w1'), store.record({ ...outcome, events: 121 }, 'w2'), store.record(outcome, 'w1')]);
    expect(kept).toEqual([true, false, false]);
    expect(await store.record({ ...outcome, id: 4, seed: 8, passed: true, failures: [] }, 'w2')).toBe(true);
    expect(await store.progress()).toEqual({ done: 2, failed: 1, tookPart: 2 });
    expect((await store.outcomes()).sort((a, b) => a.seed - b.seed)).toEqual([outcome, { ...outcome, id: 4, seed: 8, passed: true, failures: [] }]);
    expect([...(await store.recorded([6, 7, 8, 9]))]).toEqual([7, 8]);
  });

  it('gives the local report byte for byte with a worker SIGKILLed and the coordinator killed and resumed', async () => {
    expect(local.status).toBe(1);
    expect(local.stdout).toMatch(/^explored 160 seeds of ra-lossy \(sim\/topologies\/ra-lossy.yaml\): 157 passed, 3 failed\n/);
    const workers = [worker(), worker(), worker()];
    await Promise.all(workers.map((w) => w.waitFor(/takes batches from/)));
    const first = linklab(['sim', 'explore', TOPOLOGY, ...SEEDS, '--queue', redis.url, '--batch', '8']);
    const id = await explorationId(first);
    await waitForSeeds(watch, id, 30);
    workers[0].kill('SIGKILL'); // holding a batch: its lock is not renewed any more
    await waitForSeeds(watch, id, 50);
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(await recordedSeeds(watch, id)).toBeLessThan(160);

    const second = await linklabDone(['sim', 'explore', '--queue', redis.url, '--resume', id]);
    expect(second.stderr).toContain(`resumed exploration ${id} `);
    expect(second.status).toBe(1);
    const took = /: ([23] workers) took part\n$/.exec(second.stdout);
    expect(took, second.stdout).not.toBeNull();
    expect(second.stdout).toBe(local.stdout + queuedLine(id, took![1]));
    // The killed worker's batch went back to the queue and another worker finished it.
    const survivors = workers.slice(1).map((w) => w.stderr).join('');
    expect(survivors).toMatch(/batch [0-9a-f]{12}-\d+ again: its worker stopped holding it/);

    // SIGTERM: the batch in hand is finished, then exit 0.
    for (const w of workers.slice(1)) w.kill('SIGTERM');
    for (const w of workers.slice(1)) {
      expect((await w.exited).code).toBe(0);
      expect(w.stderr).toMatch(/SIGTERM: finishing the batches in hand\n(?:.*\n)*linklab sim worker: stopped\n$/);
    }
    for (const s of [first.stderr, second.stderr, ...workers.map((w) => w.stderr)]) expect(s).not.toContain(PASSWORD);
  });

  it('goes on when Redis restarts mid-run, and SIGTERM finishes the batch in hand', async () => {
    const workers = [worker(), worker()];
    await Promise.all(workers.map((w) => w.waitFor(/takes batches from/)));
    const coordinator = linklab(['sim', 'explore', TOPOLOGY, ...SEEDS, '--queue', redis.url, '--json', '--batch', '4']);
    const id = await explorationId(coordinator);
    await waitForSeeds(watch, id, 30);
    await redis.restart('SIGKILL', 1500);
    await watch.ping(); // the test's own client reconnects too
    await waitForSeeds(watch, id, 80);
    workers[1].kill('SIGTERM');
    const { code } = await coordinator.exited;
    expect(code).toBe(1);
    expect(coordinator.stderr).toMatch(/lost the connection to redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ .*; reconnecting/);
    const q = JSON.parse(coordinator.stdout) as { queue: { exploration: string; workers: number } };
    expect(q.queue.exploration).toBe(id);
    const { queue: _queue, ...report } = q;
    const localJson = await linklabDone(['sim', 'explore', TOPOLOGY, ...SEEDS, '--workers', '2', '--json']);
    expect(JSON.stringify(report) + '\n').toBe(localJson.stdout);
    expect((await workers[1].exited).code).toBe(0);
    // The batch it held when told to stop was finished by it, after the signal, and nobody ran it again.
    const after = workers[1].stderr.split('SIGTERM: finishing the batches in hand\n')[1];
    expect(after).toMatch(/^(?:linklab sim worker: ran batch [0-9a-f]{12}-\d+: .*\n)+linklab sim worker: stopped\n$/);
    for (const m of after.matchAll(/ran batch ([0-9a-f]{12}-\d+):/g)) expect(workers[0].stderr).not.toContain(`batch ${m[1]} again`);
    workers[0].kill('SIGTERM');
    expect((await workers[0].exited).code).toBe(0);
  });

  it('refuses a worker of another version, here and on the coordinator, and a worker of this version finishes the job', async () => {
    const other = otherVersionInstall(join(dir, 'other'), '0.0.0-other');
    const stranger = linklab(['sim', 'worker', '--queue', redis.url, '--workers', '1'], { bin: other });
    await stranger.waitFor(/\(linklab 0\.0\.0-other, 1 thread\) takes batches/);
    const seeds = ['--from', '121', '--seeds', '30'];
    const refused = await linklabDone(['sim', 'explore', TOPOLOGY, ...seeds, '--queue', redis.url]);
    expect(refused.status).toBe(1);
    const id = /exploration ([0-9a-f]{12}) /.exec(refused.stderr)![1];
    expect(refused.stderr).toMatch(new RegExp(`linklab: worker \\S+ refused exploration ${id}: it needs linklab 0\\.1\\.0 and this worker \\(\\S+\\) runs linklab 0\\.0\\.0-other`));
    expect(refused.stderr).toContain(`linklab: no worker of linklab 0.1.0 is there to run exploration ${id} (1 worker of another version refused it); start one and run again with --resume ${id}\n`);
    expect(stranger.stderr).toContain(`refused exploration ${id}: it needs linklab 0.1.0`);
    expect(await recordedSeeds(watch, id)).toBe(0);

    const w = worker();
    const resumed = await linklabDone(['sim', 'explore', TOPOLOGY, ...seeds, '--queue', redis.url, '--resume', id]);
    const alone = await linklabDone(['sim', 'explore', TOPOLOGY, ...seeds, '--workers', '1']);
    expect(resumed.status).toBe(1);
    expect(resumed.stdout).toBe(alone.stdout + queuedLine(id, '1 worker'));
    expect(resumed.stderr).not.toContain('exploring'); // no progress bar when stderr is not a terminal

    // On a terminal: the progress bar, with the workers connected.
    if (tierAvailable('test/queue/explore-queue.test.ts (progress bar)', { commands: ['script'] })) {
      const command = ['node', BIN, 'sim', 'explore', TOPOLOGY, '--seeds', '3', '--queue', `'${redis.url}'`].join(' ');
      const onTty = new Proc(spawn('script', ['-qec', command, '/dev/null'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] }));
      expect((await onTty.exited).code).toBe(0);
      const screen = onTty.stdout.replace(/\r/g, '\n');
      expect(screen).toMatch(/exploring \S+ 3\/3 seeds, 0 failed, [0-9.-]+ seeds\/s, workers: [12], /);
      expect(screen).toContain('explored 3 seeds of ra-lossy (sim/topologies/ra-lossy.yaml): 3 passed, 0 failed');
    }
    w.kill('SIGTERM');
    stranger.kill('SIGTERM');
    expect((await w.exited).code).toBe(0);
    expect((await stranger.exited).code).toBe(0);
  });

  it('reaches a TLS Redis by rediss:// with a private CA from NODE_EXTRA_CA_CERTS, and says when the certificate is not trusted', async () => {
    if (!tierAvailable('test/queue/explore-queue.test.ts (TLS)', { commands: ['openssl'] })) return;
    const tls = join(dir, 'tls');
    const ssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    ssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=linklab test CA']);
    ssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
    writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    ssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'san.cnf']);
    const port = await freePort();
    const files = ['--tls-cert-file', join(dir, 'server.crt'), '--tls-key-file', join(dir, 'server.key'), '--tls-ca-cert-file', join(dir, 'ca.crt')];
    const server = await RedisServer.start(tls, { port, scheme: 'rediss', password: PASSWORD, args: ['--port', '0', '--tls-port', String(port), ...files, '--tls-auth-clients', 'no'] });
    try {
      const env = { NODE_EXTRA_CA_CERTS: join(dir, 'ca.crt') };
      const seeds = ['--from', '121', '--seeds', '10'];
      const untrusted = await linklabDone(['sim', 'explore', TOPOLOGY, ...seeds, '--queue', server.url]);
      expect(untrusted.status).toBe(1);
      expect(untrusted.stderr).toMatch(/^linklab: --queue rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+: the server's TLS certificate is not trusted \(.*\); for a private CA set NODE_EXTRA_CA_CERTS=CA\.pem\n$/);
      const w = linklab(['sim', 'worker', '--queue', server.url, '--workers', '1'], { env });
      const queued = await linklabDone(['sim', 'explore', TOPOLOGY, ...seeds, '--queue', server.url], { env });
      const id = /exploration ([0-9a-f]{12}) /.exec(queued.stderr)![1];
      const alone = await linklabDone(['sim', 'explore', TOPOLOGY, ...seeds, '--workers', '1']);
      expect(queued.stdout).toBe(alone.stdout + `queued as exploration ${id} on rediss://:***@127.0.0.1:${port}: 1 worker took part\n`);
      w.kill('SIGTERM');
      expect((await w.exited).code).toBe(0);
      expect(w.stderr + queued.stderr + untrusted.stderr).not.toContain(PASSWORD);
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('writes the same --report from a queued exploration: the failing seeds, each with its run report', async () => {
    const w = worker();
    await w.waitFor(/takes batches from/);
    const html = join(dir, 'queued.html');
    const r = await linklabDone(['sim', 'explore', TOPOLOGY, '--from', '121', '--seeds', '30', '--queue', redis.url, '--report', html]);
    w.kill('SIGTERM');
    expect((await w.exited).code).toBe(0);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/: 27 passed, 3 failed\n/);
    expect(r.stderr).toContain(`wrote ${html}`);
    const page = readFileSync(html, 'utf8');
    for (const seed of [125, 132, 145]) {
      expect(page).toContain(`queued-seed-${seed}.html`);
      expect(readFileSync(join(dir, `queued-seed-${seed}.html`), 'utf8')).toMatch(/^<!doctype html>/i);
    }
    expect(existsSync(join(dir, 'queued-seed-126.html'))).toBe(false);
  });

  it('says what is wrong with an unreachable or malformed --queue, a wrong password or an unknown --resume, and exits 1', async () => {
    const gone = `redis://127.0.0.1:${redis.port + 1 === 65536 ? 1 : redis.port + 1}`;
    const cases: Array<[string[], RegExp]> = [
      [['sim', 'explore', TOPOLOGY, '--seeds', '5', '--queue', gone], /^linklab: --queue redis:\/\/127\.0\.0\.1:\d+: cannot connect: nothing listens there \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)\n$/],
      [['sim', 'worker', '--queue', gone], /^linklab: --queue redis:\/\/127\.0\.0\.1:\d+: cannot connect: nothing listens there/],
      [['sim', 'explore', TOPOLOGY, '--seeds', '5', '--queue', 'http://127.0.0.1:6379'], /^linklab: --queue "http:\/\/127\.0\.0\.1:6379": the scheme must be redis:\/\/ or rediss:\/\//],
      [['sim', 'worker', '--queue', 'redis://:s3cr3t@127.0.0.1:99999'], /^linklab: --queue "redis:\/\/:\*\*\*@127\.0\.0\.1:99999": not a URL/],
      [['sim', 'worker', '--queue', `redis://127.0.0.1:${redis.port}/zero`], /^linklab: --queue "redis:\/\/127\.0\.0\.1:\d+\/zero": the path must be a database number, such as \/0/],
      [['sim', 'worker', '--queue', `redis://:wrong-s3cr3t@127.0.0.1:${redis.port}`], /^linklab: --queue redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: the server refused the user name or password\n$/],
      [['sim', 'worker', '--queue', `redis://127.0.0.1:${redis.port}`], /^linklab: --queue redis:\/\/127\.0\.0\.1:\d+: the server wants a password/],
      [['sim', 'explore', '--queue', redis.url, '--resume', 'feedfacecafe'], /^linklab: --resume no exploration feedfacecafe on redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ /],
      [['sim', 'explore', TOPOLOGY, '--seeds', '5', '--resume', 'feedfacecafe'], /^linklab: --resume: needs --queue/],
      [['sim', 'explore', TOPOLOGY, '--seeds', '5', '--queue', redis.url, '--workers', '2'], /^linklab: --workers: with --queue, each `linklab sim worker --workers N` sets its own threads\n$/],
    ];
    const results = await Promise.all(cases.map(([args]) => linklabDone(args)));
    results.forEach((r, i) => {
      expect(r.stderr, cases[i][0].join(' ')).toMatch(cases[i][1]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/s3cr3t|hunter2/);
    });
  });
});

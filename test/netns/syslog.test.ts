/**
 * Daemons that detach (arpd, rtsold, isatapd) log to syslog (LOG_DAEMON), as the originals do.
 * Each runs in a namespace and in a private mount namespace whose /dev holds a syslog socket this
 * test listens on (a Python datagram socket, mode 0666 like journald's, since the parsing process
 * is nobody) beside the real null, tty, random and net/tun nodes; the host's /dev is never touched.
 * The lines are checked as syslog readers see them: priority, ident, pid and text.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, cleanupAll, running, sleep, until } from './harness.js';

const runs = tierAvailable('test/netns/syslog.test.ts', { root: true, commands: ['ip', 'unshare', 'mount', 'python3'] });
const REPO = join(import.meta.dirname, '..', '..');
const ENTRY = join(REPO, 'test', 'sim', 'helpers', 'cli-entry.ts');

const LISTENER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print('ready', flush=True)
out = open(sys.argv[2], 'ab', buffering=0)
while True:
    out.write(s.recv(65536).rstrip(b'\\n').replace(b'\\n', b' ') + b'\\n')
`;

const LOG_DAEMON = 3 << 3;

interface Syslog {
  dir: string;
  lines(): Array<{ priority: number; ident: string; pid: number; text: string }>;
  /** Runs `cmd` in `ns` with this syslog as its /dev/log; resolves with its exit. */
  run(ns: Netns, cmd: string[]): Promise<{ code: number | null; stderr: string }>;
  close(): void;
}

async function syslog(): Promise<Syslog> {
  const dir = mkdtempSync(join(tmpdir(), 'll-syslog-'));
  const dev = join(dir, 'dev');
  const out = join(dir, 'received');
  writeFileSync(join(dir, 'listen.py'), LISTENER);
  // The fake /dev: the socket, and the few device nodes a program needs, bound in from the real one.
  mkdirSync(dev);
  const listener: ChildProcess = spawn('python3', [join(dir, 'listen.py'), join(dev, 'log'), out], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    listener.stdout!.once('data', () => resolve());
    listener.once('exit', (code) => reject(new Error(`the syslog listener exited (${code})`)));
  });
  chmodSync(join(dev, 'log'), 0o666);
  mkdirSync(join(dev, 'net'));
  const devices = ['null', 'zero', 'random', 'urandom', 'tty', 'net/tun'];
  const script = ['set -e', ...devices.map((d) => `touch ${dev}/${d}; mount --bind /dev/${d} ${dev}/${d}`), `mount --rbind ${dev} /dev`, 'exec "$@"'].join('\n');
  return {
    dir,
    lines: () =>
      (existsSync(out) ? readFileSync(out, 'utf8') : '')
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const m = /^<(\d+)>\w{3} [ \d]\d \d\d:\d\d:\d\d (\S+?)\[(\d+)\]: (.*)$/.exec(l);
          if (!m) throw new Error(`not a syslog line: ${l}`);
          return { priority: Number(m[1]), ident: m[2], pid: Number(m[3]), text: m[4] };
        }),
    run: async (ns, cmd) => {
      const r = await ns.spawn(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', ...cmd]).exited;
      return { code: r.code, stderr: r.stderr };
    },
    close: () => {
      listener.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const linklab = (...args: string[]): string[] => [process.execPath, '--import', 'tsx', ENTRY, ...args];

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const v = await until(probe, ms, 100);
  if (v === undefined) throw new Error(`timed out waiting for ${what}`);
  return v;
}

/** The daemon in the pidfile, or the parsing process it started. */
function ofDaemon(linePid: number, daemon: number): boolean {
  return linePid === daemon || parentOf(linePid) === daemon;
}

function pidOf(file: string): number {
  return Number(readFileSync(file, 'utf8').trim());
}

function parentOf(pid: number): number {
  return Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

describe.skipIf(!runs)('daemons detached log to syslog (LOG_DAEMON)', () => {
  const logs: Syslog[] = [];
  afterEach(() => {
    cleanupAll();
    for (const l of logs.splice(0)) l.close();
  });
  afterAll(cleanupAll);
  /** A private syslog to read, and a namespace to run a daemon in. */
  const lab = async (): Promise<{ log: Syslog; ns: Netns }> => {
    const log = await syslog();
    logs.push(log);
    return { log, ns: Netns.create('lls') };
  };

  it('arpd: the start line from the daemon, the statistics on SIGUSR1 from its parser', async () => {
    const { log, ns } = await lab();
    ns.veth('a0', 'b0');
    ns.addr('a0', '192.0.2.1/24');
    const pidfile = join(log.dir, 'arpd.pid');
    const db = join(log.dir, 'arpd.db');
    const start = await log.run(ns, linklab('arpd', '--pid', pidfile, '-b', db, 'a0'));
    expect(start.code, start.stderr).toBe(0);
    const pid = pidOf(pidfile);
    const started = await waitFor('the start line', () => log.lines().find((l) => l.text.startsWith('watching a0')));
    expect(started).toMatchObject({ priority: LOG_DAEMON | 6, ident: 'arpd', pid });
    expect(started.text).toMatch(new RegExp(`^watching a0; database ${db}; parser pid \\d+ as nobody$`));
    const parser = Number(/parser pid (\d+)/.exec(started.text)![1]);
    expect(parentOf(parser)).toBe(pid);

    process.kill(pid, 'SIGUSR1');
    const stats = await waitFor('the statistics', () => {
      const s = log.lines().filter((l) => l.pid === parser);
      return s.length >= 2 ? s : undefined;
    });
    expect(stats.map((l) => [l.priority, l.ident])).toEqual([
      [LOG_DAEMON | 6, 'arpd'],
      [LOG_DAEMON | 6, 'arpd'],
    ]);
    expect(stats[0].text).toMatch(/^arp_rcv: n\d+ c\d+ app_rcv: tot \d+ hits \d+ bad \d+ neg \d+ sup \d+$/);
    expect(stats[1].text).toMatch(/^kern: n\d+ c\d+ neg \d+ arp_send: \d+ rlim \d+$/);

    process.kill(pid, 'SIGTERM');
    await waitFor('arpd to exit', () => (running(pid) ? undefined : true));
  });

  it('rtsold: -D sends its state changes and each RS to syslog at debug level; without -d nothing below notice', async () => {
    const { log, ns } = await lab();
    ns.veth('r0', 'r1');
    await ns.operUp('r0');
    const pidfile = join(log.dir, 'rtsold.pid');
    const dump = join(log.dir, 'rtsold.dump');
    const debug = await log.run(ns, linklab('rtsold', '-D', '-p', pidfile, '--dump-file', dump, 'r0'));
    expect(debug.code, debug.stderr).toBe(0);
    const pid = pidOf(pidfile);
    const rs = await waitFor('an RS line', () => log.lines().find((l) => /^send RS on r0/.test(l.text)));
    // The core runs in the parsing process, a child of the daemon in the pidfile.
    expect(rs).toMatchObject({ priority: LOG_DAEMON | 7, ident: 'rtsold' });
    expect(ofDaemon(rs.pid, pid)).toBe(true);
    expect(log.lines().some((l) => l.text.startsWith('r0: DELAY -> PROBE') && l.priority === (LOG_DAEMON | 7))).toBe(true);
    process.kill(pid, 'SIGTERM');
    await waitFor('rtsold to exit', () => (running(pid) ? undefined : true));

    // The same start without -d: the RS goes out but no debug or info line reaches syslog.
    const before = log.lines().length;
    const quiet = await log.run(ns, linklab('rtsold', '-p', pidfile, '--dump-file', dump, 'r0'));
    expect(quiet.code, quiet.stderr).toBe(0);
    const quietPid = pidOf(pidfile);
    await sleep(2500); // past the 0..1 s wait and the first RS
    process.kill(quietPid, 'SIGTERM');
    await waitFor('rtsold to exit', () => (running(quietPid) ? undefined : true));
    expect(log.lines().slice(before).filter((l) => (l.priority & 7) > 5)).toEqual([]);
  });
  it('isatapd -d -v: its start, its solicitations and its going down, the tunnel gone after SIGTERM', async () => {
    const { log, ns } = await lab();
    ns.veth('a0', 'b0');
    ns.addr('a0', '192.0.2.1/24');
    await ns.operUp('a0');
    const pidfile = join(log.dir, 'isatapd.pid');
    const start = await log.run(ns, linklab('isatapd', '-d', '-v', '-p', pidfile, '--link', 'a0', '192.0.2.2'));
    expect(start.code, start.stderr).toBe(0);
    const pid = pidOf(pidfile);
    const added = await waitFor('the router line', () => log.lines().find((l) => l.text.startsWith('Adding internal PDR 192.0.2.2')));
    expect(added.ident).toBe('isatapd');
    expect(ofDaemon(added.pid, pid)).toBe(true);
    const rs = await waitFor('a solicitation', () => log.lines().find((l) => l.text.startsWith('Soliciting fe80::5efe:c000:202')));
    expect(rs.ident).toBe('isatapd');
    expect(ofDaemon(rs.pid, pid)).toBe(true);
    expect(ns.ip('-o', 'link', 'show')).toContain('is0');

    process.kill(pid, 'SIGTERM');
    await waitFor('isatapd to exit', () => (running(pid) ? undefined : true));
    const down = log.lines().find((l) => l.text.startsWith('signal 15 received, going down.'));
    expect(down?.ident).toBe('isatapd');
    expect(log.lines().every((l) => l.priority >> 3 === 3)).toBe(true);
    expect(ns.ip('-o', 'link', 'show')).not.toContain('is0');
  });
});

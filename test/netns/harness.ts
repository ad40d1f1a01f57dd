/**
 * Network namespaces for tests. Everything a test builds lives in namespaces it created (unique
 * names `ll-<pid>-<n>`), with documentation addresses only; nothing touches the root namespace's
 * interfaces, routes or sysctls. Cleanup runs on every path: `cleanupAll()` from afterEach or
 * afterAll, and again from process exit and signal handlers; namespaces left by a test process
 * that died (its pid is gone) are removed when the next harness loads.
 *
 *   const ns = Netns.create();
 *   const [a, b] = ns.veth('a0', 'b0');          // both ends in ns (or pass another Netns)
 *   ns.ip('addr', 'add', '192.0.2.1/24', 'dev', 'a0');
 *   const p = ns.spawn(['ping', '-c1', '192.0.2.2']); await p.exited;
 *   const cap = await ns.capture('a0'); ...; const pcap = await cap.stop();
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { native } from '../../src/adapters/linux/addon.js';

const PREFIX = 'll';
let counter = 0;
const live = new Set<Netns>();

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A program running inside a namespace, its output captured. */
export class NsProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<RunResult>;
  private done = false;

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => (this.stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        this.done = true;
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr });
      });
      child.on('error', (err) => {
        this.stderr += String(err);
        this.done = true;
        resolve({ code: null, signal: null, stdout: this.stdout, stderr: this.stderr });
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return !this.done;
  }

  /** Resolves when `pattern` shows up on stdout or stderr (rejects if the program exits first or after `ms`). */
  waitFor(pattern: RegExp, ms = 10_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const m = pattern.exec(this.stdout + this.stderr);
        if (m) {
          cleanup();
          resolve(m[0]);
          return true;
        }
        return false;
      };
      const onData = (): void => void check();
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${ms} ms waiting for ${pattern}; output so far:\n${this.stdout}${this.stderr}`));
      }, ms);
      const onExit = (): void => {
        if (!check()) {
          cleanup();
          reject(new Error(`exited before ${pattern} appeared; output:\n${this.stdout}${this.stderr}`));
        }
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.child.stdout?.off('data', onData);
        this.child.stderr?.off('data', onData);
        this.child.off('close', onExit);
      };
      this.child.stdout?.on('data', onData);
      this.child.stderr?.on('data', onData);
      this.child.on('close', onExit);
      if (this.done) onExit();
      else check();
    });
  }

  /** Sends `signal` to the program's process group. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.done || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      try {
        this.child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

/** A running tcpdump; `stop()` ends it and returns the pcap bytes. */
export class Capture {
  constructor(
    readonly file: string,
    private readonly proc: NsProcess,
  ) {}

  async stop(): Promise<Uint8Array> {
    this.proc.kill('SIGINT');
    await this.proc.exited;
    return new Uint8Array(readFileSync(this.file));
  }
}

export class Netns {
  private readonly procs = new Set<NsProcess>();
  private hostsDir: string | undefined;
  deleted = false;

  private constructor(readonly name: string) {}

  /**
   * A fresh namespace with loopback up. `prefix` (default "ll") starts its name, so a test's
   * namespaces show whose they are (`lli` for isatapd's); it must start with "ll" to be reaped.
   */
  static create(prefix = PREFIX): Netns {
    if (!/^ll[a-z0-9]{0,6}$/.test(prefix)) throw new Error(`namespace prefix "${prefix}" must be "ll" and up to 6 more lowercase letters or digits`);
    const name = `${prefix}-${process.pid}-${++counter}`;
    execFileSync('ip', ['netns', 'add', name], { stdio: 'pipe' });
    const ns = new Netns(name);
    live.add(ns);
    ns.ip('link', 'set', 'lo', 'up');
    return ns;
  }

  /**
   * Two fresh namespaces joined by a veth pair, each end with its address and operationally up:
   * `a.ifname` (`a.cidr`) in the first, `b.ifname` (`b.cidr`) in the second.
   */
  static async linked(prefix: string, a: { ifname: string; cidr: string }, b: { ifname: string; cidr: string }): Promise<[Netns, Netns]> {
    const one = Netns.create(prefix);
    const two = Netns.create(prefix);
    one.veth(a.ifname, b.ifname, two);
    one.addr(a.ifname, a.cidr);
    two.addr(b.ifname, b.cidr);
    await one.operUp(a.ifname);
    await two.operUp(b.ifname);
    return [one, two];
  }

  /**
   * Pids of the programs running here; with `comm`, only those of that name, with `cmdline`, only
   * those whose command line contains it. Programs that end meanwhile are left out.
   */
  pids(filter: { comm?: string; cmdline?: string } = {}): number[] {
    return run('ip', ['netns', 'pids', this.name])
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
      .filter((pid) => {
        try {
          if (filter.comm !== undefined && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== filter.comm) return false;
          return filter.cmdline === undefined || readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(filter.cmdline);
        } catch {
          return false;
        }
      });
  }

  /** `ip -n NAME ARGS...`; throws with ip's own message on failure. */
  ip(...args: string[]): string {
    return run('ip', ['-n', this.name, ...args]);
  }

  /** Runs a command inside the namespace to completion and returns its stdout. */
  exec(cmd: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
    return run('ip', ['netns', 'exec', this.name, ...cmd], opts);
  }

  /** Starts a program inside the namespace; it is killed at cleanup if still running. */
  spawn(cmd: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: 'pipe' | 'ignore' } = {}): NsProcess {
    const child = spawn('ip', ['netns', 'exec', this.name, ...cmd], {
      stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
      detached: true, // own process group, so cleanup can kill what it starts too
    });
    const p = new NsProcess(child);
    this.procs.add(p);
    void p.exited.then(() => this.procs.delete(p));
    return p;
  }

  /** Creates a veth pair: `a` here, `b` in `peer` (default: here too). Both are brought up. */
  veth(a: string, b: string, peer: Netns = this): [string, string] {
    this.ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b, 'netns', peer.name);
    this.ip('link', 'set', a, 'up');
    peer.ip('link', 'set', b, 'up');
    return [a, b];
  }

  /** Creates a persistent TUN or TAP device (owned by root) in the namespace. */
  tuntap(name: string, mode: 'tun' | 'tap'): string {
    this.ip('tuntap', 'add', 'dev', name, 'mode', mode);
    return name;
  }

  /**
   * Resolves once `ifname` is operationally up. The kernel's link watcher brings a new link's
   * queue up to a second after `ip link set up`; frames sent before that are dropped.
   */
  async operUp(ifname: string, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    // veth reports "state UP"; TUN/TAP report "state UNKNOWN" with LOWER_UP once a program holds them.
    const up = (line: string): boolean => / state UP /.test(line) || (/ state UNKNOWN /.test(line) && /[<,]LOWER_UP[,>]/.test(line));
    while (!up(this.ip('-o', 'link', 'show', 'dev', ifname))) {
      if (Date.now() > end) throw new Error(`${ifname} in ${this.name} is not up after ${ms} ms: ${this.ip('-o', 'link', 'show', 'dev', ifname)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  addr(ifname: string, cidr: string, ...extra: string[]): void {
    this.ip('addr', 'add', cidr, 'dev', ifname, ...extra);
  }

  /** Sets a sysctl inside the namespace (net.* keys are per namespace); no sysctl(8) needed. */
  sysctl(key: string, value: string | number): void {
    this.exec(['sh', '-c', 'printf "%s\\n" "$1" > "$2"', 'sh', String(value), sysctlPath(key)]);
  }

  readSysctl(key: string): string {
    return this.exec(['cat', sysctlPath(key)]).trim();
  }

  ifindex(ifname: string): number {
    const m = /^(\d+):/.exec(this.ip('-o', 'link', 'show', 'dev', ifname));
    if (!m) throw new Error(`no interface ${ifname} in ${this.name}`);
    return Number(m[1]);
  }

  mac(ifname: string): string {
    const m = /link\/ether ([0-9a-f:]{17})/.exec(this.ip('-o', 'link', 'show', 'dev', ifname));
    if (!m) throw new Error(`${ifname} in ${this.name} has no Ethernet address`);
    return m[1];
  }

  /**
   * Gives programs started with `ip netns exec` their own /etc/hosts (ip bind-mounts
   * /etc/netns/NAME/hosts over /etc/hosts). Removed at cleanup.
   */
  hosts(text: string): void {
    this.hostsDir = join('/etc/netns', this.name);
    mkdirSync(this.hostsDir, { recursive: true });
    writeFileSync(join(this.hostsDir, 'hosts'), text);
  }

  /** Starts tcpdump on `ifname`; resolves once it is listening. */
  async capture(ifname: string, filter: string[] = []): Promise<Capture> {
    const file = join(tmpdir(), `${this.name}-${ifname}-${++counter}.pcap`);
    const p = this.spawn(['tcpdump', '-i', ifname, '-U', '-n', '-w', file, ...filter]);
    await p.waitFor(/listening on/);
    return new Capture(file, p);
  }

  /**
   * Runs `fn` with this thread inside the namespace (setns through the addon), for building
   * sockets and devices that live there; the thread returns to its own namespace afterwards.
   */
  enter<T>(fn: () => T): T {
    return native().withNetns(`/run/netns/${this.name}`, fn);
  }

  /** Kills what runs in the namespace, deletes it and its hosts file. Safe to call twice. */
  delete(): void {
    if (this.deleted) return;
    this.deleted = true;
    for (const p of this.procs) p.kill('SIGKILL');
    killNamespacePids(this.name);
    try {
      execFileSync('ip', ['netns', 'del', this.name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
    if (this.hostsDir) rmSync(this.hostsDir, { recursive: true, force: true });
    live.delete(this);
  }
}

/** /proc/sys path of a dotted key (test interfaces have no dots in their names). */
function sysctlPath(key: string): string {
  if (!/^[a-z0-9_.-]+$/i.test(key)) throw new Error(`bad sysctl key ${key}`);
  return `/proc/sys/${key.replace(/\./g, '/')}`;
}

function run(cmd: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', input: opts.input, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; status?: number };
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${e.status}): ${e.stderr?.trim() ?? String(err)}`);
  }
}

function killNamespacePids(name: string): void {
  let pids: string[] = [];
  try {
    pids = execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(/\s+/).filter(Boolean);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** Deletes every namespace this process made (and their programs and hosts files). */
export function cleanupAll(): void {
  for (const ns of [...live]) ns.delete();
}

/** Names of the namespaces this process made that still exist. */
export function liveNamespaces(): string[] {
  return [...live].map((n) => n.name);
}

/** Every namespace on the machine (`ip netns list`). */
export function listNamespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter(Boolean);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes namespaces named by this harness whose creating process is gone (a crashed run). */
export function reapStale(): string[] {
  if (process.getuid?.() !== 0 || !existsSync('/run/netns')) return [];
  const reaped: string[] = [];
  for (const name of listNamespaces()) {
    const m = new RegExp(`^${PREFIX}[a-z0-9]{0,6}-(\\d+)-\\d+$`).exec(name);
    if (!m || Number(m[1]) === process.pid || pidAlive(Number(m[1]))) continue;
    killNamespacePids(name);
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
      rmSync(join('/etc/netns', name), { recursive: true, force: true });
      reaped.push(name);
    } catch {
      // someone else got it
    }
  }
  return reaped;
}

let installed = false;

/** Installs exit and signal handlers that clean up, once per process. */
export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      cleanupAll();
      process.kill(process.pid, sig);
    });
  }
}

if (process.getuid?.() === 0) {
  installCleanupHandlers();
  reapStale();
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every `step` ms until it gives a truthy value (returned) or `ms` pass (undefined). */
export async function until<T>(probe: () => T | undefined | false, ms: number, step = 50): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) return undefined;
    await sleep(step);
  }
}

/**
 * The raw ICMPv6 sockets of the namespace `pid` lives in (/proc/PID/net/raw6): bytes waiting in
 * their receive queues, and packets the kernel dropped because a queue was full.
 */
export function rawIcmpv6(pid: number): { queued: number; drops: number } {
  let queued = 0;
  let drops = 0;
  for (const line of readFileSync(`/proc/${pid}/net/raw6`, 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 13 || !f[1].endsWith(':003A')) continue;
    queued += parseInt(f[4].split(':')[1], 16);
    drops += Number(f[f.length - 1]);
  }
  return { queued, drops };
}

/** Whether `pid` still runs (a zombie nobody has reaped yet does not count). */
export function running(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Reads a tshark field list from a capture: one array of field values per packet. */
export function tsharkFields(file: string, filter: string, fields: string[]): string[][] {
  const out = execFileSync('tshark', ['-r', file, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

/**
 * What the queue tests run: a real redis-server on 127.0.0.1 (a free port, a data directory of
 * its own), and the built linklab CLI as separate processes, as users run them. Every process
 * started here is listed, so afterAll can kill whatever a failed test left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(REPO, 'bin', 'run.js');

const started = new Set<ChildProcess>();

/** Kills every process the tests started and that is still running. */
export function killAll(): void {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  started.clear();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A process whose output is collected, and a way to wait for a line or for its exit. */
export class Proc {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcess) {
    started.add(child);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (this.stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  }

  /** Resolves with the first match of `re` in stderr; rejects if the process ends first or after `ms`. */
  async waitFor(re: RegExp, ms = 60_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = re.exec(this.stderr);
      if (m) return m;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`exited before ${re}: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no ${re} in ${ms} ms: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/** `linklab ARGS` from the built CLI (`bin` is another install's, for the version test). */
export function linklab(args: string[], o: { env?: NodeJS.ProcessEnv; bin?: string } = {}): Proc {
  if (!existsSync(join(REPO, 'dist', 'commands', 'sim', 'worker.js'))) throw new Error('the queue tests run the built CLI: npm run build first');
  return new Proc(spawn(process.execPath, [o.bin ?? BIN, ...args], { cwd: REPO, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Runs `linklab ARGS` to the end. */
export async function linklabDone(args: string[], o: { env?: NodeJS.ProcessEnv; bin?: string } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const p = linklab(args, o);
  const { code } = await p.exited;
  return { status: code, stdout: p.stdout, stderr: p.stderr };
}

export interface RedisOptions {
  password?: string;
  /** Extra redis-server arguments (TLS). */
  args?: string[];
  port?: number;
  /** fsync of the append-only file: on every write (the default here, so a SIGKILL loses nothing) or once a second. */
  fsync?: 'always' | 'everysec';
  /** The URL's scheme: rediss when the server speaks TLS. */
  scheme?: 'redis' | 'rediss';
}

/**
 * redis-server on 127.0.0.1 with an append-only file fsynced on every write, so a restart (even
 * after SIGKILL) finds everything that was acknowledged.
 */
export class RedisServer {
  private proc?: Proc;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly o: RedisOptions,
  ) {}

  static async start(dir: string, o: RedisOptions = {}): Promise<RedisServer> {
    mkdirSync(dir, { recursive: true });
    const s = new RedisServer(dir, o.port ?? (await freePort()), o);
    await s.run();
    return s;
  }

  /** redis[s]://[:password@]127.0.0.1:PORT */
  get url(): string {
    return `${this.o.scheme ?? 'redis'}://${this.o.password ? `:${this.o.password}@` : ''}127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.proc!.child.pid!;
  }

  private async run(): Promise<void> {
    const args = ['--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', this.o.fsync ?? 'always', '--protected-mode', 'yes'];
    args.push(...(this.o.args ?? ['--port', String(this.port)]));
    if (this.o.password) args.push('--requirepass', this.o.password);
    this.proc = new Proc(spawn('redis-server', args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] }));
    const deadline = Date.now() + 20_000;
    while (!/Ready to accept connections/.test(this.proc.stdout)) {
      if (this.proc.child.exitCode !== null) throw new Error(`redis-server exited: ${this.proc.stdout}${this.proc.stderr}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not start: ${this.proc.stdout}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the server (SIGKILL: no shutdown of its own) and waits until it is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.proc || this.proc.child.exitCode !== null || this.proc.child.signalCode !== null) return;
    this.proc.kill(signal);
    await this.proc.exited;
  }

  async restart(signal: NodeJS.Signals = 'SIGKILL', downMs = 1000): Promise<void> {
    await this.stop(signal);
    await new Promise((r) => setTimeout(r, downMs));
    await this.run();
  }

  /** A client of the test's own, to watch the exploration's records. */
  client(): Redis {
    const r = new Redis({ host: '127.0.0.1', port: this.port, password: this.o.password, lazyConnect: true, maxRetriesPerRequest: null, ...(this.o.scheme === 'rediss' ? { tls: {} } : {}) });
    r.on('error', () => {});
    return r;
  }
}

/** How many seeds of exploration `id` are recorded (its own records, as the coordinator counts them). */
export async function recordedSeeds(redis: Redis, id: string): Promise<number> {
  return redis.hlen(`linklab:exploration:{${id}}:results`);
}

/** Polls until `id` has at least `n` seeds recorded. */
export async function waitForSeeds(redis: Redis, id: string, n: number, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await recordedSeeds(redis, id)) < n) {
    if (Date.now() > deadline) throw new Error(`fewer than ${n} seeds of ${id} recorded after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Another install of linklab: the same built code under a package.json of another version, as a
 * machine with an older or newer release has it.
 */
export function otherVersionInstall(dir: string, version: string): string {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, version }, null, 2));
  writeFileSync(join(dir, 'bin', 'run.js'), readFileSync(BIN));
  symlinkSync(join(REPO, 'dist'), join(dir, 'dist'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  return join(dir, 'bin', 'run.js');
}

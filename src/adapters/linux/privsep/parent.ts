/**
 * The privileged half of a daemon. It opens the devices and sockets the daemon needs, starts the
 * daemon's core in a child process running as `--user` (default nobody: setgroups, setgid,
 * setuid before the child's first instruction), hands the descriptors over the channel, and then
 * serves the child's requests for kernel changes (sysctls, neighbours, addresses, routes, links,
 * TUN devices, scripts), each checked against the daemon's policy. Signals sent to the parent (the
 * pid in the pidfile) are passed on to the child; when the child ends, the parent restores the
 * sysctls and reports how it ended.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Log } from '../../../core/ports.js';
import { Handlers } from '../../../core/handlers.js';
import { native } from '../addon.js';
import { NetlinkInterfaceControl } from '../interface-control.js';
import { ARPHRD_ETHER, parseSockaddrLl } from '../sockaddr.js';
import { LinuxScriptRunner, type ScriptRunnerOptions } from '../script-runner.js';
import type { LinuxSysctl } from '../sysctl.js';
import { Channel, type Envelope, type Json } from './channel.js';
import { checkPolicy, Denied, parseRequest, type PrivsepPolicy, type Request } from './protocol.js';
import { descJson, openResource, type ResourceDesc, type ResourceRequest } from './resources.js';
import { lookupUser, type Account } from './users.js';

export interface PrivsepOptions {
  /** The account the child runs as (name or uid); default "nobody". */
  user?: string;
  /** Absolute path of the module the child runs; it exports `main(ctx: ChildContext)`. */
  childModule: string;
  /** Passed to the child as ctx.config (JSON). */
  config?: Json;
  resources: ResourceRequest[];
  policy: PrivsepPolicy;
  /** The privileged sysctl port (with its journal); restored when the child ends. */
  sysctl: LinuxSysctl;
  log?: Log;
  /** The child's stdout and stderr (default: the parent's). */
  stdio?: 'inherit' | 'ignore';
  /** How long the child may take to say it is ready (default 30 s). */
  readyTimeoutMs?: number;
  /** How the child's scripts are run (their output, the safe-file check); default: as LinuxScriptRunner's. */
  scripts?: ScriptRunnerOptions;
  /**
   * Daemon-specific services by operation name (`store.write`...): the request's arguments, and
   * the reply to send (an error text, or a result, with descriptors handed to the child, which
   * this process then closes). Each service checks its own arguments.
   */
  services?: Record<string, PrivsepService>;
}

export type PrivsepService = (args: Record<string, Json | undefined>, reply: (error?: string, result?: Json, fds?: number[]) => void) => void;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'];

/** Node arguments that let the child run the same sources this process runs (tsx under src/). */
function childEntry(): { args: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx');
    return { args: ['--import', tsx, fileURLToPath(new URL('./child-main.ts', import.meta.url))] };
  }
  return { args: [fileURLToPath(new URL('./child-main.js', import.meta.url))] };
}

export class PrivsepParent {
  readonly exited: Promise<ChildExit>;
  readonly account: Account;
  private readonly created = new Set<string>();
  private readonly control = new NetlinkInterfaceControl();
  private readonly scripts: LinuxScriptRunner;
  private readonly channel: Channel;
  private readonly forwarders = new Map<NodeJS.Signals, () => void>();
  /** Requests refused, with the reason (also sent back to the child). */
  readonly denied: string[] = [];

  private constructor(
    private readonly opts: PrivsepOptions,
    readonly child: ChildProcess,
    channelFd: number,
    account: Account,
  ) {
    this.account = account;
    this.scripts = new LinuxScriptRunner(opts.scripts);
    this.channel = new Channel(channelFd);
    this.channel.onMessage((e) => this.onMessage(e));
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.shutdown();
        resolve({ code, signal });
      });
    });
    for (const sig of FORWARDED) {
      const f = (): void => {
        if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, sig);
      };
      this.forwarders.set(sig, f);
      process.on(sig, f);
    }
  }

  /** Opens the resources, starts the child and resolves once it reports ready. */
  static async start(opts: PrivsepOptions): Promise<PrivsepParent> {
    const account = lookupUser(opts.user ?? 'nobody');
    const opened: Array<{ desc: ResourceDesc; fds: number[] }> = [];
    const [mine, theirs] = Channel.pair();
    let parent: PrivsepParent;
    try {
      for (const r of opts.resources) opened.push(openResource(r));
      const child = spawn(process.execPath, childEntry().args, {
        uid: account.uid,
        gid: account.gid,
        cwd: '/',
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LINKLAB_PRIVSEP_FD: '3' },
        stdio: ['ignore', opts.stdio ?? 'inherit', opts.stdio ?? 'inherit', theirs],
      });
      parent = new PrivsepParent(opts, child, mine, account);
    } catch (err) {
      for (const o of opened) for (const fd of o.fds) native().close(fd);
      native().close(mine);
      native().close(theirs);
      throw err;
    }
    native().close(theirs);
    const fds = opened.flatMap((o) => o.fds);
    parent.channel.send({ t: 'init', module: pathToFileURL(opts.childModule).href, config: opts.config ?? null, resources: opened.map((o) => descJson(o.desc)) }, fds);
    for (const fd of fds) native().close(fd); // the child has its own copies now
    await parent.waitReady(opts.readyTimeoutMs ?? 30_000);
    return parent;
  }

  private readonly readyWaiters = new Handlers<Error | undefined>();
  private isReady = false;

  private waitReady(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`the unprivileged child did not start within ${ms} ms`)), ms);
      const done = (err?: Error): void => {
        clearTimeout(timer);
        if (err) {
          this.kill('SIGKILL');
          reject(err);
        } else resolve();
      };
      this.readyWaiters.add(done);
      void this.exited.then((e) => done(new Error(`the unprivileged child exited during start-up (${e.signal ?? `exit ${e.code}`})${this.startError ? `: ${this.startError}` : ''}`)));
    });
  }

  private startError: string | undefined;

  /** The child's pid (the process that parses network input). */
  get childPid(): number {
    return this.child.pid ?? -1;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined) process.kill(this.child.pid, signal);
  }

  private onMessage(e: Envelope): void {
    for (const fd of e.fds) native().close(fd); // the child never sends descriptors
    const m = e.message;
    if (m.t === 'ready') {
      this.isReady = true;
      this.readyWaiters.drain(undefined);
      return;
    }
    if (m.t === 'fatal') {
      this.startError = String(m.error);
      return;
    }
    if (m.t !== 'req' || typeof m.id !== 'number') return;
    const id = m.id;
    const args = (m.args ?? {}) as Record<string, Json | undefined>;
    const services = this.opts.services;
    const service = typeof args.op === 'string' && services && Object.hasOwn(services, args.op) ? services[args.op] : undefined;
    if (service) {
      const reply = (error?: string, result?: Json, fds: number[] = []): void => {
        this.channel.send(error ? { t: 'reply', id, ok: false, error } : { t: 'reply', id, ok: true, result: result ?? null }, error ? [] : fds);
        for (const fd of fds) native().close(fd); // the child has its own copies now
      };
      try {
        service(args, reply);
      } catch (err) {
        reply(`bad request: ${(err as Error).message}`);
      }
      return;
    }
    let r: Request;
    try {
      r = parseRequest((m.args ?? {}) as Record<string, Json | undefined>);
      checkPolicy(r, this.opts.policy, (i) => native().ifIndexToName(i), this.created);
    } catch (err) {
      const error = err instanceof Denied ? err.message : `bad request: ${(err as Error).message}`;
      this.denied.push(error);
      this.opts.log?.emit({ level: 'warning', event: 'privsep.denied', msg: `refused a request from the unprivileged child: ${error}` });
      this.channel.send({ t: 'reply', id, ok: false, error });
      return;
    }
    this.apply(r, (error, result, fds) => this.channel.send(error ? { t: 'reply', id, ok: false, error } : { t: 'reply', id, ok: true, result: result ?? null }, fds ?? []));
  }

  private apply(r: Request, reply: (error?: string, result?: Json, fds?: number[]) => void): void {
    const c = this.control;
    switch (r.op) {
      case 'sysctl.write':
        try {
          this.opts.sysctl.write(r.key, r.value);
          return reply();
        } catch (err) {
          return reply((err as Error).message);
        }
      case 'sysctl.restore':
        this.opts.sysctl.restore();
        return reply();
      case 'neigh.install':
        return c.installNeighbor(r, reply);
      case 'neigh.remove':
        return c.removeNeighbor(r.ifindex, r.ip, reply);
      case 'link.set':
        return c.setLink(r.ifname, r, reply);
      case 'ipv6.set':
        return c.setIpv6Params(r.ifname, r, reply);
      case 'link.delete':
        return c.deleteLink(r.ifname, (error) => {
          if (!error) this.created.delete(r.ifname);
          reply(error);
        });
      case 'tun.create':
        return c.openTun(r.ifname, r.mtu, (dev, error) => {
          if (!dev) return reply(error);
          this.created.add(dev.name);
          reply(undefined, { ifname: dev.name, ifindex: dev.ifindex }, [dev.fd]);
          native().close(dev.fd);
        });
      case 'frames.open':
        return this.openFrames(r.ifname, reply);
      case 'addr.add':
        return c.addAddress(r, reply);
      case 'addr.remove':
        return c.removeAddress(r, reply);
      case 'route.add':
        return c.addRoute(r, reply);
      case 'route.remove':
        return c.removeRoute(r, reply);
      case 'script.run':
        return this.scripts.run(r, (exitCode, error) => reply(undefined, { exitCode, error: error ?? null }));
    }
  }

  /** A frame socket on an interface that appeared after start; only an Ethernet one (ARPHRD_ETHER). */
  private openFrames(ifname: string, reply: (error?: string, result?: Json, fds?: number[]) => void): void {
    const spec = this.opts.policy.allInterfaces!.frames;
    let opened: ReturnType<typeof openResource>;
    try {
      opened = openResource({ kind: 'frames', name: `frames:${ifname}`, ifname, ...spec });
    } catch (err) {
      return reply((err as Error).message);
    }
    const [fd] = opened.fds;
    const ll = parseSockaddrLl(native().getsockname(fd));
    if (ll?.hatype !== ARPHRD_ETHER || ll.halen !== 6) {
      native().close(fd);
      return reply(`${ifname} is not an Ethernet interface (hardware type ${ll?.hatype})`);
    }
    reply(undefined, descJson(opened.desc), [fd]);
    native().close(fd); // the child has its own copy now
  }

  private shutdown(): void {
    for (const [sig, f] of this.forwarders) process.off(sig, f);
    this.forwarders.clear();
    this.opts.sysctl.restore();
    this.channel.close();
    this.control.close();
    if (!this.isReady) this.readyWaiters.drain(new Error('the unprivileged child ended before it was ready'));
  }
}

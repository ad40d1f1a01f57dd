/**
 * The unprivileged half: it receives its ports from the privileged parent and asks it for every
 * kernel change. `ChildContext` is what a daemon's child module gets: its ports by name, an
 * InterfaceControl, a NeighborWriter, a SysctlPort (reads are local; writes and restore go to the
 * parent), a ScriptRunner and a FrameOpener, all speaking the channel protocol.
 */
import type { AddressRequest, FrameOpener, InterfaceControl, Ipv6Params, NeighborState, RouteRequest, ScriptRun, ScriptRunner, SysctlPort, TunPort } from '../../../core/ports.js';
import type { Ipv4Address } from '../../../core/wire/ipv4-address.js';
import type { MacAddress } from '../../../core/wire/mac-address.js';
import type { NeighborWriter } from '../interface-control.js';
import { native } from '../addon.js';
import { LinuxSysctl } from '../sysctl.js';
import { LinuxTunPort } from '../tun.js';
import { Channel, type Json } from './channel.js';
import { wrapResource, type Port, type ResourceDesc } from './resources.js';
import type { LinuxFramePort } from '../frame-port.js';
import type { LinuxIcmpv6Port } from '../icmpv6-port.js';
import type { LinuxIp6in4Port } from '../ip6in4-port.js';
import type { LinuxTapPort } from '../tun.js';
import type { LinuxRouterProber } from '../router-prober.js';

type Done = (error?: string) => void;
type Reply = { ok: boolean; error?: string; result?: Json; fds: number[] };

export class PrivsepClient implements InterfaceControl, NeighborWriter, SysctlPort, ScriptRunner, FrameOpener {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: Reply) => void>();
  private readonly local = new LinuxSysctl();
  /** Requests the parent refused or failed, for logs and tests. */
  readonly errors: string[] = [];

  constructor(private readonly channel: Channel) {}

  /** Routes the parent's replies; called by the child's message loop. */
  deliver(m: Record<string, Json | undefined>, fds: number[]): void {
    const id = m.id as number;
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    w({ ok: m.ok === true, error: typeof m.error === 'string' ? m.error : undefined, result: m.result as Json, fds });
  }

  /** Sends one request; `done` gets the parent's answer. */
  request(args: Record<string, Json | undefined>, done: (r: Reply) => void): void {
    const id = this.nextId++;
    this.waiting.set(id, (r) => {
      if (!r.ok && r.error) this.errors.push(r.error);
      done(r);
    });
    this.channel.send({ t: 'req', id, args });
  }

  private simple(args: Record<string, Json | undefined>, done?: Done): void {
    this.request(args, (r) => done?.(r.ok ? undefined : r.error));
  }

  // SysctlPort: reading /proc/sys needs no privilege; changing it does.
  read(key: string): string | null {
    return this.local.read(key);
  }

  write(key: string, value: string, done?: Done): void {
    this.simple({ op: 'sysctl.write', key, value }, done);
  }

  restore(done?: Done): void {
    this.simple({ op: 'sysctl.restore' }, done);
  }

  // NeighborWriter
  installNeighbor(e: { ifindex: number; ip: Ipv4Address; mac: MacAddress; state: NeighborState }, done?: Done): void {
    this.simple({ op: 'neigh.install', ifindex: e.ifindex, ip: String(e.ip), mac: String(e.mac), state: e.state }, done);
  }

  removeNeighbor(ifindex: number, ip: Ipv4Address, done?: Done): void {
    this.simple({ op: 'neigh.remove', ifindex, ip: String(ip) }, done);
  }

  // InterfaceControl
  createTun(ifname: string, mtu: number, done: (tun: TunPort | null, error?: string) => void): void {
    this.request({ op: 'tun.create', ifname, mtu }, (r) => {
      const info = r.result as { ifname: string; ifindex: number } | null;
      if (!r.ok || !info || r.fds.length !== 1) return done(null, r.error ?? 'no TUN device came back');
      done(new LinuxTunPort(r.fds[0], info.ifindex, info.ifname));
    });
  }

  // FrameOpener: a frame socket on an interface that appeared after start (policy.allInterfaces).
  open(ifname: string, done: (port: LinuxFramePort | null, error?: string) => void): void {
    this.request({ op: 'frames.open', ifname }, (r) => {
      const desc = r.result as ResourceDesc | null;
      if (!r.ok || desc?.kind !== 'frames' || r.fds.length !== 1) {
        for (const fd of r.fds) native().close(fd);
        return done(null, r.error ?? 'no frame socket came back');
      }
      done(wrapResource(desc, r.fds) as LinuxFramePort);
    });
  }

  setLink(ifname: string, change: { up?: boolean; mtu?: number }, done?: Done): void {
    this.simple({ op: 'link.set', ifname, ...change }, done);
  }

  deleteLink(ifname: string, done?: Done): void {
    this.simple({ op: 'link.delete', ifname }, done);
  }

  setIpv6Params(ifname: string, p: Ipv6Params, done?: Done): void {
    this.simple({ op: 'ipv6.set', ifname, ...p }, done);
  }

  addAddress(a: AddressRequest, done?: Done): void {
    this.simple({ op: 'addr.add', ifname: a.ifname, address: String(a.address), prefixLength: a.prefixLength, validLifetime: a.validLifetime, preferredLifetime: a.preferredLifetime }, done);
  }

  removeAddress(a: Pick<AddressRequest, 'ifname' | 'address' | 'prefixLength'>, done?: Done): void {
    this.simple({ op: 'addr.remove', ifname: a.ifname, address: String(a.address), prefixLength: a.prefixLength }, done);
  }

  addRoute(r: RouteRequest, done?: Done): void {
    this.simple({ op: 'route.add', ifname: r.ifname, prefix: String(r.prefix), prefixLength: r.prefixLength, via: r.via && String(r.via), lifetime: r.lifetime }, done);
  }

  removeRoute(r: Omit<RouteRequest, 'lifetime'>, done?: Done): void {
    this.simple({ op: 'route.remove', ifname: r.ifname, prefix: String(r.prefix), prefixLength: r.prefixLength, via: r.via && String(r.via) }, done);
  }

  // ScriptRunner: scripts run as root on the privileged side (resolvconf writes /etc).
  run(s: ScriptRun, done?: (exitCode: number | null, error?: string) => void): void {
    this.request({ op: 'script.run', path: s.path, args: s.args, stdin: s.stdin }, (r) => {
      if (!r.ok) return done?.(null, r.error);
      const res = r.result as { exitCode: number | null; error: string | null };
      done?.(res.exitCode, res.error ?? undefined);
    });
  }
}

export interface ChildContext {
  config: Json;
  /** The parent's client: InterfaceControl, NeighborWriter, SysctlPort and ScriptRunner in one. */
  parent: PrivsepClient;
  frames(name: string): LinuxFramePort;
  icmpv6(name: string): LinuxIcmpv6Port;
  ip6in4(name: string): LinuxIp6in4Port;
  tun(name: string): LinuxTunPort;
  tap(name: string): LinuxTapPort;
  routerProbe(name: string): LinuxRouterProber;
  /** Tells the parent that start-up is done (it then reports the daemon as running). */
  ready(): void;
  /** Called when the parent is gone (its end of the channel closed). */
  onParentGone(handler: () => void): void;
}

/** Connects to the parent on `fd` and resolves with the context once the resources arrived. */
export function connect(fd: number): Promise<{ ctx: ChildContext; module: string; fail: (error: string) => void }> {
  const channel = new Channel(fd);
  const client = new PrivsepClient(channel);
  let gone: () => void = () => process.exit(1);
  channel.onClose(() => gone());
  return new Promise((resolve) => {
    channel.onMessage(({ message: m, fds }) => {
      if (m.t === 'reply') return client.deliver(m, fds);
      if (m.t !== 'init') return;
      const ports = new Map<string, Port>();
      let next = 0;
      for (const d of m.resources as unknown as ResourceDesc[]) {
        ports.set(d.name, wrapResource(d, fds.slice(next, next + d.fds)));
        next += d.fds;
      }
      const get = <T extends Port>(name: string): T => {
        const p = ports.get(name);
        if (!p) throw new Error(`no resource named ${name} was opened for this daemon`);
        return p as T;
      };
      const ctx: ChildContext = {
        config: m.config as Json,
        parent: client,
        frames: (n) => get(n),
        icmpv6: (n) => get(n),
        ip6in4: (n) => get(n),
        tun: (n) => get(n),
        tap: (n) => get(n),
        routerProbe: (n) => get(n),
        ready: () => channel.send({ t: 'ready' }),
        onParentGone: (h) => (gone = h),
      };
      resolve({ ctx, module: m.module as string, fail: (error) => channel.send({ t: 'fatal', error }) });
    });
  });
}

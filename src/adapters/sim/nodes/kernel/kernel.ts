/**
 * The Linux kernel model of one simulated machine, across its boots: configuration, counters and
 * disk outlive a crash; everything else lives in the current boot's Stack. Hosts, routers and
 * daemon nodes all run on one of these.
 */
import type { Random } from '../../../../core/ports.js';
import type { NodeContext, NodeEvent } from '../../node.js';
import { parseIpv4, parseIpv6, parseCount, parseSeconds, type HostConfig, ConfigError } from './config.js';
import { KernelCounters } from './counters.js';
import { Stack, type StackOptions } from './stack.js';
import { addressesView, interfaceInfo, neighborsView, routesView } from './info.js';
import { Disk, hostPorts, neighborOverrun, type HostPorts } from './ports/index.js';
import { SimScriptRunner } from './ports/script-runner.js';
import { toHex } from '../../../../core/wire/bytes.js';

export class Kernel {
  readonly counters = new KernelCounters();
  readonly disk = new Disk();
  boots = 0;
  private stack: Stack | undefined;

  constructor(
    readonly ctx: NodeContext,
    readonly config: HostConfig,
    readonly options: StackOptions = {},
  ) {}

  /** A fresh boot: new interfaces state, sysctls from the config, no neighbours, no addresses. */
  boot(): Stack {
    this.stack?.crash();
    const s = new Stack(this.ctx, this.config, this.counters, this.options);
    this.stack = s;
    this.boots++;
    s.start();
    return s;
  }

  crash(): void {
    this.stack?.crash();
    this.stack = undefined;
  }

  /** The running boot; throws when the machine is down. */
  get current(): Stack {
    if (!this.stack) throw new Error(`${this.ctx.name} is not running`);
    return this.stack;
  }

  get running(): boolean {
    return this.stack !== undefined;
  }

  /** The ports a program on this boot gets; `random` is the program's own stream. */
  ports(random: Random): HostPorts {
    return hostPorts(this.current, this.disk, random, this.ctx.resolver);
  }

  /**
   * Timed events aimed at the machine: `ping` {to, iface?, count?, interval?, timeout?, size?},
   * `talk` {to: [...], count?, interval?}, `sysctl` {key, value}, `neigh-overrun`, `garp` {iface?}
   * (a gratuitous ARP, as `arping -U` sends). Returns false
   * for an action it does not know.
   */
  handle(e: NodeEvent): boolean {
    const s = this.stack;
    const field = (f: string): string => `${this.ctx.name}: event ${e.action}: ${f}`;
    const wrap = <T>(f: () => T): T => {
      try {
        return f();
      } catch (err) {
        if (err instanceof ConfigError) throw new Error(field(err.message.replace(/^config\./, '')));
        throw err;
      }
    };
    switch (e.action) {
      case 'ping': {
        const cfg = wrap(() => ({
          to: parseIpv6(e.to, 'to'),
          iface: typeof e.iface === 'string' ? e.iface : undefined,
          start: 0,
          interval: parseSeconds(e.interval, 'interval', 1, 0.001),
          count: parseCount(e.count, 'count', 1),
          timeout: parseSeconds(e.timeout, 'timeout', 1, 0.001),
          size: parseCount(e.size, 'size', 56),
        }));
        s?.traffic.ping(cfg);
        return true;
      }
      case 'talk': {
        const to = Array.isArray(e.to) ? e.to : [e.to];
        const cfg = wrap(() => ({
          to: to.map((t, i) => parseIpv4(t, `to[${i}]`)),
          start: 0,
          interval: parseSeconds(e.interval, 'interval', 1, 0.001),
          count: parseCount(e.count, 'count', 1),
        }));
        s?.traffic.talk(cfg);
        return true;
      }
      case 'sysctl': {
        if (typeof e.key !== 'string' || (typeof e.value !== 'string' && typeof e.value !== 'number')) {
          throw new Error(field('needs key (text) and value'));
        }
        s?.sysctl.set(e.key, String(e.value));
        return true;
      }
      case 'neigh-overrun':
        if (s) neighborOverrun(s);
        return true;
      case 'garp': {
        // arping -U: a gratuitous ARP for the interface's addresses.
        if (e.iface !== undefined && typeof e.iface !== 'string') throw new Error(field('iface must be an interface name'));
        if (!s) return true;
        const nifs = e.iface === undefined ? s.ifs : [s.byName(e.iface)];
        if (nifs[0] === undefined) throw new Error(field(`the host has no interface "${String(e.iface)}"`));
        for (const nif of nifs) if (nif && nif.ipv4.length > 0 && nif.up) s.arp.announce(nif);
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * Views for expectations: `addresses`, `neighbors` (ARP), `neighbors6`, `routes`,
   * `interfaces`, `sysctl` ({key}), `counters`, `scripts`, `store` ({path}).
   * Returns undefined for a name it does not know.
   */
  query(what: string, args: Record<string, unknown> = {}): unknown {
    const s = this.stack;
    switch (what) {
      case 'running':
        return this.running;
      case 'counters':
        return { ...this.counters.toJSON(), framesIn: this.framesIn() };
      case 'store': {
        const path = String(args.path ?? '');
        const f = this.disk.file(path);
        return [...f.keys()].sort().map((k) => ({ key: k, value: toHex(f.get(k)!) }));
      }
    }
    if (!s) return what === 'addresses' || what === 'neighbors' || what === 'neighbors6' || what === 'routes' || what === 'interfaces' || what === 'scripts' ? [] : undefined;
    switch (what) {
      case 'addresses':
        return addressesView(s);
      case 'neighbors':
        return neighborsView(s, 'ipv4');
      case 'neighbors6':
        return neighborsView(s, 'ipv6');
      case 'routes':
        return routesView(s);
      case 'interfaces':
        return s.ifs.map((n) => interfaceInfo(s, n));
      case 'sysctl':
        return typeof args.key === 'string' ? s.sysctl.get(args.key) : Object.fromEntries(s.sysctl.entries());
      case 'scripts':
        return SimScriptRunner.runs.get(s) ?? [];
      default:
        return undefined;
    }
  }

  /** Frames received, those the fast ARP check let go included. */
  framesIn(): number {
    let n = this.counters.framesIn;
    if (this.stack) for (const nif of this.stack.ifs) n += nif.rx.ignored;
    return n;
  }

  summary(): Record<string, unknown> {
    const s = this.stack;
    const c = this.counters;
    const out: Record<string, unknown> = {
      boots: this.boots,
      running: this.running,
      framesIn: this.framesIn(),
      framesOut: c.framesOut,
      malformed: c.totalMalformed,
      ndInvalid: Object.values(c.ndInvalid).reduce((a, b) => a + b, 0),
      rsSent: c.rsSent,
      raAccepted: c.raAccepted,
      pings: { sent: c.pingsSent, answered: c.pingsAnswered, lost: c.pingsLost },
    };
    if (s) {
      out.addresses = s.ifs.flatMap((n) => n.ipv6.filter((a) => !a.tentative && !a.dadFailed && !a.address.isLoopback).map((a) => `${n.name} ${a.address}/${a.prefixLength}`));
      out.defaultRouters = s.routers.routers.length;
    }
    return out;
  }
}

export { ConfigError };

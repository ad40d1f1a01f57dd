/**
 * An isatapd core on fake ports with a manual clock: a resolver answering from a table, an
 * interface port with one IPv4 link, InterfaceControl recording what the core asks, a TUN device
 * and a protocol-41 socket recording what the data plane sends. The real userspace data plane
 * (UserspaceTunnelFactory) sits between them, so RSs and RAs travel as protocol-41 datagrams.
 */
import { Handlers } from '../../../src/core/handlers.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { FakeInterfaces, MemoryLog, seededRandom } from '../../helpers/fake-ports.js';
import type { AddressRequest, Icmpv6Received, InterfaceControl, InterfaceInfo, Ip6in4Datagram, Ip6in4Port, Resolver, RouteRequest, TunPort, Unsubscribe } from '../../../src/core/ports.js';
import { Isatapd } from '../../../src/core/isatapd/isatapd.js';
import { defaultConfig, type IsatapdConfig } from '../../../src/core/isatapd/config.js';
import { UserspaceTunnelFactory } from '../../../src/core/isatapd/dataplane/factory.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';
import * as icmpv6 from '../../../src/core/wire/icmpv6.js';
import * as ipv6 from '../../../src/core/wire/ipv6.js';
import type { RouterAdvertInput } from '../../../src/core/wire/ndisc/router-advert.js';
import { isatapAddress } from '../../../src/core/wire/isatap.js';

export const LL = new Ipv6Address(0xfe80_0000, 0, 0, 0);
export const CLIENT = Ipv4Address.parse('192.0.2.2');
export const R1 = Ipv4Address.parse('192.0.2.1');
/** A "global" router address (outside isatapd's private list): it gets two link-local entries. */
export const R2 = Ipv4Address.parse('100.64.0.1');

export function ll(v4: Ipv4Address, global = false): Ipv6Address {
  return isatapAddress(LL, v4, global);
}

export function wan(ifindex = 2, v4 = CLIENT): InterfaceInfo {
  return { ifindex, name: 'wan', mtu: 1500, up: true, running: true, loopback: false, pointToPoint: false, multicast: true, ipv4: [{ address: v4, prefixLength: 24 }], ipv6: [] };
}

export class TableResolver implements Resolver {
  readonly lookups: string[] = [];
  constructor(
    public table: Map<string, Ipv4Address[]>,
    private readonly clock: ManualClock,
  ) {}
  resolve4(name: string, done: (addresses: Ipv4Address[], error?: string) => void): void {
    this.lookups.push(name);
    const a = this.table.get(name) ?? [];
    this.clock.at(this.clock.now(), () => done(a, a.length ? undefined : 'Name or service not known'));
  }
}

export class FakeTun implements TunPort {
  readonly written: Uint8Array[] = [];
  closed = false;
  private readonly handlers = new Handlers<Uint8Array>();
  constructor(
    readonly ifname: string,
    readonly ifindex: number,
  ) {}
  send(packet: Uint8Array): void {
    this.written.push(packet);
  }
  onPacket(handler: (packet: Uint8Array) => void): Unsubscribe {
    return this.handlers.add(handler);
  }
  /** The kernel routes a packet into the tunnel. */
  inject(p: Uint8Array): void {
    this.handlers.emit(p);
  }
  close(): void {
    this.closed = true;
  }
}

export class FakeP41 implements Ip6in4Port {
  readonly sent: Array<{ src?: Ipv4Address; dst: Ipv4Address; ttl?: number; dontFragment?: boolean; payload: Uint8Array; at: number }> = [];
  private readonly handlers = new Handlers<Ip6in4Datagram>();
  constructor(private readonly now: () => number) {}
  send(d: { src?: Ipv4Address; dst: Ipv4Address; ttl?: number; dontFragment?: boolean; payload: Uint8Array }): void {
    this.sent.push({ ...d, at: this.now() });
  }
  onDatagram(handler: (d: Ip6in4Datagram) => void): Unsubscribe {
    return this.handlers.add(handler);
  }
  deliver(d: Ip6in4Datagram): void {
    this.handlers.emit(d);
  }
  close(): void {}
  /** The RSs sent, decoded: to which IPv4 and link-local address, when. */
  solicitations(): Array<{ to: string; ll: string; at: number; hopLimit: number; src: string }> {
    return this.sent
      .map((s) => ({ s, p: ipv6.decode(s.payload) }))
      .filter(({ p }) => p.protocol === ipv6.NH_ICMPV6 && p.payload[0] === 133)
      .map(({ s, p }) => ({ to: s.dst.toString(), ll: p.dst.toString(), at: s.at, hopLimit: p.hopLimit, src: p.src.toString() }));
  }
}

export class RecordingControl implements InterfaceControl {
  readonly tuns: FakeTun[] = [];
  readonly calls: string[] = [];
  readonly addresses = new Map<string, AddressRequest>();
  readonly routes = new Map<string, RouteRequest>();
  failTun: string | undefined;
  private nextIndex = 10;
  constructor(private readonly clock: ManualClock) {}
  private later(f: () => void): void {
    this.clock.at(this.clock.now(), f);
  }
  createTun(ifname: string, mtu: number, done: (tun: TunPort | null, error?: string) => void): void {
    this.calls.push(`tun ${ifname} mtu ${mtu}`);
    this.later(() => {
      if (this.failTun) return done(null, this.failTun);
      const t = new FakeTun(ifname, this.nextIndex++);
      this.tuns.push(t);
      done(t);
    });
  }
  deleteLink(ifname: string, done?: (error?: string) => void): void {
    this.calls.push(`del ${ifname}`);
    this.later(() => done?.());
  }
  addAddress(a: AddressRequest, done?: (error?: string) => void): void {
    this.calls.push(`addr ${a.address}/${a.prefixLength} valid ${a.validLifetime ?? 'forever'} preferred ${a.preferredLifetime ?? 'forever'}`);
    this.addresses.set(a.address.toString(), a);
    this.later(() => done?.());
  }
  removeAddress(a: Pick<AddressRequest, 'ifname' | 'address' | 'prefixLength'>, done?: (error?: string) => void): void {
    this.calls.push(`unaddr ${a.address}/${a.prefixLength}`);
    this.addresses.delete(a.address.toString());
    this.later(() => done?.());
  }
  addRoute(r: RouteRequest, done?: (error?: string) => void): void {
    const key = `${r.prefix}/${r.prefixLength}${r.via ? ` via ${r.via}` : ''}`;
    this.calls.push(`route ${key} lifetime ${r.lifetime ?? 'forever'}`);
    this.routes.set(key, r);
    this.later(() => done?.());
  }
  removeRoute(r: Omit<RouteRequest, 'lifetime'>, done?: (error?: string) => void): void {
    const key = `${r.prefix}/${r.prefixLength}${r.via ? ` via ${r.via}` : ''}`;
    this.calls.push(`unroute ${key}`);
    this.routes.delete(key);
    this.later(() => done?.());
  }
  setIpv6Params(ifname: string, p: { mtu?: number; hopLimit?: number }, done?: (error?: string) => void): void {
    this.calls.push(`ipv6 ${ifname}${p.mtu !== undefined ? ` mtu ${p.mtu}` : ''}${p.hopLimit !== undefined ? ` hoplimit ${p.hopLimit}` : ''}`);
    this.later(() => done?.());
  }
  get tun(): FakeTun {
    return this.tuns[this.tuns.length - 1];
  }
}

export function setup(config: Partial<IsatapdConfig> = {}, opts: { table?: Record<string, string[]>; infos?: InterfaceInfo[]; seed?: number; routes?: Record<string, string | null> } = {}) {
  const clock = new ManualClock();
  const now = () => clock.now();
  const table = new Map(Object.entries(opts.table ?? { isatap: [R1.toString()] }).map(([k, v]) => [k, v.map((a) => Ipv4Address.parse(a))]));
  const resolver = new TableResolver(table, clock);
  const ifs = new FakeInterfaces(opts.infos ?? [wan()]);
  for (const [dst, src] of Object.entries(opts.routes ?? {})) ifs.routes.set(Ipv4Address.parse(dst).value, src === null ? null : Ipv4Address.parse(src));
  if (!opts.routes) for (const addrs of table.values()) for (const a of addrs) ifs.routes.set(a.value, CLIENT);
  const control = new RecordingControl(clock);
  const p41 = new FakeP41(now);
  const log = new MemoryLog(now);
  const tunnels = new UserspaceTunnelFactory(control, p41);
  const cfg = defaultConfig(config);
  const d = new Isatapd(cfg, { clock, random: seededRandom(opts.seed ?? 1), log, interfaces: ifs, resolver, tunnels, control });
  const exits: Array<{ code: number; message: string }> = [];
  d.onExit((code, message) => exits.push({ code, message }));
  return { d, clock, resolver, ifs, control, p41, log, exits };
}

export type Harness = ReturnType<typeof setup>;

/** An RA's ICMPv6 bytes (checksum filled for src -> dst). */
export function raMessage(ra: Partial<RouterAdvertInput>, src: Ipv6Address, dst: Ipv6Address): Uint8Array {
  return icmpv6.encode({ kind: 'router-advert', curHopLimit: 64, routerLifetime: 1800, ...ra } as RouterAdvertInput, { src, dst });
}

/** A router answers over protocol 41, as an ISATAP router does: from its IPv4 and link-local address. */
export function routerAnswers(
  h: Harness,
  router: Ipv4Address,
  ra: Partial<RouterAdvertInput> = {},
  over: { hopLimit?: number; src?: Ipv6Address; outerSrc?: Ipv4Address; message?: Uint8Array; global?: boolean } = {},
): void {
  const src = over.src ?? ll(router, over.global);
  const dst = ll(CLIENT);
  const message = over.message ?? raMessage(ra, src, dst);
  const payload = ipv6.encode({ hopLimit: over.hopLimit ?? 255, src, dst, protocol: ipv6.NH_ICMPV6, payload: message });
  h.p41.deliver({ src: over.outerSrc ?? router, dst: CLIENT, ttl: 64, payload });
}

export function prefixRa(prefix = '2001:db8:5::', extra: Partial<RouterAdvertInput> = {}, lifetimes: { valid?: number; preferred?: number; router?: number } = {}): Partial<RouterAdvertInput> {
  return {
    routerLifetime: lifetimes.router ?? 1800,
    options: [{ kind: 'prefix-info', prefixLength: 64, onLink: true, autonomous: true, validLifetime: lifetimes.valid ?? 86400, preferredLifetime: lifetimes.preferred ?? 14400, prefix: Ipv6Address.parse(prefix) }],
    ...extra,
  };
}

export type { Icmpv6Received };

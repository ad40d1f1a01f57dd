/**
 * `kind: isatap-router`: an ISATAP router (RFC 5214) on the IPv4 underlay. It takes protocol-41
 * packets, checks the RFC 5214 7.3 source rule (the inner source must embed the outer IPv4
 * source), answers Router Solicitations sent to its link-local ISATAP addresses (fe80::5efe:V,
 * and fe80::200:5efe:V when V is global) with unicast RAs over protocol 41, answers echo requests
 * to its addresses, and forwards IPv6 between ISATAP clients of its prefix (decapsulate, then
 * encapsulate again towards the IPv4 address the destination embeds).
 *
 * Events: `stop` (RAs with router lifetime 0 to the clients it knows, then silence), `start`,
 * `config` (new settings).
 */
import type { Timer } from '../../../../core/ports.js';
import { DecodeError } from '../../../../core/wire/errors.js';
import * as ipv4 from '../../../../core/wire/ipv4.js';
import * as ipv6 from '../../../../core/wire/ipv6.js';
import * as icmpv6 from '../../../../core/wire/icmpv6.js';
import * as ip6in4 from '../../../../core/wire/ip6in4.js';
import { validate } from '../../../../core/wire/ndisc/validate.js';
import type { Ipv4Address } from '../../../../core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import { embeddedIpv4, isatapAddress, isPrivateIpv4, routerLinkLocals } from '../../../../core/wire/isatap.js';
import type { NodeContext, NodeEvent, NodeKind, SimNode } from '../../node.js';
import type { UnderlayAttachment } from '../../link.js';
import { parseFor } from '../host.js';
import { wants } from '../trace-gate.js';
import { MAX_RA_DELAY_TIME } from '../router/timing.js';
import { isatapConfigEventSchema, isatapRouterConfigSchema, parseIsatapRouterConfig, type IsatapRouterConfig } from './config.js';

type Input = Record<string, unknown>;

export class IsatapRouterNode implements SimNode {
  readonly kind = 'isatap-router';
  private cfg: IsatapRouterConfig;
  private raw: Input;
  private att: UnderlayAttachment | undefined;
  private offs: Array<() => void> = [];
  private timers = new Set<Timer>();
  /** Clients that solicited, by IPv4 address: where final RAs go, and which of our addresses they know. */
  private clients = new Map<number, { v4: Ipv4Address; ll: Ipv6Address; from: Ipv6Address }>();
  private stopped = false;
  private alive = false;
  readonly counters: Record<string, number> = {};

  constructor(
    readonly ctx: NodeContext,
    config: Input | undefined,
  ) {
    this.raw = config ?? {};
    this.cfg = parseFor(ctx, () => parseIsatapRouterConfig(config, this.underlays()));
  }

  get name(): string {
    return this.ctx.name;
  }

  private underlays(): string[] {
    return this.ctx.interfaces.filter((i) => i.type === 'underlay').map((i) => i.ifname);
  }

  /** V: the router's IPv4 address. */
  private get v4(): Ipv4Address | undefined {
    return this.att?.addresses[0];
  }

  /** Its link-local addresses, the 0:5efe one first. */
  private linkLocals(): Ipv6Address[] {
    return this.v4 ? routerLinkLocals(this.v4) : [];
  }

  /** Its address in the prefix (u bit set when V is global, RFC 5214 6.1). */
  globalAddress(): Ipv6Address | undefined {
    const v = this.v4;
    return v ? isatapAddress(this.cfg.prefix, v, !isPrivateIpv4(v)) : undefined;
  }

  private count(what: string): void {
    this.counters[what] = (this.counters[what] ?? 0) + 1;
  }

  private trace(event: string, fields: () => Record<string, unknown>): void {
    if (wants(this.ctx.trace, event)) this.ctx.trace.emit({ event, node: this.name, ...fields() });
  }

  private drop(reason: string, detail?: () => Record<string, unknown>): void {
    this.count(`dropped.${reason}`);
    this.trace('ip6in4.dropped', () => ({ iface: this.att?.ifname, reason, ...(detail ? detail() : {}) }));
  }

  private malformed(layer: string, err: unknown): void {
    if (!(err instanceof DecodeError)) throw err;
    this.count(`malformed.${layer}`);
    this.trace('rx.malformed', () => ({ iface: this.att?.ifname, layer, field: err.field, what: err.what, offset: err.offset }));
  }

  start(): void {
    this.alive = true;
    this.stopped = false;
    this.clients.clear();
    this.att = this.ctx.underlay(this.cfg.iface ?? this.underlays()[0]);
    this.offs.push(this.att.onPacket((p) => this.receive(p)));
  }

  crash(): void {
    this.alive = false;
    for (const off of this.offs.splice(0)) off();
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.clients.clear();
  }

  private later(delay: number, fn: () => void): void {
    const t = this.ctx.clock.at(this.ctx.clock.now() + delay, () => {
      this.timers.delete(t);
      fn();
    });
    this.timers.add(t);
  }

  /** One IPv4 packet from the underlay. */
  receive(packet: Uint8Array): void {
    if (!this.alive) return;
    this.count('packetsIn');
    let outer: ipv4.Ipv4Packet;
    try {
      outer = ipv4.decode(packet);
    } catch (err) {
      this.malformed('ipv4', err);
      return;
    }
    if (!ipv4.checksumOk(packet)) return this.drop('ipv4-checksum');
    if (outer.protocol !== ipv4.PROTO_IPV6) return this.drop('not-protocol-41', () => ({ protocol: outer.protocol }));
    if (outer.moreFragments || outer.fragmentOffset !== 0) return this.drop('fragment');
    let inner: ipv6.Ipv6Packet;
    try {
      inner = ipv6.decode(outer.payload);
    } catch (err) {
      this.malformed('ipv6', err instanceof DecodeError ? err.within('inner', outer.ihl * 4) : err);
      return;
    }
    const embedded = embeddedIpv4(inner.src);
    if (this.cfg.checkSource && (embedded === null || embedded.value !== outer.src.value)) {
      return this.drop('source-rule', () => ({ outer: outer.src.toString(), inner: inner.src.toString() }));
    }
    if (this.isLocal(inner.dst)) {
      this.local(outer, inner);
      return;
    }
    const w = embeddedIpv4(inner.dst);
    if (w === null || !inner.dst.inPrefix(this.cfg.prefix, 64)) return this.drop('no-route', () => ({ dst: inner.dst.toString() }));
    this.forward(inner, w);
  }

  private isLocal(dst: Ipv6Address): boolean {
    if (dst.equals(Ipv6Address.ALL_ROUTERS) || dst.equals(Ipv6Address.ALL_NODES)) return true;
    const g = this.globalAddress();
    if (g && dst.equals(g)) return true;
    return this.linkLocals().some((a) => a.equals(dst));
  }

  /** Decapsulated, then encapsulated again towards the destination's embedded IPv4 address. */
  private forward(inner: ipv6.Ipv6Packet, w: Ipv4Address): void {
    if (inner.hopLimit <= 1) return this.drop('hop-limit', () => ({ dst: inner.dst.toString() }));
    const bytes = ipv6.encode({
      trafficClass: inner.trafficClass,
      flowLabel: inner.flowLabel,
      hopLimit: inner.hopLimit - 1,
      src: inner.src,
      dst: inner.dst,
      extensions: inner.extensions,
      protocol: inner.protocol,
      payload: inner.payload,
    });
    this.count('forwarded');
    this.trace('isatap.forwarded', () => ({ src: inner.src.toString(), dst: inner.dst.toString(), to: w.toString() }));
    this.sendTo(w, bytes);
  }

  private sendTo(w: Ipv4Address, innerBytes: Uint8Array): void {
    const v = this.v4;
    if (!v || !this.att) return;
    this.att.send(ip6in4.encode(innerBytes, { src: v, dst: w, ttl: this.cfg.ttl }));
  }

  /** ICMPv6 to the router itself. */
  private local(outer: ipv4.Ipv4Packet, inner: ipv6.Ipv6Packet): void {
    if (inner.protocol !== ipv6.NH_ICMPV6) return this.drop('not-icmpv6');
    const msg = inner.payload;
    if (msg.length < 4) {
      this.malformed('icmpv6', new DecodeError(`ICMPv6 message of ${msg.length} bytes is shorter than its header`, 'inner.icmpv6.header', 0));
      return;
    }
    if (!icmpv6.checksumOk(msg, inner.src, inner.dst)) return this.drop('icmpv6-checksum');
    let m: icmpv6.Icmpv6Message;
    try {
      m = icmpv6.decode(msg);
    } catch (err) {
      this.malformed('icmpv6', err);
      return;
    }
    switch (m.kind) {
      case 'router-solicit': {
        const problems = validate(m, { src: inner.src, dst: inner.dst, hopLimit: inner.hopLimit });
        if (problems.length > 0) {
          this.count('rsInvalid');
          this.trace('nd.dropped', () => ({ message: m.kind, from: inner.src.toString(), reasons: problems.map((p) => p.reason) }));
          return;
        }
        this.count('rsReceived');
        if (this.stopped || inner.src.isUnspecified) return;
        const from = inner.dst.isLinkLocal && !inner.dst.isMulticast ? inner.dst : this.linkLocals()[0];
        const client = { v4: outer.src, ll: inner.src, from };
        this.clients.set(outer.src.value, client);
        this.later(Math.floor(this.ctx.random.next() * (MAX_RA_DELAY_TIME + 1)), () => this.sendRa(client, from, false));
        return;
      }
      case 'echo-request': {
        if (inner.dst.isMulticast) return;
        const reply = icmpv6.encode({ kind: 'echo-reply', identifier: m.identifier, sequence: m.sequence, data: m.data }, { src: inner.dst, dst: inner.src });
        this.sendTo(outer.src, ipv6.encode({ hopLimit: 64, src: inner.dst, dst: inner.src, protocol: ipv6.NH_ICMPV6, payload: reply }));
        this.count('echoReplies');
        this.trace('echo.reply', () => ({ iface: this.att?.ifname, from: inner.src.toString(), to: inner.dst.toString(), id: m.identifier, seq: m.sequence }));
        return;
      }
      case 'neighbor-solicit': {
        if (validate(m, { src: inner.src, dst: inner.dst, hopLimit: inner.hopLimit }).length > 0 || inner.src.isUnspecified) return;
        if (!this.isLocal(m.target) || m.target.isMulticast) return;
        const na = icmpv6.encode({ kind: 'neighbor-advert', router: true, solicited: true, override: true, target: m.target }, { src: m.target, dst: inner.src });
        this.sendTo(outer.src, ipv6.encode({ hopLimit: 255, src: m.target, dst: inner.src, protocol: ipv6.NH_ICMPV6, payload: na }));
        return;
      }
      default:
        this.count('ignored');
    }
  }

  private sendRa(client: { v4: Ipv4Address; ll: Ipv6Address }, from: Ipv6Address, final: boolean): void {
    const c = this.cfg;
    const ra = icmpv6.encode(
      {
        kind: 'router-advert',
        curHopLimit: c.curHopLimit,
        routerLifetime: final ? 0 : c.routerLifetime,
        options: [
          {
            kind: 'prefix-info',
            prefixLength: 64,
            onLink: c.onLink,
            autonomous: c.autonomous,
            validLifetime: c.validLifetime,
            preferredLifetime: c.preferredLifetime,
            prefix: c.prefix,
          },
          ...(c.mtu > 0 ? [{ kind: 'mtu' as const, mtu: c.mtu }] : []),
        ],
      },
      { src: from, dst: client.ll },
    );
    this.sendTo(client.v4, ipv6.encode({ hopLimit: 255, src: from, dst: client.ll, protocol: ipv6.NH_ICMPV6, payload: ra }));
    this.count(final ? 'finalRaSent' : 'raSent');
    this.trace('ra.sent', () => ({ iface: this.att?.ifname, dst: client.ll.toString(), to: client.v4.toString(), solicited: !final, routerLifetime: final ? 0 : c.routerLifetime, ...(final ? { final: true } : {}) }));
  }

  handle(e: NodeEvent): void {
    switch (e.action) {
      case 'stop':
        if (this.stopped) return;
        this.stopped = true;
        // From the address each client solicited, so the RA ends the router entry it made.
        for (const client of this.clients.values()) this.sendRa(client, client.from, true);
        return;
      case 'start':
        this.stopped = false;
        return;
      case 'config': {
        const { action: _a, ...fields } = e;
        const raw = { ...this.raw, ...fields };
        try {
          this.cfg = parseIsatapRouterConfig(raw, this.underlays());
        } catch (err) {
          throw new Error(`${this.name}: event config: ${err instanceof Error ? err.message.replace(/^config\./, '') : String(err)}`);
        }
        this.raw = raw;
        return;
      }
      default:
        throw new Error(`${this.name}: unknown event action "${e.action}" for an isatap-router (stop, start, config)`);
    }
  }

  query(what: string): unknown {
    switch (what) {
      case 'addresses':
        return [...this.linkLocals(), this.globalAddress()].filter((a) => a !== undefined).map((a) => ({ iface: 'isatap', family: 'ipv6', address: a.toString(), prefixLength: 64, state: 'preferred' }));
      case 'clients':
        return [...this.clients.values()].map((c) => ({ ipv4: c.v4.toString(), linkLocal: c.ll.toString() }));
      case 'counters':
        return { ...this.counters };
      default:
        return undefined;
    }
  }

  summary(): Record<string, unknown> {
    return { running: this.alive, stopped: this.stopped, clients: this.clients.size, global: this.globalAddress()?.toString(), ...this.counters };
  }
}

export const isatapRouterKind: NodeKind<Input | undefined> = {
  kind: 'isatap-router',
  description: 'an ISATAP router on the IPv4 underlay: unicast RAs over protocol 41, echo replies, forwarding between clients of its prefix',
  configSchema: isatapRouterConfigSchema,
  events: {
    stop: { type: 'object', properties: {} },
    start: { type: 'object', properties: {} },
    config: isatapConfigEventSchema,
  },
  create: (config, ctx) => new IsatapRouterNode(ctx, config),
};

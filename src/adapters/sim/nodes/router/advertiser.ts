/**
 * One advertising interface of a router, as radvd runs it: it starts once the interface is
 * running with a usable link-local address (the first RA goes out at once), sends periodic
 * multicast RAs and answers RS on the RFC 4861 timing of timing.ts, pauses while the link is
 * down, and on `stop` sends its final RAs with router lifetime 0.
 */
import type { Icmpv6Port, Icmpv6Received, InterfaceInfo, Random, Timer } from '../../../../core/ports.js';
import type { Micros } from '../../../../core/time.js';
import { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import * as icmpv6 from '../../../../core/wire/icmpv6.js';
import { ICMPV6_TYPE } from '../../../../core/wire/icmpv6-types.js';
import { validate } from '../../../../core/wire/ndisc/validate.js';
import type { NodeClock } from '../../scheduler.js';
import { buildAdvert } from './advert.js';
import type { AdvertConfig } from './config.js';
import { AdvertTiming } from './timing.js';

export interface AdvertiserEnv {
  readonly clock: NodeClock;
  readonly random: Random;
  readonly icmp: Icmpv6Port;
  trace(event: string, fields: () => Record<string, unknown>): void;
  count(what: string): void;
}

export type AdvertiserState = 'waiting' | 'advertising' | 'stopped' | 'silent';

export class Advertiser {
  state: AdvertiserState = 'waiting';
  private readonly timing: AdvertTiming;
  private periodic: Timer | undefined;
  private solicited: Timer | undefined;
  private finals: Timer | undefined;
  private info: InterfaceInfo;

  constructor(
    private readonly env: AdvertiserEnv,
    info: InterfaceInfo,
    public config: AdvertConfig,
  ) {
    this.info = info;
    this.timing = new AdvertTiming(config.minInterval, config.maxInterval, env.random);
    if (!config.advertise) this.state = 'silent';
    this.interfaceChanged(info);
  }

  get ifname(): string {
    return this.info.name;
  }

  get ifindex(): number {
    return this.info.ifindex;
  }

  /** The next unsolicited RA, when one is scheduled. */
  get nextPeriodic(): Micros | undefined {
    return this.periodic?.at;
  }

  /** Link state or addresses changed: start when ready, pause while the link is down. */
  interfaceChanged(info: InterfaceInfo): void {
    this.info = info;
    const ready = info.running && info.ipv6.some((a) => a.address.isLinkLocal && !a.tentative);
    if (this.state === 'waiting' && ready) this.begin();
    else if (this.state === 'advertising' && !info.running) this.pause();
  }

  /** An ICMPv6 message arrived on this interface: answer it if it is a valid RS. */
  received(m: Icmpv6Received): void {
    if (m.message[0] !== ICMPV6_TYPE['router-solicit']) return;
    let msg: icmpv6.Icmpv6Message;
    try {
      msg = icmpv6.decode(m.message);
    } catch {
      this.env.count('rsMalformed');
      return;
    }
    if (msg.kind !== 'router-solicit') return;
    const problems = validate(msg, { src: m.src, dst: m.dst, hopLimit: m.hopLimit });
    if (problems.length > 0) {
      this.env.count('rsInvalid');
      return;
    }
    this.env.count('rsReceived');
    this.env.trace('rs.received', () => ({ iface: this.info.name, from: m.src.toString(), answered: this.state === 'advertising' }));
    if (this.state !== 'advertising') return;
    const c = this.config;
    const now = this.env.clock.now();
    if (c.unicastOnly || (c.solicitedUnicast && !m.src.isUnspecified)) {
      if (m.src.isUnspecified) return; // nowhere to unicast to
      const to = m.src;
      this.env.clock.at(now + this.timing.responseDelay(), () => {
        if (this.state === 'advertising') this.send(to, true);
      });
      return;
    }
    // One RA answers every RS that arrives while it is pending (its delay counts from the first).
    if (this.solicited) return;
    const at = this.timing.solicitedAt(now, this.periodic?.at);
    if (at === undefined) {
      this.env.count('rsServedByScheduled');
      return;
    }
    this.solicited = this.env.clock.at(at, () => {
      this.solicited = undefined;
      this.multicast(true);
    });
  }

  /** radvd's shutdown: final RAs with router lifetime 0, then silence. */
  stop(): void {
    if (this.state !== 'advertising') {
      this.cancelTimers();
      this.state = 'stopped';
      return;
    }
    this.cancelTimers();
    this.state = 'stopped';
    if (this.config.unicastOnly) return;
    let left = this.config.finalAdvertisements;
    const finalOne = (): void => {
      this.finals = undefined;
      if (left-- <= 0 || this.state !== 'stopped') return;
      this.send(Ipv6Address.ALL_NODES, false, true);
      this.timing.lastMulticast = this.env.clock.now();
      if (left > 0) this.finals = this.env.clock.at(this.env.clock.now() + this.timing.minDelay, finalOne);
    };
    finalOne();
  }

  /** Advertising again after `stop` (radvd restarted). */
  resume(): void {
    if (this.state !== 'stopped') return;
    this.cancelTimers();
    this.state = this.config.advertise ? 'waiting' : 'silent';
    this.interfaceChanged(this.info);
  }

  /** New settings (a `config` event): the next RA carries them, as soon as the rate limit allows. */
  reconfigure(config: AdvertConfig): void {
    this.config = config;
    this.timing.minInterval = config.minInterval;
    this.timing.maxInterval = config.maxInterval;
    if (!config.advertise) {
      this.cancelTimers();
      if (this.state === 'advertising' || this.state === 'waiting') this.state = 'silent';
      return;
    }
    if (this.state === 'silent') {
      this.state = 'waiting';
      this.interfaceChanged(this.info);
      return;
    }
    if (this.state !== 'advertising') return;
    this.timing.reset();
    this.cancelTimers();
    if (config.unicastOnly) return;
    const now = this.env.clock.now();
    const last = this.timing.lastMulticast;
    const at = last === undefined ? now : Math.max(now, last + this.timing.minDelay);
    this.periodic = this.env.clock.at(at, () => {
      this.periodic = undefined;
      this.multicast(false);
    });
  }

  destroy(): void {
    this.cancelTimers();
  }

  private begin(): void {
    this.state = 'advertising';
    this.timing.reset();
    if (!this.config.unicastOnly) this.multicast(false);
  }

  private pause(): void {
    this.cancelTimers();
    this.state = 'waiting';
  }

  private cancelTimers(): void {
    this.periodic?.cancel();
    this.solicited?.cancel();
    this.finals?.cancel();
    this.periodic = undefined;
    this.solicited = undefined;
    this.finals = undefined;
  }

  /** A multicast RA now; the periodic timer restarts from it (6.2.4). */
  private multicast(solicited: boolean): void {
    this.periodic?.cancel();
    this.solicited?.cancel();
    this.solicited = undefined;
    this.send(Ipv6Address.ALL_NODES, solicited);
    const now = this.env.clock.now();
    const interval = this.timing.multicastSent(now);
    this.periodic = this.env.clock.at(now + interval, () => {
      this.periodic = undefined;
      this.multicast(false);
    });
  }

  private send(dst: Ipv6Address, solicited: boolean, final = false): void {
    const advert = buildAdvert(this.config, this.info.mac, final);
    this.env.icmp.send({ ifindex: this.info.ifindex, dst, message: icmpv6.encode(advert) });
    this.env.count(final ? 'finalRaSent' : solicited ? 'solicitedRaSent' : 'unsolicitedRaSent');
    this.env.trace('ra.sent', () => ({
      iface: this.info.name,
      dst: dst.toString(),
      solicited,
      routerLifetime: advert.routerLifetime,
      ...(final ? { final: true } : {}),
    }));
  }
}

/**
 * The traffic a host makes by itself: ping6 sessions (ping.ok / ping.lost in the trace) and an
 * IPv4 talker that sends a datagram to each of its peers every interval, which is what drives the ARP
 * neighbour states in a topology. Timers exist only while a session has something left to do.
 */
import type { Timer } from '../../../../core/ports.js';
import type { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import type { PingConfig, TalkConfig } from './config.js';
import { TALK_PROTOCOL } from './ipv4.js';
import type { Stack } from './stack.js';

interface PingSession {
  cfg: PingConfig;
  identifier: number;
  sent: number;
  timer: Timer | undefined;
  outstanding: Map<number, { at: number; timer: Timer }>;
}

interface TalkSession {
  cfg: TalkConfig;
  sent: number;
  timer: Timer | undefined;
}

const TALK_PAYLOAD = new TextEncoder().encode('linklab talker datagram');

export class Traffic {
  private readonly pings: PingSession[] = [];
  private readonly talks: TalkSession[] = [];
  private nextIdentifier: number;

  constructor(private readonly s: Stack) {
    this.nextIdentifier = s.random.int(1, 0xfff0);
  }

  start(): void {
    for (const p of this.s.config.ping) this.ping(p);
    for (const t of this.s.config.talk) this.talk(t);
  }

  stop(): void {
    for (const p of this.pings) {
      p.timer?.cancel();
      for (const o of p.outstanding.values()) o.timer.cancel();
    }
    for (const t of this.talks) t.timer?.cancel();
    this.pings.length = 0;
    this.talks.length = 0;
  }

  /** Starts a ping6 session; `cfg.start` counts from now. */
  ping(cfg: PingConfig): void {
    const session: PingSession = { cfg, identifier: this.nextIdentifier++ & 0xffff, sent: 0, timer: undefined, outstanding: new Map() };
    this.pings.push(session);
    session.timer = this.s.clock.at(this.s.clock.now() + cfg.start, () => this.pingOnce(session));
  }

  talk(cfg: TalkConfig): void {
    const session: TalkSession = { cfg, sent: 0, timer: undefined };
    this.talks.push(session);
    session.timer = this.s.clock.at(this.s.clock.now() + cfg.start, () => this.talkOnce(session));
  }

  /** An echo reply arrived. */
  echoReply(from: Ipv6Address, identifier: number, sequence: number): void {
    const s = this.s;
    for (const p of this.pings) {
      if (p.identifier !== identifier) continue;
      const o = p.outstanding.get(sequence);
      if (!o) return;
      o.timer.cancel();
      p.outstanding.delete(sequence);
      s.counters.pingsAnswered++;
      const rtt = s.clock.now() - o.at;
      s.trace('ping.ok', () => ({ to: p.cfg.to.toString(), from: from.toString(), seq: sequence, rtt }));
      return;
    }
  }

  private pingOnce(p: PingSession): void {
    const s = this.s;
    p.timer = undefined;
    const seq = p.sent++ & 0xffff;
    const ifindex = p.cfg.iface === undefined ? undefined : s.byName(p.cfg.iface)?.ifindex;
    s.counters.pingsSent++;
    const at = s.clock.now();
    const timer = s.clock.at(at + p.cfg.timeout, () => {
      p.outstanding.delete(seq);
      s.counters.pingsLost++;
      s.trace('ping.lost', () => ({ to: p.cfg.to.toString(), seq }));
    });
    p.outstanding.set(seq, { at, timer });
    s.ip6.sendIcmp({ kind: 'echo-request', identifier: p.identifier, sequence: seq, data: new Uint8Array(p.cfg.size) }, p.cfg.to, { ifindex });
    if (p.cfg.count === 0 || p.sent < p.cfg.count) p.timer = s.clock.at(at + p.cfg.interval, () => this.pingOnce(p));
  }

  /** One round: a datagram to every peer. */
  private talkOnce(t: TalkSession): void {
    const s = this.s;
    t.timer = undefined;
    t.sent++;
    for (const to of t.cfg.to) {
      s.counters.talkSent++;
      s.ip4.send({ dst: to, protocol: TALK_PROTOCOL, payload: TALK_PAYLOAD });
    }
    if (t.cfg.count === 0 || t.sent < t.cfg.count) t.timer = s.clock.at(s.clock.now() + t.cfg.interval, () => this.talkOnce(t));
  }
}

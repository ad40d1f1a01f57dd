/**
 * Router Solicitations when a link comes up (RFC 4861 6.3.7, Linux addrconf_rs_timer): after a
 * random delay of up to router_solicitation_delay (1 s), and never before the link-local address
 * finished DAD, send up to router_solicitations (3) RS, router_solicitation_interval (4 s) apart.
 * A received RA ends the cycle. Only hosts solicit: accept_ra on and forwarding off.
 */
import type { Timer } from '../../../../core/ports.js';
import { SECOND } from '../../../../core/time.js';
import type { NetIf } from './netif.js';
import type { Stack } from './stack.js';

interface Cycle {
  sent: number;
  timer: Timer | undefined;
  /** The delay is over but the link-local address is still tentative. */
  waiting: boolean;
}

export class RouterSolicitor {
  private readonly cycles = new Map<NetIf, Cycle>();

  constructor(private readonly s: Stack) {}

  /** Whether this interface sends RS at all. */
  solicits(nif: NetIf): boolean {
    if (nif.kind !== 'ethernet') return false;
    return this.s.ndisc.acceptsRa(nif) && this.s.sysctl.ipv6(nif.name, 'router_solicitations') !== 0;
  }

  start(nif: NetIf): void {
    this.stop(nif);
    if (!this.solicits(nif)) return;
    const cycle: Cycle = { sent: 0, timer: undefined, waiting: false };
    this.cycles.set(nif, cycle);
    const delay = Math.max(0, this.s.sysctl.ipv6(nif.name, 'router_solicitation_delay')) * SECOND;
    const wait = delay > 0 ? Math.floor(this.s.random.next() * delay) : 0;
    cycle.timer = this.s.clock.at(this.s.clock.now() + wait, () => this.attempt(nif, cycle));
  }

  stop(nif: NetIf): void {
    const c = this.cycles.get(nif);
    if (!c) return;
    c.timer?.cancel();
    this.cycles.delete(nif);
  }

  /** The link-local address finished DAD: a cycle that was waiting for it sends now. */
  linkLocalReady(nif: NetIf): void {
    const c = this.cycles.get(nif);
    if (c && c.waiting) this.attempt(nif, c);
  }

  /** Whether a cycle is in progress (for queries). */
  active(nif: NetIf): boolean {
    return this.cycles.has(nif);
  }

  destroy(): void {
    for (const c of this.cycles.values()) c.timer?.cancel();
    this.cycles.clear();
  }

  private attempt(nif: NetIf, c: Cycle): void {
    c.timer = undefined;
    c.waiting = false;
    if (this.cycles.get(nif) !== c) return;
    if (nif.raReceived || !nif.running || !this.solicits(nif)) {
      this.cycles.delete(nif);
      return;
    }
    const ll = nif.linkLocal();
    if (!ll) {
      c.waiting = true;
      return;
    }
    this.s.ndisc.sendRs(nif, ll);
    c.sent++;
    const max = this.s.sysctl.ipv6(nif.name, 'router_solicitations');
    if (max >= 0 && c.sent >= max) {
      this.cycles.delete(nif);
      return;
    }
    const interval = Math.max(1, this.s.sysctl.ipv6(nif.name, 'router_solicitation_interval')) * SECOND;
    c.timer = this.s.clock.at(this.s.clock.now() + interval, () => this.attempt(nif, c));
  }
}

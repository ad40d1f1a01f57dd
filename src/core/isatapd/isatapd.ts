/**
 * The isatapd core: the life of an ISATAP client tunnel (main.c) and its solicitation loop
 * (isatap.c, rdisc.c), acting only through its ports.
 *
 *   begin:    resolve the router names into the Potential Router List; while it is empty,
 *             "Internal PRL empty! Rechecking in 60 sec."
 *   link:     find the tunnel's IPv4 source (source.ts); while there is none, "waiting for link
 *             ... / router ... to become reachable..." and look again every 60 s
 *   tunnel:   create it through the data plane (tunnel.ts); failure exits 1 like the original
 *   round:    solicit every list entry (schedule.ts), take RAs (ra.ts), drop an answered router's
 *             sibling entry, configure addresses and routes in userspace mode (slaac.ts); every
 *             --check-dns seconds, and on SIGHUP, end the round: re-resolve, prune, check the
 *             source ("Link change detected. Re-creating tunnel." and back to begin when it
 *             changed or the list emptied), and start a new round.
 *
 * Where linklab does better than the original (and says so): it hears link and address changes
 * at once through InterfacePort instead of only at the next DNS check, it also prunes stale
 * entries when it starts over, and a name that resolves again after the list emptied is seen at
 * the next 60 s look-up, as before.
 */
import type { Clock, Icmpv6Received, InterfaceChange, InterfaceControl, InterfacePort, Log, LogLevel, Random, Resolver, Timer, Unsubscribe } from '../ports.js';
import { SECOND, type Micros } from '../time.js';
import { Handlers } from '../handlers.js';
import type { Ipv4Address } from '../wire/ipv4-address.js';
import * as icmpv6 from '../wire/icmpv6.js';
import type { IsatapdConfig } from './config.js';
import { DEFAULT_TUNNEL_MTU, WAIT_FOR_LINK, WAIT_FOR_PRL } from './constants.js';
import type { PrlEntry } from './prl.js';
import { PotentialRouterList } from './prl.js';
import { checkRa } from '../wire/ndisc/validate.js';
import { RA_DROP_REASONS, RA_POLICY, dropMessage, type RaDropReason } from './ra-policy.js';
import { afterRs, firstRsDelay, nextRsAfterRa, raLifetimes } from './schedule.js';
import { linkSource, routeSourceFor, usableInterfaceOf } from './source.js';
import { TunnelSlaac } from './slaac.js';
import type { IsatapTunnel, TunnelFactory } from './tunnel.js';

export interface IsatapdPorts {
  clock: Clock;
  random: Random;
  log: Log;
  interfaces: InterfacePort;
  resolver: Resolver;
  tunnels: TunnelFactory;
  /** Addresses and routes on a userspace tunnel; the kernel's SIT driver needs none. */
  control?: InterfaceControl;
}

export type Phase = 'idle' | 'resolving' | 'waiting-prl' | 'waiting-link' | 'creating' | 'running' | 'rechecking' | 'stopping' | 'stopped';

export interface IsatapdStats {
  rsSent: number;
  raAccepted: number;
  raDropped: Record<RaDropReason, number>;
  /** Options of accepted RAs left out by sd-ndisc's option limits. */
  optionsIgnored: { 'too-many-options': number; 'duplicate-option': number };
  tunnelsCreated: number;
  linkChanges: number;
  dnsChecks: number;
  lookupFailures: number;
}

/** One list entry during a solicitation round (the child process's copy of it, in the original). */
interface Solicited {
  entry: PrlEntry;
  rsSent: number;
  /** When the next RS is due (the original counts from the due time, so RSs do not drift). */
  due: Micros;
  timer: Timer | undefined;
  lastRa: Micros | undefined;
}

const RS = icmpv6.encode({ kind: 'router-solicit' });

export class Isatapd {
  readonly prl = new PotentialRouterList();
  readonly stats: IsatapdStats = {
    rsSent: 0,
    raAccepted: 0,
    raDropped: Object.fromEntries(RA_DROP_REASONS.map((r) => [r, 0])) as Record<RaDropReason, number>,
    optionsIgnored: { 'too-many-options': 0, 'duplicate-option': 0 },
    tunnelsCreated: 0,
    linkChanges: 0,
    dnsChecks: 0,
    lookupFailures: 0,
  };
  private phaseNow: Phase = 'idle';
  /** Bumped at every phase change: callbacks from an earlier phase see it and do nothing. */
  private epoch = 0;
  private timer: Timer | undefined;
  private tunnel: IsatapTunnel | undefined;
  private slaac: TunnelSlaac | undefined;
  private saddr: Ipv4Address | undefined;
  private round: Solicited[] = [];
  private readonly subs: Unsubscribe[] = [];
  private tunnelSubs: Unsubscribe[] = [];
  private waited = false;
  private probeQueued = false;
  private readonly exitHandlers = new Handlers<{ code: number; message: string }>();
  private readonly stopHandlers = new Handlers();

  constructor(
    readonly config: IsatapdConfig,
    private readonly ports: IsatapdPorts,
  ) {
    if (ports.tunnels.mode === 'userspace' && !ports.control) throw new Error('isatapd: a userspace data plane needs an InterfaceControl port');
  }

  get phase(): Phase {
    return this.phaseNow;
  }

  /** The tunnel's IPv4 source while a tunnel exists. */
  get source(): Ipv4Address | undefined {
    return this.tunnel ? this.saddr : undefined;
  }

  get tunnelUp(): boolean {
    return this.tunnel !== undefined;
  }

  /** Called once when isatapd must exit on its own (a tunnel it cannot create): code and reason. */
  onExit(handler: (code: number, message: string) => void): void {
    this.exitHandlers.add((e) => handler(e.code, e.message));
  }

  start(): void {
    if (this.phaseNow !== 'idle') return;
    this.subs.push(this.ports.interfaces.onChange((c) => this.interfaceChanged(c)));
    this.begin();
  }

  /** SIGINT/SIGTERM: remove the tunnel and stop; `done` runs once it is gone. */
  stop(signal?: number, done?: () => void): void {
    if (done) this.stopHandlers.add(done);
    if (this.phaseNow === 'stopping') return;
    if (this.phaseNow === 'stopped') {
      this.finishStop();
      return;
    }
    if (signal !== undefined) this.emit('notice', 'signal', `signal ${signal} received, going down.`, { signal });
    this.enter('stopping');
    for (const u of this.subs.splice(0)) u();
    const e = this.epoch;
    this.removeTunnel(() => {
      if (this.epoch === e) this.finishStop();
    });
  }

  /** SIGHUP: resolve the names again and solicit every router anew (re-creating the tunnel if needed). */
  hangup(): void {
    this.emit('notice', 'sighup', 'SIGHUP received.');
    switch (this.phaseNow) {
      case 'running':
        this.endRound();
        return;
      case 'waiting-prl':
        this.begin();
        return;
      case 'waiting-link':
        this.probeLink();
        return;
      default:
        return; // already resolving, creating or rechecking
    }
  }

  /** The state for the simulator's queries and `--json` summaries. */
  state(): Record<string, unknown> {
    const now = this.ports.clock.now();
    return {
      phase: this.phaseNow,
      tunnel: this.tunnel ? { ifname: this.tunnel.ifname, mode: this.tunnel.mode, local: this.saddr?.toString() } : null,
      prl: this.prl.entries.map((e) => {
        const s = this.round.find((r) => r.entry === e);
        return {
          router: e.v4.toString(),
          linkLocal: e.ll.toString(),
          soliciting: s !== undefined,
          ...(s ? { rsSent: s.rsSent, nextRsIn: Math.max(0, (s.due - now) / SECOND), answered: s.lastRa !== undefined } : {}),
        };
      }),
      ...(this.slaac ? this.slaac.view() : {}),
      ...(this.tunnel ? { dataplane: this.tunnel.stats() } : {}),
      stats: this.stats,
    };
  }

  // ---------------------------------------------------------------------------------------------

  private emit(level: LogLevel, event: string, msg: string, fields?: Record<string, unknown>): void {
    this.ports.log.emit({ level, event, msg, fields });
  }

  private readonly emitFn = (level: LogLevel, event: string, msg: string, fields?: Record<string, unknown>): void => this.emit(level, event, msg, fields);

  private enter(p: Phase): void {
    this.phaseNow = p;
    this.epoch++;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private at(delay: Micros, fn: () => void): void {
    const e = this.epoch;
    this.timer = this.ports.clock.at(this.ports.clock.now() + delay, () => {
      if (this.epoch === e) fn();
    });
  }

  private finishStop(): void {
    this.phaseNow = 'stopped';
    this.stopHandlers.drain();
  }

  private fatal(message: string): void {
    this.enter('stopped');
    for (const u of this.subs.splice(0)) u();
    this.exitHandlers.drain({ code: 1, message });
  }

  // begin: -----------------------------------------------------------------------------------

  private begin(): void {
    this.enter('resolving');
    const e = this.epoch;
    this.fillPrl(() => {
      if (this.epoch !== e) return;
      this.prl.prune();
      if (this.prl.size === 0) {
        this.emit('info', 'prl.empty', `Internal PRL empty! Rechecking in ${WAIT_FOR_PRL} sec.`);
        this.enter('waiting-prl');
        this.at(WAIT_FOR_PRL * SECOND, () => this.begin());
        return;
      }
      this.waited = false;
      this.enter('waiting-link');
      this.probeLink();
    });
  }

  /** fill_internal_prl: mark stale, resolve every name, add or refresh what came back. */
  private fillPrl(done: () => void): void {
    this.prl.markStale();
    const names = this.config.routers;
    const answers: Array<{ addresses: Ipv4Address[]; error?: string } | undefined> = names.map(() => undefined);
    let pending = names.length;
    const finish = (): void => {
      names.forEach((name, i) => {
        const a = answers[i]!;
        if (a.addresses.length === 0) {
          this.stats.lookupFailures++;
          this.emit('warning', 'resolve.failed', `add_router_name_to_internal_prl: ${name}: ${a.error ?? 'Name or service not known'}`, { name });
          return;
        }
        for (const v4 of a.addresses) {
          const outcome = this.prl.add(v4);
          if (outcome === 'added') this.emit('debug', 'prl.added', `Adding internal PDR ${v4}`, { name, router: v4.toString() });
          else this.emit('debug', 'prl.refreshed', `${outcome === 'refreshed' ? 'Refreshing' : 'Ignoring duplicate'} internal PDR ${v4}`, { name, router: v4.toString() });
        }
      });
      done();
    };
    names.forEach((name, i) => {
      this.ports.resolver.resolve4(name, (addresses, error) => {
        if (answers[i] !== undefined) return;
        answers[i] = { addresses, error };
        if (--pending === 0) finish();
      });
    });
  }

  // link: ------------------------------------------------------------------------------------

  /** Finds the source (wait_for_link); creates the tunnel or waits 60 s and looks again. */
  private probeLink(): void {
    this.probeQueued = false;
    const e = this.epoch;
    this.findSource((src) => {
      if (this.epoch !== e || this.phaseNow !== 'waiting-link') return;
      if (src) {
        if (this.waited) {
          if (this.config.link) this.emit('info', 'link.ready', `link ${this.config.link} became ready...`, { link: this.config.link });
          else this.emit('info', 'router.reachable', `router ${this.config.routers[0]} became reachable...`, { router: this.config.routers[0] });
        }
        this.createTunnel(src);
        return;
      }
      if (!this.waited) {
        this.waited = true;
        if (this.config.link) this.emit('info', 'link.waiting', `waiting for link ${this.config.link} to become ready...`, { link: this.config.link });
        else this.emit('info', 'router.waiting', `waiting for router ${this.config.routers[0]} to become reachable...`, { router: this.config.routers[0] });
      } else {
        this.emit('debug', 'link.still-waiting', 'still waiting for link...');
      }
      this.timer?.cancel();
      this.at(WAIT_FOR_LINK * SECOND, () => this.probeLink());
    });
  }

  private findSource(done: (src: Ipv4Address | null) => void): void {
    const { interfaces } = this.ports;
    if (this.config.link) {
      const src = linkSource(interfaces, this.config.link, this.emitFn);
      const e = this.epoch;
      // Answer later, as the kernel's answer to routeSource comes later: one code path for both.
      this.ports.clock.at(this.ports.clock.now(), () => {
        if (this.epoch === e) done(src);
      });
      return;
    }
    routeSourceFor(interfaces, this.prl, this.emitFn, done);
  }

  /** True while the source still sits on a usable device (and on --link, that device). */
  private sourceStillUsable(): boolean {
    const { interfaces } = this.ports;
    if (!this.saddr) return false;
    if (this.config.link) {
      const info = interfaces.byName(this.config.link);
      return info !== undefined && info.up && info.running && info.ipv4.length > 0 && info.ipv4[0].address.value === this.saddr.value;
    }
    return usableInterfaceOf(interfaces, this.saddr) !== undefined;
  }

  private interfaceChanged(c: InterfaceChange): void {
    switch (this.phaseNow) {
      case 'running':
        if (c.kind === 'removed' && this.tunnel && c.ifindex === this.tunnel.ifindex) {
          this.linkChange();
          return;
        }
        if (!this.sourceStillUsable()) this.linkChange();
        return;
      case 'waiting-link':
        // Look again now rather than at the next 60 s tick (coalescing a burst of changes).
        if (!this.probeQueued) {
          this.probeQueued = true;
          const e = this.epoch;
          this.ports.clock.at(this.ports.clock.now(), () => {
            if (this.epoch === e && this.probeQueued) this.probeLink();
          });
        }
        return;
      default:
        return;
    }
  }

  private linkChange(): void {
    this.emit('warning', 'link.change', 'Link change detected. Re-creating tunnel.');
    this.stats.linkChanges++;
    this.enter('rechecking');
    this.stopRound();
    const e = this.epoch;
    this.removeTunnel(() => {
      if (this.epoch === e) this.begin();
    });
  }

  // tunnel: ----------------------------------------------------------------------------------

  /** The MTU to ask for: --mtu, else the link's minus 20 (userspace); 0 lets the SIT driver choose. */
  private tunnelMtu(src: Ipv4Address): number {
    if (this.config.mtu > 0) return this.config.mtu;
    if (this.ports.tunnels.mode === 'kernel') return 0;
    const { interfaces } = this.ports;
    const dev = this.config.link ? interfaces.byName(this.config.link) : usableInterfaceOf(interfaces, src);
    return dev && dev.mtu > 20 + 1280 ? Math.min(dev.mtu - 20, 65535) : DEFAULT_TUNNEL_MTU;
  }

  private createTunnel(src: Ipv4Address): void {
    this.enter('creating');
    const e = this.epoch;
    const { config } = this;
    const mtu = this.tunnelMtu(src);
    this.ports.tunnels.create({ name: config.name, link: config.link, local: src, ttl: config.ttl, pmtudisc: config.pmtudisc, mtu }, (tunnel, error) => {
      if (this.epoch !== e) {
        tunnel?.close();
        return;
      }
      if (!tunnel) {
        this.emit('error', 'tunnel.add-failed', `tunnel_add: ${error ?? 'failed'}`, { name: config.name });
        this.fatal(`tunnel_add: ${error ?? 'failed'}`);
        return;
      }
      this.tunnel = tunnel;
      this.saddr = src;
      this.stats.tunnelsCreated++;
      this.emit('debug', 'tunnel.created', `${config.name} created (local ${src}, ${config.pmtudisc ? 'pmtudisc' : 'nopmtudisc'})`, { name: config.name, local: src.toString(), mode: tunnel.mode });
      this.emit('notice', 'tunnel.up', `interface ${config.name} up`, { name: config.name });
      this.tunnelSubs.push(tunnel.onRouterAdvert((m) => this.routerAdvert(m)));
      if (tunnel.mode === 'userspace' && this.ports.control && tunnel.nextHops) {
        this.slaac = new TunnelSlaac(this.ports.clock, this.ports.control, this.emitFn, tunnel.ifname, src, tunnel.nextHops, mtu);
        this.slaac.start();
      }
      this.startRound();
    });
  }

  /** delete_isatap_tunnel: down, then deleted. */
  private removeTunnel(done: () => void): void {
    const t = this.tunnel;
    this.stopRound();
    if (!t) {
      done();
      return;
    }
    this.tunnel = undefined;
    for (const u of this.tunnelSubs.splice(0)) u();
    this.slaac?.stop();
    this.slaac = undefined;
    t.close((error) => {
      if (error) this.emit('error', 'tunnel.del-failed', `tunnel_del: ${error}`, { name: t.ifname });
      else {
        this.emit('notice', 'tunnel.down', `interface ${t.ifname} down`, { name: t.ifname });
        this.emit('debug', 'tunnel.deleted', `${t.ifname} deleted`, { name: t.ifname });
      }
      done();
    });
  }

  // round: -----------------------------------------------------------------------------------

  private startRound(): void {
    const t = this.tunnel!;
    this.enter('running');
    this.emit('debug', 'tunnel.found', `Found interface ${t.ifname} at index ${t.ifindex}`, { name: t.ifname, ifindex: t.ifindex });
    for (const v4 of this.prl.addresses()) {
      t.addRouter(v4, (error) => {
        if (error) this.emit('debug', 'prl.kernel-failed', `tunnel_add_prl: ${error}`, { router: v4.toString() });
      });
      this.emit('debug', 'prl.kernel', `Adding PDR ${v4} to kernel`, { router: v4.toString() });
    }
    const now = this.ports.clock.now();
    this.round = this.prl.entries.map((entry) => ({ entry, rsSent: 0, due: now + firstRsDelay(this.ports.random), timer: undefined, lastRa: undefined }));
    for (const s of this.round) this.arm(s);
    if (this.config.checkDns > 0) this.at(this.config.checkDns * SECOND, () => this.endRound());
  }

  private arm(s: Solicited): void {
    s.timer?.cancel();
    const e = this.epoch;
    s.timer = this.ports.clock.at(s.due, () => {
      if (this.epoch === e && this.round.includes(s)) this.solicit(s);
    });
  }

  private solicit(s: Solicited): void {
    const t = this.tunnel;
    if (!t) return;
    this.emit('debug', 'rs.sent', `Soliciting ${s.entry.ll}`, { router: s.entry.ll.toString() });
    t.solicit(s.entry, RS);
    this.stats.rsSent++;
    const next = afterRs(s.rsSent);
    s.rsSent = next.rsSent;
    s.due += next.delay;
    this.arm(s);
  }

  private routerAdvert(m: Icmpv6Received): void {
    const t = this.tunnel;
    if (!t || this.phaseNow !== 'running') return;
    const solicited = this.round.find((x) => x.entry.ll.equals(m.src));
    const check = checkRa(m, RA_POLICY, { onInterface: m.ifindex === t.ifindex, fromKnownRouter: solicited !== undefined });
    if (!check.ok) {
      const reason = check.problems[0].reason as RaDropReason;
      this.stats.raDropped[reason]++;
      this.emit('debug', 'ra.ignored', dropMessage(reason, m.src) ?? `Ignoring Advertisement from ${m.src} (${reason})`, { from: m.src.toString(), reason });
      return;
    }
    const s = solicited!;
    const entry = s.entry;
    const ra = check.ra;
    this.stats.raAccepted++;
    if (check.ignored.length > 0) {
      for (const x of check.ignored) this.stats.optionsIgnored[x.reason]++;
      const repeated = check.ignored.filter((x) => x.reason === 'duplicate-option').length;
      this.emit('debug', 'ra.options', `  Ignoring ${check.ignored.length} options (${repeated} repeated, ${check.ignored.length - repeated} past the 128th)`, { repeated, tooMany: check.ignored.length - repeated });
    }
    this.emit('debug', 'ra.accepted', `Advertisement from ${m.src}`, { from: m.src.toString() });
    this.emit('debug', 'ra.lifetime', `  Router lifetime ${ra.routerLifetime} sec`, { routerLifetime: ra.routerLifetime });
    for (const o of ra.options) {
      if (o.kind === 'prefix-info') this.emit('debug', 'ra.prefix', `  Prefix ${o.prefix}/${o.prefixLength}, lifetime ${o.preferredLifetime} sec`, { prefix: `${o.prefix}/${o.prefixLength}` });
      else if (o.kind === 'route-info') this.emit('debug', 'ra.route', `  Route ${o.prefix}/${o.prefixLength}, lifetime ${o.lifetime} sec`, { prefix: `${o.prefix}/${o.prefixLength}` });
    }
    const wait = nextRsAfterRa(raLifetimes(ra), this.config.interval);
    const now = this.ports.clock.now();
    s.rsSent = 0;
    s.lastRa = now;
    s.due = now + wait;
    this.arm(s);
    this.emit('debug', 'rs.next', ` Setting next timeout to ${Math.floor(wait / SECOND)} sec`, { router: entry.ll.toString(), seconds: wait / SECOND });
    // This router answered: stop soliciting its other link-local address (until the next round).
    const sib = entry.sibling && this.round.find((x) => x.entry === entry.sibling);
    if (sib) {
      sib.timer?.cancel();
      this.round = this.round.filter((x) => x !== sib);
      this.emit('debug', 'rs.sibling', ` (Not soliciting ${sib.entry.ll} anymore)`, { router: sib.entry.ll.toString() });
    }
    this.slaac?.advert(m.src, ra);
  }

  private stopRound(): void {
    for (const s of this.round) s.timer?.cancel();
    this.round = [];
  }

  /** The end of a round (DNS check or SIGHUP): re-resolve, prune, check the link, go on. */
  private endRound(): void {
    this.enter('rechecking');
    this.stopRound();
    this.stats.dnsChecks++;
    this.emit('debug', 'prl.recheck', 'Rechecking DNS entries for PRL');
    const e = this.epoch;
    this.fillPrl(() => {
      if (this.epoch !== e) return;
      for (const v4 of this.prl.prune()) {
        this.emit('debug', 'prl.removed', `Removing old PDR ${v4} from kernel`, { router: v4.toString() });
        this.tunnel?.removeRouter(v4);
        this.slaac?.forgetRouter(v4);
      }
      if (this.prl.size === 0) {
        this.removeTunnel(() => {
          if (this.epoch === e) this.begin();
        });
        return;
      }
      this.findSource((src) => {
        if (this.epoch !== e) return;
        if (!src || !this.saddr || src.value !== this.saddr.value) {
          this.emit('warning', 'link.change', 'Link change detected. Re-creating tunnel.');
          this.stats.linkChanges++;
          this.removeTunnel(() => {
            if (this.epoch === e) this.begin();
          });
          return;
        }
        this.startRound();
      });
    });
  }
}

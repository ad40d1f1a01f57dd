/**
 * The rtsold core: per-interface probing (IDLE, DELAY, PROBE, DOWN, TENTATIVE), RA acceptance,
 * the O flag and -O script, RDNSS/DNSSL kept per source and handed to the -R script, the -1 exit
 * rule and the state dump. It acts only through its ports.
 */
import type { Clock, Icmpv6Port, Icmpv6Received, InterfaceChange, InterfacePort, Log, LogLevel, Random, RouterProber, ScriptRunner, SysctlPort, Unsubscribe } from '../ports.js';
import type { Micros } from '../time.js';
import { Handlers } from '../handlers.js';
import { Ipv6Address } from '../wire/ipv6-address.js';
import { ND_OPTION_TYPE } from '../wire/icmpv6-types.js';
import type * as ra from '../wire/ndisc/router-advert.js';
import * as rs from '../wire/ndisc/router-solicit.js';
import type { RtsoldConfig } from './config.js';
import { MAX_RTR_SOLICITATIONS } from './constants.js';
import { newIfState, type IfState, type IfStatus } from './interface-state.js';
import { nextInterval } from './schedule.js';
import { checkRa, optionFault, type IgnoredOption } from '../wire/ndisc/validate.js';
import { RA_POLICY, dropMessage, type DropReason } from './ra-policy.js';
import { newStats, type RtsoldStats } from './stats.js';
import { DnsInfo, resolvText } from './dns-info.js';
import { dumpText } from './dump.js';
import { acceptsRa, autoprobe } from './autoprobe.js';

export interface RtsoldPorts {
  clock: Clock;
  random: Random;
  icmpv6: Icmpv6Port;
  interfaces: InterfacePort;
  scripts: ScriptRunner;
  log: Log;
  /** Needed for -F and for the accept_ra/forwarding warnings; optional elsewhere. */
  sysctl?: SysctlPort;
  /** -m: probes the default routers when a link comes back; without it, -m only re-solicits. */
  routers?: RouterProber;
}

/** A configuration rtsold cannot start with; the command exits 1 with this message. */
export class RtsoldError extends Error {
  override readonly name = 'RtsoldError';
}

interface Iface {
  ifi: IfState;
  dns: DnsInfo;
  dnsTimer?: ReturnType<Clock['at']>;
  /** Keys (`IF:slaac` or `IF:slaac:[src]`) whose script got data, for the later -d call. */
  announced: Set<string>;
}

const SLAAC = 'slaac';

export class Rtsold {
  private readonly ifaces = new Map<string, Iface>();
  private readonly subscriptions: Unsubscribe[] = [];
  private readonly doneHandlers = new Handlers();
  private finished = false;
  private running = false;
  readonly stats: RtsoldStats = newStats();

  constructor(
    readonly config: RtsoldConfig,
    private readonly ports: RtsoldPorts,
  ) {}

  /** Sets up every interface and starts probing. Throws RtsoldError for an interface it cannot use. */
  start(): void {
    const { config, ports } = this;
    const names = config.auto ? autoprobe(ports.interfaces.list(), ports.sysctl, config.forceSysctl) : config.interfaces;
    if (config.auto && names.length === 0) this.emit('warning', 'autoprobe.none', 'no interface found to probe');
    for (const name of names) {
      const info = ports.interfaces.byName(name);
      if (!info) {
        this.emit('error', 'interface.unknown', `failed to get link layer information for ${name}`);
        throw new RtsoldError(`failed to initialize ${name}`);
      }
      if (this.ifaces.has(name)) throw new RtsoldError(`interface ${name} was already configured`);
      this.checkSysctl(name);
      const ifi = newIfState(name, info.ifindex, info.mac, info.running);
      this.ifaces.set(name, { ifi, dns: new DnsInfo(), announced: new Set() });
      if (config.auto) this.emit('info', 'autoprobe.found', `probing ${name}`, { ifname: name });
    }
    this.running = true;
    this.subscriptions.push(ports.icmpv6.onMessage((m) => this.onMessage(m)));
    this.subscriptions.push(ports.interfaces.onChange((c) => this.onInterfaceChange(c)));
    for (const { ifi } of this.ifaces.values()) {
      this.setStatus(ifi, this.interfaceUp(ifi.ifname));
      this.timerUpdate(ifi);
    }
    this.checkDone();
  }

  /** Cancels every timer and subscription; rtsold does nothing after this. */
  stop(): void {
    this.running = false;
    for (const u of this.subscriptions.splice(0)) u();
    for (const f of this.ifaces.values()) {
      f.ifi.timer?.cancel();
      f.dnsTimer?.cancel();
    }
  }

  /** The SIGUSR1 state dump. */
  dump(): string {
    return dumpText(this.ifaces.values(), this.ports.clock.now());
  }

  /** With -1: called once every interface has an answer or gave up. */
  onDone(handler: () => void): void {
    if (this.finished) handler();
    else this.doneHandlers.add(handler);
  }

  get done(): boolean {
    return this.finished;
  }

  /** The interfaces rtsold runs on (named, or found by -a), in the order it set them up. */
  get interfaceNames(): string[] {
    return [...this.ifaces.keys()];
  }

  /** Read-only views of the per-interface state, for tests, the simulator and the dump. */
  interfaceState(name: string): Readonly<IfState> | undefined {
    return this.ifaces.get(name)?.ifi;
  }

  /** The resolvconf text rtsold would hand the -R script now for `name` (all sources). */
  resolvconfText(name: string): string {
    const f = this.ifaces.get(name);
    return f ? resolvText(f.dns.sources.values(), this.ports.clock.now()).text : '';
  }

  // ---------------------------------------------------------------------------------------------

  private emit(level: LogLevel, event: string, msg: string, fields?: Record<string, unknown>): void {
    this.ports.log.emit({ level, event, msg, fields });
  }

  /** -F sets accept_ra and clears forwarding; otherwise rtsold only warns about them. */
  private checkSysctl(ifname: string): void {
    const sysctl = this.ports.sysctl;
    if (!sysctl) return;
    if (this.config.forceSysctl) {
      sysctl.write(`net.ipv6.conf.${ifname}.forwarding`, '0');
      sysctl.write(`net.ipv6.conf.${ifname}.accept_ra`, '1');
      return;
    }
    const forwarding = sysctl.read(`net.ipv6.conf.${ifname}.forwarding`);
    const acceptRa = sysctl.read(`net.ipv6.conf.${ifname}.accept_ra`);
    if (forwarding === '1' && acceptRa !== '2') {
      this.emit('warning', 'sysctl.router', `kernel is configured as a router, not a host (${ifname})`, { ifname });
    }
    if (!acceptsRa(sysctl, ifname)) {
      this.emit('warning', 'sysctl.accept_ra', `kernel is configured not to accept RAs (${ifname})`, { ifname });
    }
  }

  /** FreeBSD's interface_up: DELAY when usable, TENTATIVE while the link-local address is, else DOWN. */
  private interfaceUp(ifname: string): IfStatus {
    const info = this.ports.interfaces.byName(ifname);
    if (!info || !info.up) return 'DOWN';
    const ll = info.ipv6.filter((a) => a.address.isLinkLocal);
    if (ll.length === 0 || ll.every((a) => a.tentative)) return 'TENTATIVE';
    return 'DELAY';
  }

  private setStatus(ifi: IfState, status: IfStatus): void {
    if (status === 'DELAY' && ifi.status !== 'DELAY') {
      ifi.cycles++;
      ifi.probes = 0;
      ifi.backoffRt = undefined;
    }
    if (ifi.status !== status) this.emit('debug', 'state', `${ifi.ifname}: ${ifi.status} -> ${status}`, { ifname: ifi.ifname, from: ifi.status, to: status });
    ifi.status = status;
  }

  private timerUpdate(ifi: IfState): void {
    ifi.timer?.cancel();
    ifi.timer = undefined;
    const interval = nextInterval(ifi, this.config.backoff, this.config.mobility, this.ports.random);
    ifi.interval = interval;
    if (interval === undefined) {
      ifi.expire = undefined;
      this.emit('debug', 'timer.stop', `stop timer for ${ifi.ifname}`, { ifname: ifi.ifname });
      return;
    }
    ifi.expire = this.ports.clock.now() + interval;
    ifi.timer = this.ports.clock.at(ifi.expire, () => this.onTimer(ifi));
  }

  private onTimer(ifi: IfState): void {
    ifi.timer = undefined;
    switch (ifi.status) {
      case 'DOWN':
      case 'TENTATIVE':
        this.setStatus(ifi, this.interfaceUp(ifi.ifname));
        break;
      case 'IDLE': {
        const was = ifi.active;
        ifi.active = this.ports.interfaces.byName(ifi.ifname)?.running ?? false;
        if (was !== ifi.active) {
          this.emit('debug', 'link.changed', `${ifi.ifname} status is changed from ${was ? 1 : 0} to ${ifi.active ? 1 : 0}`, { ifname: ifi.ifname, active: ifi.active });
          this.setStatus(ifi, 'DELAY');
          // A new probe cycle: the link may be a different network now.
          ifi.otherconfig = false;
          if (ifi.active && this.config.mobility) this.probeDefaultRouters(ifi);
        }
        break;
      }
      case 'DELAY':
        this.setStatus(ifi, 'PROBE');
        this.sendRs(ifi);
        break;
      case 'PROBE':
        if (this.config.backoff === 'rfc7559' || ifi.probes < MAX_RTR_SOLICITATIONS) {
          this.sendRs(ifi);
        } else {
          this.emit('info', 'rs.gave-up', `No answer after sending ${ifi.probes} RSs`, { ifname: ifi.ifname, probes: ifi.probes });
          ifi.probes = 0;
          this.setStatus(ifi, 'IDLE');
        }
        break;
    }
    this.timerUpdate(ifi);
    this.checkDone();
  }

  /** The routers we had may be gone with the old network: make the kernel check them now. */
  private probeDefaultRouters(ifi: IfState): void {
    const prober = this.ports.routers;
    if (!prober) return;
    prober.defaultRouters(ifi.ifindex, (routers) => {
      if (!this.running || this.ifaces.get(ifi.ifname)?.ifi !== ifi) return;
      for (const router of routers) {
        this.emit('debug', 'router.probe', `probe a router ${router} on ${ifi.ifname}`, { ifname: ifi.ifname, router: router.toString() });
        prober.probe(ifi.ifindex, router);
        this.stats.routerProbes++;
      }
    });
  }

  private sendRs(ifi: IfState): void {
    const options = ifi.mac ? [{ kind: 'source-lla' as const, address: ifi.mac }] : [];
    const message = rs.encode({ kind: 'router-solicit', options });
    this.ports.icmpv6.send({ ifindex: ifi.ifindex, dst: Ipv6Address.ALL_ROUTERS, message });
    ifi.probes++;
    ifi.rsSent++;
    this.stats.rsSent++;
    this.emit('debug', 'rs.sent', `send RS on ${ifi.ifname}, whose state is ${ifi.status}`, { ifname: ifi.ifname, probe: ifi.probes });
  }

  private onInterfaceChange(c: InterfaceChange): void {
    if (c.kind !== 'removed') return;
    const f = this.ifaces.get(c.name);
    if (!f) return;
    f.ifi.timer?.cancel();
    f.dnsTimer?.cancel();
    this.ifaces.delete(c.name);
    this.emit('notice', 'interface.removed', `interface ${c.name} removed`, { ifname: c.name });
    this.checkDone();
  }

  private ifnameOf(ifindex: number): string | undefined {
    for (const f of this.ifaces.values()) if (f.ifi.ifindex === ifindex) return f.ifi.ifname;
    return undefined;
  }

  private onMessage(m: Icmpv6Received): void {
    if (!this.running) return;
    const ifname = this.ifnameOf(m.ifindex);
    const v = checkRa(m, RA_POLICY, { onInterface: ifname !== undefined });
    if (!v.ok) {
      const reason = v.problems[0].reason as DropReason;
      const on = ifname ?? this.ports.interfaces.byIndex(m.ifindex)?.name ?? `#${m.ifindex}`;
      this.stats.raDropped[reason]++;
      this.emit(reason === 'unexpected-interface' ? 'debug' : 'info', 'ra.dropped', dropMessage(reason, m, on), { reason, src: m.src.toString() });
      return;
    }
    const f = this.ifaces.get(ifname!)!;
    const ifi = f.ifi;
    const advert = v.ra;
    this.stats.raAccepted++;
    this.optionsLeftOut(v.ignored, m.src);
    this.emit('debug', 'ra.received', `received RA from ${m.src} on ${ifi.ifname}, state is ${ifi.status}`, { ifname: ifi.ifname, src: m.src.toString() });

    if (advert.other && !ifi.otherconfig) {
      this.emit('debug', 'ra.other', `OtherConfigFlag on ${ifi.ifname} is turned on`, { ifname: ifi.ifname });
      ifi.otherconfig = true;
      if (this.config.otherScript) this.runScript(this.config.otherScript, [ifi.ifname]);
    }

    this.takeDnsOptions(f, advert, m.src);
    this.dnsUpdate(f);
    ifi.racnt++;

    // FreeBSD leaves DELAY alone here ("right?" in its source) and then sends RSs the RA already
    // answered; linklab ends the cycle in DELAY as in PROBE.
    if (ifi.status === 'PROBE' || ifi.status === 'DELAY') {
      this.setStatus(ifi, 'IDLE');
      ifi.probes = 0;
      ifi.backoffRt = undefined;
      this.timerUpdate(ifi);
    }
    this.checkDone();
  }

  private takeDnsOptions(f: Iface, advert: ra.RouterAdvert, src: Ipv6Address): void {
    const now = this.ports.clock.now();
    const ifname = f.ifi.ifname;
    for (const o of advert.options) {
      switch (o.kind) {
        case 'rdnss':
          for (const s of o.servers) {
            f.dns.update(src, 'rdnss', s.isLinkLocal ? `${s}%${ifname}` : s.toString(), o.lifetime, now);
          }
          break;
        case 'dnssl':
          for (const d of o.domains) f.dns.update(src, 'dnssl', d, o.lifetime, now);
          break;
        case 'malformed': {
          const type = o.bytes[0];
          const fault = optionFault(o);
          if (fault === 'length-zero') {
            this.stats.optionsIgnored['length-zero']++;
            this.emit('info', 'ra.option', 'invalid option length 0.');
          } else if (fault === 'overrun') {
            this.stats.optionsIgnored.overrun++;
            this.emit('info', 'ra.option', 'option length overflow.');
          } else if (type === ND_OPTION_TYPE.rdnss) {
            this.stats.optionsIgnored['rdnss-too-short']++;
            this.emit('info', 'ra.option', `too short RDNSS option in RA from ${src} was ignored.`, { detail: o.error.message });
          } else if (type === ND_OPTION_TYPE.dnssl) {
            const short = fault === 'length';
            this.stats.optionsIgnored[short ? 'dnssl-too-short' : 'bad-name']++;
            this.emit('info', 'ra.option', short ? `too short DNSSL option in RA from ${src} was ignored.` : `invalid DNSSL option in RA from ${src} was ignored.`, { detail: o.error.message });
          }
          break;
        }
        default:
          break;
      }
    }
  }

  /** Options the limits left out of an accepted RA: each counted, one debug line per RA (sd-ndisc logs them at debug too). */
  private optionsLeftOut(ignored: readonly IgnoredOption[], src: Ipv6Address): void {
    if (ignored.length === 0) return;
    for (const x of ignored) this.stats.optionsIgnored[x.reason]++;
    const repeated = ignored.filter((x) => x.reason === 'duplicate-option').length;
    this.emit('debug', 'ra.option', `${ignored.length} options in RA from ${src} were ignored (${repeated} repeated, ${ignored.length - repeated} past the 128th).`, { repeated, tooMany: ignored.length - repeated });
  }

  /** FreeBSD's ra_opt_handler: hand the live set to the -R script, per interface or per source (-u). */
  private dnsUpdate(f: Iface): void {
    const now = this.ports.clock.now();
    const ifname = f.ifi.ifname;
    for (const e of f.dns.expire(now)) this.emit('info', 'dns.expired', `expired ${e.kind} entry: ${e.text}`, { ifname });
    if (this.config.perSource) {
      for (const src of f.dns.sources.values()) {
        if (!src.address.isLinkLocal) continue; // make_rsid refuses non-link-local sources
        this.dispatch(f, `${ifname}:${SLAAC}:[${src.address}]`, resolvText([src], now));
      }
    } else {
      this.dispatch(f, `${ifname}:${SLAAC}`, resolvText(f.dns.sources.values(), now));
    }
    for (const [key, src] of f.dns.sources) if (src.entries.length === 0) f.dns.sources.delete(key);
    this.scheduleDnsExpiry(f);
  }

  private dispatch(f: Iface, rsid: string, r: { text: string; skipped: string[] }): void {
    for (const s of r.skipped) this.emit('info', 'dns.skipped', s, { ifname: f.ifi.ifname });
    if (r.text !== '') {
      f.announced.add(rsid);
      this.runScript(this.config.resolvScript, ['-a', rsid], r.text);
    } else if (f.announced.delete(rsid)) {
      this.runScript(this.config.resolvScript, ['-d', rsid]);
    }
  }

  private scheduleDnsExpiry(f: Iface): void {
    f.dnsTimer?.cancel();
    f.dnsTimer = undefined;
    const next = f.dns.nextExpiry();
    if (next === undefined) return;
    f.dnsTimer = this.ports.clock.at(next as Micros, () => {
      f.dnsTimer = undefined;
      this.dnsUpdate(f);
    });
  }

  private runScript(path: string, args: string[], stdin?: string): void {
    this.stats.scriptsRun++;
    this.emit('debug', 'script.run', `executes ${path} ${args.join(' ')}`, { path, args, stdin });
    this.ports.scripts.run({ path, args, stdin }, (code, error) => {
      if (error) this.emit('error', 'script.failed', `failed to run ${path}: ${error}`, { path });
      else this.emit('debug', 'script.status', `script "${path}" status ${code}`, { path, status: code });
    });
  }

  /** -1: done when every interface that is not down has had a valid RA, or no timer is left. */
  private checkDone(): void {
    if (!this.config.once || this.finished || !this.running) return;
    const states = [...this.ifaces.values()].map((f) => f.ifi);
    const noTimers = states.every((i) => i.timer === undefined);
    const allAnswered = states.every((i) => i.status === 'DOWN' || i.racnt > 0);
    if (!noTimers && !allAnswered) return;
    this.finished = true;
    this.doneHandlers.drain();
  }
}

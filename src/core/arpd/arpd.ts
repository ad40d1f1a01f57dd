/**
 * The arpd core: learns IPv4-to-MAC bindings from ARP traffic and the kernel's neighbour
 * notifications, answers the kernel's resolution requests (app_solicit) from its database, keeps
 * negative entries for dead hosts, and sends rate-limited broadcast queries of its own with -a.
 */
import type { Clock, FrameOpener, FramePort, InterfaceChange, Log, LogLevel, NeighborEntry, NeighborPort, NeighborState, InterfacePort, Store, SysctlPort, Timer, Unsubscribe, WallClock } from '../ports.js';
import { SECOND } from '../time.js';
import type { Ipv4Address } from '../wire/ipv4-address.js';
import { MacAddress } from '../wire/mac-address.js';
import * as ethernet from '../wire/ethernet.js';
import * as arp from '../wire/arp.js';
import { sysctlValues, type ArpdConfig } from './config.js';
import { ArpdError } from './errors.js';
import { learnsOn } from './interfaces.js';
import { ArpDatabase } from './database.js';
import { TokenBucket } from './token-bucket.js';
import { lessonOf } from './learn.js';
import { newStats, statsLines, type ArpdStats } from './stats.js';

export interface ArpdPorts {
  clock: Clock;
  wall: WallClock;
  log: Log;
  store: Store;
  /** One port per watched interface (every Ethernet interface when none was named). */
  frames: FramePort[];
  /** With no interface named: opens ports on Ethernet interfaces that appear later. */
  openFrames?: FrameOpener;
  neighbors: NeighborPort;
  interfaces: InterfacePort;
  /** Needed only when interfaces are named (app_solicit, mcast_solicit). */
  sysctl?: SysctlPort;
}

export { ArpdError };

export class Arpd {
  readonly stats: ArpdStats = newStats();
  readonly db: ArpDatabase;
  private readonly bucket: TokenBucket;
  private readonly handled = new Set<number>();
  /** Watched interfaces' ports; `owned`: opened by this core (a later interface), so closed by it. */
  private readonly byIfindex = new Map<number, { port: FramePort; unsubscribe: Unsubscribe; owned: boolean }>();
  /** Interfaces whose port is being opened (all-interfaces mode). */
  private readonly opening = new Set<number>();
  private readonly subscriptions: Unsubscribe[] = [];
  private syncTimer?: Timer;
  private sysctlAdjusted = false;
  private running = false;

  constructor(
    readonly config: ArpdConfig,
    private readonly ports: ArpdPorts,
  ) {
    this.db = new ArpDatabase(ports.store, { maxEntries: config.maxEntries, expireAfter: config.expireAfter });
    this.bucket = new TokenBucket(config.rate, config.burst);
  }

  start(): void {
    const { ports, config } = this;
    for (const name of config.interfaces) {
      const info = ports.interfaces.byName(name);
      if (!info) throw new ArpdError(`ioctl(SIOCGIFINDEX): No such device (${name})`);
      this.handled.add(info.ifindex);
    }
    for (const port of ports.frames) this.attach(port, false);
    if (config.interfaces.length === 0 && ports.openFrames) {
      const opener = ports.openFrames;
      this.subscriptions.push(ports.interfaces.onChange((c) => this.onInterface(c, opener)));
    }
    this.subscriptions.push(ports.neighbors.onRequest((r) => this.onKernelRequest(r.ifindex, r.ip, r.state)));
    this.subscriptions.push(ports.neighbors.onChange((e) => this.onKernelEntry(e)));
    this.subscriptions.push(
      ports.neighbors.onResync((entries) => {
        this.emit('notice', 'netlink.resync', `neighbour events were lost; re-read ${entries.length} kernel entries`);
        for (const e of entries) this.onKernelEntry({ ...e, removed: false });
      }),
    );
    this.running = true;
    // As the original: mirror the kernel's table first, then start real resolution.
    ports.neighbors.dump((entries) => {
      if (!this.running) return;
      for (const e of entries) this.onKernelEntry({ ...e, removed: false });
      this.db.sync();
      this.adjustSysctls();
    });
    this.scheduleSync();
  }

  /** Syncs, puts the sysctls back and stops; SIGINT/SIGTERM. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.syncTimer?.cancel();
    for (const u of this.subscriptions.splice(0)) u();
    for (const ifindex of [...this.byIfindex.keys()]) this.detach(ifindex);
    this.sync();
    if (this.sysctlAdjusted) this.ports.sysctl?.restore();
  }

  /** Makes everything learned so far durable (every -p seconds, and on SIGHUP/SIGUSR1). */
  sync(): void {
    const expired = this.db.expire(this.ports.wall.epochSeconds());
    if (expired > 0) this.emit('info', 'db.expired', `expired ${expired} entries`);
    this.db.sync();
  }

  statsLines(): [string, string] {
    return statsLines(this.stats);
  }

  // ---------------------------------------------------------------------------------------------

  private emit(level: LogLevel, event: string, msg: string, fields?: Record<string, unknown>): void {
    this.ports.log.emit({ level, event, msg, fields });
  }

  private handles(ifindex: number): boolean {
    return this.handled.size === 0 || this.handled.has(ifindex);
  }

  private attach(port: FramePort, owned: boolean): void {
    this.byIfindex.set(port.ifindex, { port, owned, unsubscribe: port.onFrame((frame) => this.onFrame(port.ifindex, frame)) });
  }

  /** Stops watching an interface; whether it was watched. */
  private detach(ifindex: number): boolean {
    const held = this.byIfindex.get(ifindex);
    if (!held) return false;
    held.unsubscribe();
    this.byIfindex.delete(ifindex);
    if (held.owned) held.port.close();
    return true;
  }

  /** All-interfaces mode: an Ethernet interface that appears gets a port; one that goes, loses it. */
  private onInterface(c: InterfaceChange, opener: FrameOpener): void {
    if (!this.running) return;
    if (c.kind === 'removed') {
      if (!this.detach(c.ifindex)) return;
      this.emit('info', 'interface.removed', `${c.name} is gone; no longer watching it`, { ifindex: c.ifindex });
      return;
    }
    const info = c.info;
    if (!learnsOn(info) || this.byIfindex.has(info.ifindex) || this.opening.has(info.ifindex)) return;
    this.opening.add(info.ifindex);
    opener.open(info.name, (port, error) => {
      this.opening.delete(info.ifindex);
      if (!port) {
        this.emit('warning', 'interface.open-failed', `cannot watch ${info.name}: ${error ?? 'no socket'}`, { ifindex: info.ifindex });
        return;
      }
      // Stopped meanwhile, gone meanwhile, or the name now belongs to an interface already watched.
      if (!this.running || !this.ports.interfaces.byIndex(port.ifindex) || this.byIfindex.has(port.ifindex)) {
        port.close();
        return;
      }
      this.attach(port, true);
      this.emit('info', 'interface.added', `watching ${port.ifname} (index ${port.ifindex}), which appeared after start`, { ifindex: port.ifindex });
    });
  }

  private scheduleSync(): void {
    const period = Math.max(1, Math.round(this.config.pollInterval * SECOND));
    this.syncTimer = this.ports.clock.at(this.ports.clock.now() + period, () => {
      if (!this.running) return;
      this.sync();
      this.scheduleSync();
    });
  }

  private adjustSysctls(): void {
    const sysctl = this.ports.sysctl;
    if (!sysctl || this.config.interfaces.length === 0) return;
    const values = sysctlValues(this.config);
    for (const name of this.config.interfaces) {
      if (values.mcast_solicit !== undefined) sysctl.write(`net.ipv4.neigh.${name}.mcast_solicit`, values.mcast_solicit);
      sysctl.write(`net.ipv4.neigh.${name}.app_solicit`, values.app_solicit);
    }
    this.sysctlAdjusted = true;
  }

  private onFrame(ifindex: number, frame: Uint8Array): void {
    if (!this.handles(ifindex)) return;
    const lesson = lessonOf(frame);
    if (!lesson.ok) {
      if (lesson.why !== 'not ARP') this.stats.arpIgnored++;
      return;
    }
    const r = this.db.putPositive(ifindex, lesson.ip, lesson.mac, this.ports.wall.epochSeconds());
    if (r === 'new') this.stats.arpNew++;
    else if (r === 'changed') this.stats.arpChange++;
  }

  /** The kernel has no usable entry and asks (RTM_GETNEIGH). */
  private onKernelRequest(ifindex: number, ip: Ipv4Address, state: NeighborState): void {
    if (!this.running || !this.handles(ifindex)) return;
    if (state !== 'probe' && state !== 'incomplete') {
      this.stats.appBad++;
      return;
    }
    const entry = this.db.get(ifindex, ip);
    const now = this.ports.wall.epochSeconds();
    let account = false;
    if (state === 'probe') {
      // Unicast probing failed: the host died or changed its MAC. Forget what we knew.
      if (entry?.kind === 'positive') this.stats.appNeg++;
      this.db.delete(ifindex, ip);
    } else {
      this.stats.appRecv++;
      if (entry?.kind === 'positive') {
        this.stats.appSuccess++;
        this.ports.neighbors.install({ ifindex, ip, mac: entry.mac, state: 'stale' });
        this.emit('debug', 'request.answered', `told the kernel ${ip} is at ${entry.mac}`, { ifindex, ip: ip.toString() });
        return;
      }
      if (entry?.kind === 'negative' && now - entry.since < this.config.negativeTimeout) {
        if (entry.probes >= this.config.activeProbes) {
          this.stats.appSuppressed++;
          this.emit('debug', 'request.suppressed', `${ip} is dead (negative entry ${now - entry.since}s old); not asking again`, { ifindex, ip: ip.toString() });
          return;
        }
        account = true;
      }
    }
    if (this.config.activeProbes === 0) return;
    // A look at the bucket first, so a storm of misses costs no route lookups; the token itself is
    // taken as the query goes out, so B + R*T holds on the wire however long a lookup took.
    if (!this.bucket.available(this.ports.clock.now())) return this.rateLimited(ifindex, ip);
    this.sendProbe(ifindex, ip, () => {
      const now = this.db.get(ifindex, ip);
      if (account && now?.kind === 'negative') this.db.putNegative(ifindex, ip, now.probes + 1, now.since);
    });
  }

  private rateLimited(ifindex: number, ip: Ipv4Address): void {
    this.stats.probesSuppressed++;
    this.emit('debug', 'probe.ratelimited', `not querying ${ip}: broadcast rate limit`, { ifindex, ip: ip.toString() });
  }

  /** A broadcast ARP request for `ip`, from the address the kernel would use to reach it. */
  private sendProbe(ifindex: number, ip: Ipv4Address, sent: () => void): void {
    const port = this.byIfindex.get(ifindex)?.port;
    if (!port) return;
    this.ports.interfaces.routeSource(ip, (src) => {
      if (!this.running) return;
      const info = this.ports.interfaces.byIndex(ifindex);
      const sender = src ?? info?.ipv4[0]?.address;
      if (!sender) {
        this.emit('warning', 'probe.no-source', `no IPv4 address on ${port.ifname} to query ${ip} from`);
        return;
      }
      if (!this.bucket.take(this.ports.clock.now())) return this.rateLimited(ifindex, ip);
      this.stats.probesSent++;
      sent();
      const payload = arp.encode({
        form: 'ethernet-ipv4',
        hardwareType: arp.HTYPE_ETHERNET,
        op: arp.OP_REQUEST,
        senderMac: port.mac,
        senderIp: sender,
        targetMac: MacAddress.BROADCAST,
        targetIp: ip,
      });
      port.send(ethernet.encode({ dst: MacAddress.BROADCAST, src: port.mac, etherType: ethernet.ETHERTYPE_ARP, payload }));
      this.emit('debug', 'probe.sent', `who-has ${ip} tell ${sender} on ${port.ifname}`, { ifindex, ip: ip.toString() });
    });
  }

  /** The kernel created or changed an entry (RTM_NEWNEIGH), or said one failed. */
  private onKernelEntry(e: NeighborEntry & { removed: boolean }): void {
    if (e.removed || !this.handles(e.ifindex) || e.state === 'noarp' || e.state === 'none') return;
    const now = this.ports.wall.epochSeconds();
    if (e.state === 'failed') {
      const old = this.db.get(e.ifindex, e.ip);
      if (!old || old.kind === 'positive' || now - old.since >= this.config.negativeTimeout) {
        this.stats.kernNeg++;
        this.db.putNegative(e.ifindex, e.ip, 0, now);
        this.emit('debug', 'negative.recorded', `the kernel could not resolve ${e.ip}: negative entry`, { ifindex: e.ifindex, ip: e.ip.toString() });
      }
      return;
    }
    if (!e.mac) return;
    const r = this.db.putPositive(e.ifindex, e.ip, e.mac, now);
    if (r === 'new') this.stats.kernNew++;
    else if (r === 'changed') this.stats.kernChange++;
  }
}

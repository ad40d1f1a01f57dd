/**
 * Linux's neighbour state machine (net/core/neighbour.c), shared by ARP and IPv6 ND as in the
 * kernel: NONE -> INCOMPLETE -> REACHABLE -> STALE -> DELAY -> PROBE -> FAILED, with its probe
 * accounting (ucast_solicit, app_solicit, mcast_solicit, mcast_resolicit), its timers
 * (retrans_time, delay_first_probe_time, a reachable time drawn from base_reachable_time) and its
 * update rules (override, weak override, "same address and STALE keeps the state").
 *
 * The protocol side (how to solicit, how to ask userspace) is given as hooks, so the table knows
 * nothing about frames. Entries only hold a timer while they are in a timed state.
 */
import type { Clock, Random, Timer } from '../../../../core/ports.js';
import type { Micros } from '../../../../core/time.js';
import { MILLISECOND, SECOND } from '../../../../core/time.js';
import type { MacAddress } from '../../../../core/wire/mac-address.js';

export type NudState = 'none' | 'incomplete' | 'reachable' | 'stale' | 'delay' | 'probe' | 'failed' | 'noarp' | 'permanent';

/** States with a usable link-layer address (NUD_VALID). */
export function isValid(s: NudState): boolean {
  return s === 'reachable' || s === 'stale' || s === 'delay' || s === 'probe' || s === 'permanent' || s === 'noarp';
}

/** States whose reachability is confirmed (NUD_CONNECTED). */
export function isConnected(s: NudState): boolean {
  return s === 'reachable' || s === 'permanent' || s === 'noarp';
}

function inTimer(s: NudState): boolean {
  return s === 'incomplete' || s === 'reachable' || s === 'delay' || s === 'probe';
}

/** The per-interface tunables, read when needed (sysctl writes take effect at once). */
export interface NudParams {
  ucastProbes: number;
  mcastProbes: number;
  appProbes: number;
  mcastReprobes: number;
  retransTime: Micros;
  baseReachableTime: Micros;
  delayProbeTime: Micros;
  unresQlen: number;
}

export interface NeighEntry<A> {
  readonly ip: A;
  mac: MacAddress | undefined;
  state: NudState;
  /** Solicitations sent in this INCOMPLETE/PROBE round (starts at ucastProbes for INCOMPLETE). */
  probes: number;
  confirmed: Micros;
  used: Micros;
  updated: Micros;
  isRouter: boolean;
  timer: Timer | undefined;
  /** Packets waiting for the address; each sends itself to the MAC it is given. */
  queue: Array<(mac: MacAddress) => void>;
}

export interface NeighborHooks<A> {
  /** The map key of an address (its integer for IPv4). */
  key(a: A): string | number;
  params(): NudParams;
  /** Sends a solicitation: unicast to `mac` when given, else to the broadcast/solicited-node address. */
  solicit(ip: A, mac: MacAddress | undefined): void;
  /** Asks the userspace helper to resolve `ip` (RTM_GETNEIGH; app_solicit > 0). */
  appRequest(ip: A, state: NudState): void;
  /** An entry changed state or address, or was removed. */
  changed(e: NeighEntry<A>, removed: boolean): void;
  /** Queued packets were dropped because resolution failed. */
  unreachable?(ip: A, dropped: number): void;
}

export interface UpdateFlags {
  /** Replace a different cached address (NEIGH_UPDATE_F_OVERRIDE). */
  override?: boolean;
  /** A different address on a connected entry makes it STALE instead of being ignored. */
  weakOverride?: boolean;
  /** From an administrator or helper (netlink): may change PERMANENT/NOARP, STALE is taken as given. */
  admin?: boolean;
  /** Create the entry when it does not exist. */
  create?: boolean;
  isRouter?: boolean;
}

export class NeighborTable<A> {
  private readonly entries = new Map<string | number, NeighEntry<A>>();
  /**
   * One bit per (numeric key & 31) present: a key whose bit is clear is surely absent, which lets a
   * receive path rule out an entry without touching the map. Given to `onKeys` when it changes.
   */
  private keyBits = 0;
  private reachable = { time: 0, drawnAt: -Infinity, base: -1 };

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly hooks: NeighborHooks<A>,
    private readonly onKeys?: (bits: number) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  lookup(ip: A): NeighEntry<A> | undefined {
    return this.entries.get(this.hooks.key(ip));
  }

  /** Whether an entry exists for the address whose key is `key` (no address object needed). */
  hasKey(key: string | number): boolean {
    return this.entries.has(key);
  }

  list(): NeighEntry<A>[] {
    return [...this.entries.values()];
  }

  /**
   * The reachable time: uniform in [base/2, 3*base/2), drawn again every 300 s or when the base
   * changes (neigh_rand_reach_time and neigh_periodic_work).
   */
  reachableTime(): Micros {
    const base = this.hooks.params().baseReachableTime;
    const now = this.clock.now();
    if (base !== this.reachable.base || now - this.reachable.drawnAt >= 300 * SECOND) {
      this.reachable = { time: Math.floor(base / 2 + this.random.next() * base), drawnAt: now, base };
    }
    return this.reachable.time;
  }

  /**
   * A packet must go to `ip` (neigh_resolve_output): sends it at once when an address is known,
   * queues it and starts resolution otherwise. Returns false when it was dropped.
   */
  output(ip: A, send: (mac: MacAddress) => void): boolean {
    let e = this.lookup(ip);
    if (e === undefined) {
      e = this.create(ip);
    }
    // Connected entries take the fast path, which (as in Linux) does not touch `used`.
    if (isConnected(e.state)) {
      send(e.mac!);
      return true;
    }
    const now = this.clock.now();
    e.used = now;
    const p = this.hooks.params();
    if (e.state === 'none' || e.state === 'failed') {
      if (!this.resolve(e, p)) return false;
      this.enqueue(e, send, p);
      this.probe(e);
      return true;
    }
    if (e.state === 'incomplete') {
      this.enqueue(e, send, p);
      return true;
    }
    if (e.state === 'stale') {
      e.updated = now;
      this.setState(e, 'delay');
      this.arm(e, now + p.delayProbeTime);
    }
    send(e.mac!);
    return true;
  }

  /** Starts a resolution round (INCOMPLETE); false when no probe may be sent, so it FAILED at once. */
  private resolve(e: NeighEntry<A>, p: NudParams): boolean {
    const now = this.clock.now();
    e.updated = now;
    if (p.mcastProbes + p.appProbes === 0) {
      this.setState(e, 'failed');
      return false;
    }
    e.probes = p.ucastProbes;
    this.setState(e, 'incomplete');
    this.arm(e, now + Math.max(p.retransTime, 10 * MILLISECOND));
    return true;
  }

  /** Upper-layer proof of reachability (a TCP ACK, MSG_CONFIRM): neigh_confirm. */
  confirm(ip: A): void {
    const e = this.lookup(ip);
    if (e) e.confirmed = this.clock.now();
  }

  /**
   * Evidence from the wire or from userspace (neigh_update). Returns the entry, or undefined when
   * it did not exist and `create` was not set.
   */
  update(ip: A, mac: MacAddress | undefined, next: NudState, flags: UpdateFlags = {}): NeighEntry<A> | undefined {
    let e = this.lookup(ip);
    if (e === undefined) {
      if (!flags.create) return undefined;
      e = this.create(ip);
    }
    const now = this.clock.now();
    const old = e.state;
    if (!flags.admin && (old === 'noarp' || old === 'permanent')) return e;
    if (next === 'none') {
      this.drop(e);
      return undefined;
    }
    if (next === 'incomplete') {
      // Asked to resolve (Linux's NTF_USE): a round starts unless an address is already known.
      if (!isValid(old) && old !== 'incomplete' && this.resolve(e, this.hooks.params())) this.probe(e);
      return e;
    }
    let state: NudState = next;
    if (!isValid(state)) {
      this.disarm(e);
      e.state = state;
      if (state !== old) this.hooks.changed(e, false);
      if ((old === 'incomplete' || old === 'probe') && state === 'failed') this.invalidate(e);
      return e;
    }
    let lladdr = mac;
    if (lladdr === undefined) {
      if (!isValid(old)) return e;
      lladdr = e.mac;
    } else if (isValid(old) && e.mac !== undefined && e.mac.equals(lladdr)) {
      lladdr = e.mac;
    }
    if (isConnected(state)) e.confirmed = now;
    if (isValid(old)) {
      const differs = e.mac === undefined || !lladdr!.equals(e.mac);
      if (differs && !flags.override) {
        if (flags.weakOverride && isConnected(old)) {
          lladdr = e.mac;
          state = 'stale';
        } else {
          return e;
        }
      } else if (!differs && state === 'stale' && !flags.admin) {
        state = old;
      }
    }
    const macChanged = e.mac === undefined || !lladdr!.equals(e.mac);
    if (state !== old || macChanged) e.updated = now;
    if (flags.isRouter !== undefined) e.isRouter = flags.isRouter;
    if (macChanged) {
      e.mac = lladdr;
      if (!isConnected(state)) e.confirmed = now - 2 * this.hooks.params().baseReachableTime;
    }
    if (state !== old) {
      this.disarm(e);
      if (state === 'probe') e.probes = 0;
      e.state = state;
      if (inTimer(state)) this.arm(e, now + (state === 'reachable' ? this.reachableTime() : 0));
    }
    if (state !== old || macChanged) this.hooks.changed(e, false);
    if (state !== old && !isValid(old)) this.flushQueue(e);
    return e;
  }

  /** Deletes an entry (RTM_DELNEIGH); queued packets are dropped. */
  remove(ip: A): boolean {
    const e = this.lookup(ip);
    if (!e) return false;
    this.drop(e);
    return true;
  }

  /** Drops every entry but PERMANENT and NOARP ones (neigh_carrier_down). */
  flush(): void {
    for (const e of this.list()) if (e.state !== 'permanent' && e.state !== 'noarp') this.drop(e);
  }

  /** Cancels every timer (the node crashed or the interface went away). */
  destroy(): void {
    for (const e of this.entries.values()) this.disarm(e);
    this.entries.clear();
    this.keyBits = 0;
    this.onKeys?.(0);
  }

  private create(ip: A): NeighEntry<A> {
    const now = this.clock.now();
    const e: NeighEntry<A> = {
      ip,
      mac: undefined,
      state: 'none',
      probes: 0,
      confirmed: now - 2 * this.hooks.params().baseReachableTime,
      used: now,
      updated: now,
      isRouter: false,
      timer: undefined,
      queue: [],
    };
    const k = this.hooks.key(ip);
    this.entries.set(k, e);
    if (typeof k === 'number' && this.onKeys) {
      this.keyBits |= 1 << (k & 31);
      this.onKeys(this.keyBits);
    }
    return e;
  }

  private drop(e: NeighEntry<A>): void {
    this.disarm(e);
    e.queue.length = 0;
    this.entries.delete(this.hooks.key(e.ip));
    if (this.onKeys) {
      let bits = 0;
      for (const k of this.entries.keys()) if (typeof k === 'number') bits |= 1 << (k & 31);
      this.keyBits = bits;
      this.onKeys(bits);
    }
    this.hooks.changed(e, true);
  }

  private setState(e: NeighEntry<A>, s: NudState): void {
    if (e.state === s) return;
    e.state = s;
    this.hooks.changed(e, false);
  }

  private enqueue(e: NeighEntry<A>, send: (mac: MacAddress) => void, p: NudParams): void {
    e.queue.push(send);
    while (e.queue.length > Math.max(1, p.unresQlen)) e.queue.shift();
  }

  private flushQueue(e: NeighEntry<A>): void {
    const q = e.queue.splice(0);
    for (const send of q) {
      if (!isValid(e.state)) break;
      this.output(e.ip, send);
    }
  }

  private invalidate(e: NeighEntry<A>): void {
    const dropped = e.queue.length;
    e.queue.length = 0;
    this.hooks.unreachable?.(e.ip, dropped);
  }

  private maxProbes(e: NeighEntry<A>, p: NudParams): number {
    return p.ucastProbes + p.appProbes + (e.state === 'probe' ? p.mcastReprobes : p.mcastProbes);
  }

  /** One solicitation (neigh_probe + arp_solicit/ndisc_solicit): unicast, then userspace, then multicast. */
  private probe(e: NeighEntry<A>): void {
    const p = this.hooks.params();
    let n = e.probes;
    e.probes++;
    n -= p.ucastProbes;
    if (n < 0) {
      this.hooks.solicit(e.ip, e.mac);
      return;
    }
    n -= p.appProbes;
    if (n < 0) {
      this.hooks.appRequest(e.ip, e.state);
      return;
    }
    this.hooks.solicit(e.ip, undefined);
  }

  private arm(e: NeighEntry<A>, at: Micros): void {
    this.disarm(e);
    e.timer = this.clock.at(at, () => {
      e.timer = undefined;
      this.expire(e);
    });
  }

  private disarm(e: NeighEntry<A>): void {
    if (e.timer) {
      e.timer.cancel();
      e.timer = undefined;
    }
  }

  /** neigh_timer_handler. */
  private expire(e: NeighEntry<A>): void {
    const now = this.clock.now();
    const p = this.hooks.params();
    const retrans = Math.max(p.retransTime, 10 * MILLISECOND);
    let next = now + SECOND;
    const state = e.state;
    if (state === 'reachable') {
      const rt = this.reachableTime();
      if (now <= e.confirmed + rt) {
        next = e.confirmed + rt;
      } else if (now <= e.used + p.delayProbeTime) {
        e.updated = now;
        this.setState(e, 'delay');
        next = now + p.delayProbeTime;
      } else {
        e.updated = now;
        this.setState(e, 'stale');
      }
    } else if (state === 'delay') {
      if (now <= e.confirmed + p.delayProbeTime) {
        e.updated = now;
        this.setState(e, 'reachable');
        next = e.confirmed + this.reachableTime();
      } else {
        e.updated = now;
        e.probes = 0;
        this.setState(e, 'probe');
        next = now + retrans;
      }
    } else if (state === 'incomplete' || state === 'probe') {
      next = now + retrans;
    } else {
      return;
    }
    if ((e.state === 'incomplete' || e.state === 'probe') && e.probes >= this.maxProbes(e, p)) {
      this.setState(e, 'failed');
      this.invalidate(e);
      return;
    }
    if (inTimer(e.state)) this.arm(e, Math.max(next, now + 10 * MILLISECOND));
    if (e.state === 'incomplete' || e.state === 'probe') this.probe(e);
  }
}

/**
 * The contracts between the protocol cores and the world. A core is built from its configuration
 * and the ports it needs; it reacts to what the ports deliver and acts only through them. The
 * simulator (src/adapters/sim) and Linux (src/adapters/linux) implement the same ports, and one
 * conformance suite (test/conformance) holds both to them.
 *
 * Conventions:
 * - Every port method returns promptly; nothing blocks and nothing returns a Promise, so a core's
 *   reactions are ordered by the events that cause them (the simulator relies on this).
 * - Results that take time (a name lookup, a table dump, a script's exit) come back through a
 *   callback, later, never before the call returns.
 * - `on...` subscriptions return a function that ends the subscription.
 */
import type { Micros } from './time.js';
import type { MacAddress } from './wire/mac-address.js';
import type { Ipv4Address } from './wire/ipv4-address.js';
import type { Ipv6Address } from './wire/ipv6-address.js';

export type Unsubscribe = () => void;

// ---------------------------------------------------------------------------------------------
// Time and randomness

export interface Timer {
  /** The absolute time the timer fires at. */
  readonly at: Micros;
  /** Stops the timer; harmless after it fired or was cancelled. */
  cancel(): void;
}

export interface Clock {
  /** Monotonic time in integer microseconds. */
  now(): Micros;
  /** Calls `fn` at absolute time `at` (at once, asynchronously, if `at` has passed). */
  at(at: Micros, fn: () => void): Timer;
}

/**
 * Calendar time, for timestamps that must outlive the process (arpd's negative entries). The
 * simulator counts from a fixed epoch, so runs stay reproducible.
 */
export interface WallClock {
  /** Whole seconds since the Unix epoch. */
  epochSeconds(): number;
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number;
}

// ---------------------------------------------------------------------------------------------
// Logging

export type LogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error';

export interface LogEvent {
  level: LogLevel;
  /** A stable dotted name for machines: `rs.sent`, `ra.dropped`, `arp.learned`. */
  event: string;
  /** The text a person reads; where the original program printed a message, the same words. */
  msg: string;
  fields?: Record<string, unknown>;
}

export interface Log {
  emit(e: LogEvent): void;
}

// ---------------------------------------------------------------------------------------------
// Packets

/** Ethernet frames on one interface (arpd's ARP). */
export interface FramePort {
  readonly ifindex: number;
  readonly ifname: string;
  readonly mac: MacAddress;
  /** Sends one whole frame, Ethernet header included. Transient failures drop the frame. */
  send(frame: Uint8Array): void;
  onFrame(handler: (frame: Uint8Array) => void): Unsubscribe;
  close(): void;
}

/**
 * Opens frame ports on interfaces that appear after start: arpd with no interface named watches
 * them all, later ones included, as the original's one unbound socket did.
 */
export interface FrameOpener {
  open(ifname: string, done: (port: FramePort | null, error?: string) => void): void;
}

export interface Icmpv6Received {
  ifindex: number;
  src: Ipv6Address;
  dst: Ipv6Address;
  hopLimit: number;
  /** The ICMPv6 message from its type byte; its checksum was verified on the way in. */
  message: Uint8Array;
}

export interface Icmpv6Send {
  ifindex: number;
  dst: Ipv6Address;
  /** Defaults to the interface's link-local address. */
  src?: Ipv6Address;
  /** Defaults to 255, as Neighbor Discovery requires. */
  hopLimit?: number;
  /** The ICMPv6 message; its checksum field is filled in on the way out. */
  message: Uint8Array;
}

/** ICMPv6 on the interfaces a core was given (rtsold, isatapd). */
export interface Icmpv6Port {
  send(m: Icmpv6Send): void;
  onMessage(handler: (m: Icmpv6Received) => void): Unsubscribe;
  close(): void;
}

export interface Ip6in4Datagram {
  src: Ipv4Address;
  dst: Ipv4Address;
  ttl: number;
  /** The IPv6 packet carried. */
  payload: Uint8Array;
}

/** IPv6-in-IPv4 (IP protocol 41) datagrams on the IPv4 network (isatapd's userspace data plane). */
export interface Ip6in4Port {
  send(d: { src?: Ipv4Address; dst: Ipv4Address; ttl?: number; dontFragment?: boolean; payload: Uint8Array }): void;
  onDatagram(handler: (d: Ip6in4Datagram) => void): Unsubscribe;
  close(): void;
}

/**
 * rtsold -m on reattach (FreeBSD's probe_defrouters): the kernel's default routers on an interface,
 * and a probe to one: an empty IPv6 packet (next header 59) whose only use is to make the kernel
 * check, by neighbour unreachability detection, that the router is still there.
 */
export interface RouterProber {
  defaultRouters(ifindex: number, done: (routers: Ipv6Address[]) => void): void;
  probe(ifindex: number, router: Ipv6Address): void;
}

/** A TUN device: whole IP packets between the kernel's stack and the core (no packet info header). */
export interface TunPort {
  readonly ifindex: number;
  readonly ifname: string;
  send(packet: Uint8Array): void;
  onPacket(handler: (packet: Uint8Array) => void): Unsubscribe;
  close(): void;
}

// ---------------------------------------------------------------------------------------------
// Kernel state

export interface Ipv4AddressInfo {
  address: Ipv4Address;
  prefixLength: number;
}

export interface Ipv6AddressInfo {
  address: Ipv6Address;
  prefixLength: number;
  tentative: boolean;
  /** Seconds left; undefined means forever. */
  validLifetime?: number;
  preferredLifetime?: number;
}

export interface InterfaceInfo {
  ifindex: number;
  name: string;
  mac?: MacAddress;
  mtu: number;
  /** Administratively up (IFF_UP). */
  up: boolean;
  /** Carrier present (IFF_RUNNING / IFF_LOWER_UP). */
  running: boolean;
  loopback: boolean;
  pointToPoint: boolean;
  multicast: boolean;
  ipv4: Ipv4AddressInfo[];
  ipv6: Ipv6AddressInfo[];
}

export type InterfaceChange = { kind: 'changed'; info: InterfaceInfo } | { kind: 'removed'; ifindex: number; name: string };

/** Links and addresses (rtnetlink on Linux), mirrored so reads are immediate. */
export interface InterfacePort {
  list(): InterfaceInfo[];
  byName(name: string): InterfaceInfo | undefined;
  byIndex(ifindex: number): InterfaceInfo | undefined;
  onChange(handler: (c: InterfaceChange) => void): Unsubscribe;
  /** The source address the kernel would use towards `dst`, or null when there is no route. */
  routeSource(dst: Ipv4Address, done: (src: Ipv4Address | null) => void): void;
}

export type NeighborState = 'incomplete' | 'reachable' | 'stale' | 'delay' | 'probe' | 'failed' | 'noarp' | 'permanent' | 'none';

export interface NeighborEntry {
  ifindex: number;
  ip: Ipv4Address;
  mac?: MacAddress;
  state: NeighborState;
}

/** The kernel's IPv4 neighbour (ARP) table, and its requests to a userspace helper (app_solicit). */
export interface NeighborPort {
  /** The kernel asks for a resolution (RTM_GETNEIGH sent because app_solicit > 0). */
  onRequest(handler: (r: { ifindex: number; ip: Ipv4Address; state: NeighborState }) => void): Unsubscribe;
  /** Entries the kernel created, changed or removed (FAILED reports among them). */
  onChange(handler: (e: NeighborEntry & { removed: boolean }) => void): Unsubscribe;
  /** Called after events were lost (netlink overrun); the port has already asked for a dump. */
  onResync(handler: (entries: NeighborEntry[]) => void): Unsubscribe;
  install(e: { ifindex: number; ip: Ipv4Address; mac: MacAddress; state: NeighborState }): void;
  remove(ifindex: number, ip: Ipv4Address): void;
  dump(done: (entries: NeighborEntry[]) => void): void;
}

/** An IPv6 address a core asks the kernel to put on an interface (isatapd's userspace SLAAC). */
export interface AddressRequest {
  ifname: string;
  address: Ipv6Address;
  prefixLength: number;
  /** Seconds; undefined means forever. */
  validLifetime?: number;
  preferredLifetime?: number;
}

export interface RouteRequest {
  ifname: string;
  prefix: Ipv6Address;
  prefixLength: number;
  /** The next hop; undefined for an on-link route. */
  via?: Ipv6Address;
  /** Seconds; undefined means forever. */
  lifetime?: number;
}

/**
 * Changes to links, addresses and routes that a core asks for. On Linux the privileged side
 * validates and applies them (rtnetlink); the simulator applies them to the host model. Each
 * reports its outcome through `done`, later: an error text, or undefined on success.
 */
export interface InterfaceControl {
  /** Creates a TUN device (no packet-info header), sets its MTU and brings it up. */
  createTun(ifname: string, mtu: number, done: (tun: TunPort | null, error?: string) => void): void;
  deleteLink(ifname: string, done?: (error?: string) => void): void;
  addAddress(a: AddressRequest, done?: (error?: string) => void): void;
  removeAddress(a: Pick<AddressRequest, 'ifname' | 'address' | 'prefixLength'>, done?: (error?: string) => void): void;
  addRoute(r: RouteRequest, done?: (error?: string) => void): void;
  removeRoute(r: Omit<RouteRequest, 'lifetime'>, done?: (error?: string) => void): void;
  /**
   * The per-interface IPv6 values a Router Advertisement sets (Linux: net.ipv6.conf.IF.mtu and
   * hop_limit), for a device whose RAs the kernel never sees (a userspace tunnel's TUN device).
   */
  setIpv6Params(ifname: string, p: Ipv6Params, done?: (error?: string) => void): void;
}

export interface Ipv6Params {
  /** The IPv6 MTU, 1280 up to the device's MTU. */
  mtu?: number;
  /** The hop limit of packets this host sends on the interface, 1..255. */
  hopLimit?: number;
}

/** Kernel tunables (net.ipv6.conf.*, net.ipv4.neigh.*). Writes are remembered and undone on exit. */
export interface SysctlPort {
  /** The value, trimmed, or null when the key does not exist. */
  read(key: string): string | null;
  /** Sets `key`, saving its original value first so `restore` can put it back. */
  write(key: string, value: string): void;
  /** Puts back every value this port changed. */
  restore(): void;
}

// ---------------------------------------------------------------------------------------------
// Services

export interface Resolver {
  /** IPv4 addresses of `name` (hosts file first, then DNS); an empty list when it does not resolve. */
  resolve4(name: string, done: (addresses: Ipv4Address[], error?: string) => void): void;
}

export interface ScriptRun {
  /** Absolute path of the program. */
  path: string;
  args: string[];
  /** Text written to the program's standard input (then closed). */
  stdin?: string;
}

/** Runs external programs with an empty environment (rtsold's -O and -R scripts). */
export interface ScriptRunner {
  run(r: ScriptRun, done?: (exitCode: number | null, error?: string) => void): void;
}

/**
 * Durable key-value storage with byte keys kept in key order (arpd's database). Writes become
 * durable at `sync`; a crash loses at most what was written since the last sync, never more,
 * and a reader never sees half a sync.
 */
export interface Store {
  get(key: Uint8Array): Uint8Array | undefined;
  put(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
  /** Every entry in key order. */
  entries(): Iterable<[Uint8Array, Uint8Array]>;
  readonly size: number;
  sync(): void;
  close(): void;
}

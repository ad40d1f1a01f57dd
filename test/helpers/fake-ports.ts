/**
 * In-memory ports for core unit tests: they record what a core sends and let the test deliver
 * events. Time comes from ManualClock; nothing here touches the network.
 */
import type {
  FramePort,
  NeighborEntry,
  NeighborPort,
  NeighborState,
  Store,
  WallClock,
  Icmpv6Port,
  Icmpv6Received,
  Icmpv6Send,
  InterfaceChange,
  InterfaceInfo,
  InterfacePort,
  Log,
  LogEvent,
  Random,
  ScriptRun,
  ScriptRunner,
  SysctlPort,
  Unsubscribe,
} from '../../src/core/ports.js';
import type { Ipv4Address } from '../../src/core/wire/ipv4-address.js';
import type { MacAddress } from '../../src/core/wire/mac-address.js';
import { Prng } from '../../src/adapters/sim/prng.js';
import { Handlers } from '../../src/core/handlers.js';

export class FakeIcmpv6 implements Icmpv6Port {
  readonly sent: Array<Icmpv6Send & { at: number }> = [];
  private readonly subs = new Handlers<Icmpv6Received>();
  constructor(private readonly now: () => number = () => 0) {}
  send(m: Icmpv6Send): void {
    this.sent.push({ ...m, at: this.now() });
  }
  onMessage(handler: (m: Icmpv6Received) => void): Unsubscribe {
    return this.subs.add(handler);
  }
  deliver(m: Icmpv6Received): void {
    this.subs.emit(m);
  }
  close(): void {}
}

export class FakeInterfaces implements InterfacePort {
  private readonly subs = new Handlers<InterfaceChange>();
  routes = new Map<number, Ipv4Address | null>();
  constructor(readonly infos: InterfaceInfo[]) {}
  list(): InterfaceInfo[] {
    return this.infos;
  }
  byName(name: string): InterfaceInfo | undefined {
    return this.infos.find((i) => i.name === name);
  }
  byIndex(ifindex: number): InterfaceInfo | undefined {
    return this.infos.find((i) => i.ifindex === ifindex);
  }
  onChange(handler: (c: InterfaceChange) => void): Unsubscribe {
    return this.subs.add(handler);
  }
  /** When set, route lookups wait here until called (a slow netlink answer). */
  pendingRoutes: Array<() => void> | undefined;
  routeSource(dst: Ipv4Address, done: (src: Ipv4Address | null) => void): void {
    const answer = (): void => done(this.routes.get(dst.value) ?? null);
    if (this.pendingRoutes) this.pendingRoutes.push(answer);
    else answer();
  }
  /** Changes an interface and tells subscribers. */
  update(name: string, change: Partial<InterfaceInfo>): void {
    const i = this.byName(name);
    if (!i) throw new Error(`no interface ${name}`);
    Object.assign(i, change);
    this.subs.emit({ kind: 'changed', info: i });
  }
  /** A new interface appears. */
  add(info: InterfaceInfo): void {
    this.infos.push(info);
    this.subs.emit({ kind: 'changed', info });
  }
  remove(name: string): void {
    const i = this.infos.findIndex((x) => x.name === name);
    const [gone] = this.infos.splice(i, 1);
    this.subs.emit({ kind: 'removed', ifindex: gone.ifindex, name });
  }
}

export class RecordingScripts implements ScriptRunner {
  readonly runs: Array<ScriptRun & { at: number }> = [];
  constructor(private readonly now: () => number = () => 0) {}
  run(r: ScriptRun, done?: (exitCode: number | null, error?: string) => void): void {
    this.runs.push({ ...r, at: this.now() });
    done?.(0);
  }
}

export class MemoryLog implements Log {
  readonly events: Array<LogEvent & { at: number }> = [];
  constructor(private readonly now: () => number = () => 0) {}
  emit(e: LogEvent): void {
    this.events.push({ ...e, at: this.now() });
  }
  messages(event?: string): string[] {
    return this.events.filter((e) => event === undefined || e.event === event).map((e) => e.msg);
  }
}

export class MemorySysctl implements SysctlPort {
  readonly original = new Map<string, string>();
  constructor(readonly values: Map<string, string> = new Map()) {}
  read(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  write(key: string, value: string): void {
    if (!this.original.has(key)) this.original.set(key, this.values.get(key) ?? '');
    this.values.set(key, value);
  }
  restore(): void {
    for (const [k, v] of this.original) this.values.set(k, v);
    this.original.clear();
  }
}

/** A seeded Random for tests (the simulator's generator). */
export function seededRandom(seed = 1): Random {
  return new Prng(seed, 'test');
}

/** Store with the port's durability rule: writes are visible at once, durable only at sync(). */
export class MemoryStore implements Store {
  private live = new Map<string, [Uint8Array, Uint8Array]>();
  private durable = new Map<string, [Uint8Array, Uint8Array]>();
  syncs = 0;
  private static k(key: Uint8Array): string {
    return Buffer.from(key).toString('hex');
  }
  get(key: Uint8Array): Uint8Array | undefined {
    return this.live.get(MemoryStore.k(key))?.[1];
  }
  put(key: Uint8Array, value: Uint8Array): void {
    this.live.set(MemoryStore.k(key), [Uint8Array.from(key), Uint8Array.from(value)]);
  }
  delete(key: Uint8Array): void {
    this.live.delete(MemoryStore.k(key));
  }
  *entries(): Iterable<[Uint8Array, Uint8Array]> {
    for (const k of [...this.live.keys()].sort()) yield this.live.get(k)!;
  }
  get size(): number {
    return this.live.size;
  }
  sync(): void {
    this.durable = new Map(this.live);
    this.syncs++;
  }
  /** What a crash would leave: the last sync. */
  crash(): MemoryStore {
    const s = new MemoryStore();
    s.live = new Map(this.durable);
    s.durable = new Map(this.durable);
    return s;
  }
  close(): void {}
}

export class FakeFramePort implements FramePort {
  readonly sent: Array<{ frame: Uint8Array; at: number }> = [];
  private readonly subs = new Handlers<Uint8Array>();
  constructor(
    readonly ifindex: number,
    readonly ifname: string,
    readonly mac: MacAddress,
    private readonly now: () => number = () => 0,
  ) {}
  send(frame: Uint8Array): void {
    this.sent.push({ frame, at: this.now() });
  }
  onFrame(handler: (frame: Uint8Array) => void): Unsubscribe {
    return this.subs.add(handler);
  }
  deliver(frame: Uint8Array): void {
    if (!this.closed) this.subs.emit(frame);
  }
  closed = false;
  close(): void {
    this.closed = true;
  }
}

export class FakeNeighbors implements NeighborPort {
  readonly installed: Array<{ ifindex: number; ip: Ipv4Address; mac: MacAddress; state: NeighborState }> = [];
  readonly removed: Array<{ ifindex: number; ip: Ipv4Address }> = [];
  table: NeighborEntry[] = [];
  private readonly requests = new Handlers<{ ifindex: number; ip: Ipv4Address; state: NeighborState }>();
  private readonly changes = new Handlers<NeighborEntry & { removed: boolean }>();
  private readonly resyncs = new Handlers<NeighborEntry[]>();
  private readonly pendingDump = new Handlers<NeighborEntry[]>();
  onRequest(handler: (r: { ifindex: number; ip: Ipv4Address; state: NeighborState }) => void): Unsubscribe {
    return this.requests.add(handler);
  }
  onChange(handler: (e: NeighborEntry & { removed: boolean }) => void): Unsubscribe {
    return this.changes.add(handler);
  }
  onResync(handler: (entries: NeighborEntry[]) => void): Unsubscribe {
    return this.resyncs.add(handler);
  }
  install(e: { ifindex: number; ip: Ipv4Address; mac: MacAddress; state: NeighborState }): void {
    this.installed.push(e);
  }
  remove(ifindex: number, ip: Ipv4Address): void {
    this.removed.push({ ifindex, ip });
  }
  dump(done: (entries: NeighborEntry[]) => void): void {
    this.pendingDump.add(done);
  }
  /** Answers outstanding dumps with the current table. */
  answerDump(): void {
    this.pendingDump.drain(this.table);
  }
  request(ifindex: number, ip: Ipv4Address, state: NeighborState): void {
    this.requests.emit({ ifindex, ip, state });
  }
  change(e: NeighborEntry & { removed?: boolean }): void {
    this.changes.emit({ removed: false, ...e });
  }
  resync(entries: NeighborEntry[]): void {
    this.resyncs.emit(entries);
  }
}

/** Epoch seconds that follow a ManualClock from a fixed start. */
export function wallFrom(now: () => number, epoch = 1_800_000_000): WallClock {
  return { epochSeconds: () => epoch + Math.floor(now() / 1_000_000) };
}

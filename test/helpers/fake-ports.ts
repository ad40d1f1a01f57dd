/**
 * In-memory ports for core unit tests: they record what a core sends and let the test deliver
 * events. Time comes from ManualClock; nothing here touches the network.
 */
import type {
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
import { Prng } from '../../src/adapters/sim/prng.js';

function subscribers<T>(): { list: Array<(v: T) => void>; add(h: (v: T) => void): Unsubscribe; fire(v: T): void } {
  const list: Array<(v: T) => void> = [];
  return {
    list,
    add(h) {
      list.push(h);
      return () => {
        const i = list.indexOf(h);
        if (i >= 0) list.splice(i, 1);
      };
    },
    fire(v) {
      for (const h of [...list]) h(v);
    },
  };
}

export class FakeIcmpv6 implements Icmpv6Port {
  readonly sent: Array<Icmpv6Send & { at: number }> = [];
  private readonly subs = subscribers<Icmpv6Received>();
  constructor(private readonly now: () => number = () => 0) {}
  send(m: Icmpv6Send): void {
    this.sent.push({ ...m, at: this.now() });
  }
  onMessage(handler: (m: Icmpv6Received) => void): Unsubscribe {
    return this.subs.add(handler);
  }
  deliver(m: Icmpv6Received): void {
    this.subs.fire(m);
  }
  close(): void {}
}

export class FakeInterfaces implements InterfacePort {
  private readonly subs = subscribers<InterfaceChange>();
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
  routeSource(dst: Ipv4Address, done: (src: Ipv4Address | null) => void): void {
    done(this.routes.get(dst.value) ?? null);
  }
  /** Changes an interface and tells subscribers. */
  update(name: string, change: Partial<InterfaceInfo>): void {
    const i = this.byName(name);
    if (!i) throw new Error(`no interface ${name}`);
    Object.assign(i, change);
    this.subs.fire({ kind: 'changed', info: i });
  }
  remove(name: string): void {
    const i = this.infos.findIndex((x) => x.name === name);
    const [gone] = this.infos.splice(i, 1);
    this.subs.fire({ kind: 'removed', ifindex: gone.ifindex, name });
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

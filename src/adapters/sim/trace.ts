/**
 * The run's event log: one JSON line per event, time-stamped in virtual microseconds. Expectations
 * are checked against it, and `--trace F.jsonl` writes it out. Events are flat objects so a line
 * can be grepped; binary fields are hex.
 *
 * Standard events (other fields as listed):
 * - engine:  `frame.tx` / `frame.rx` {node, iface, segment, len, summary}   (only when frames are traced:
 *            a --trace or --pcap run; the engine never formats a summary otherwise)
 *            `frame.lost` {node, iface, segment, reason: 'loss' | 'link-down' | 'node-down'}
 *            `frame.duplicated` / `frame.corrupted` / `frame.too-big` {node, iface, segment}
 *            `ip4.tx` / `ip4.rx` {node, iface, src, dst, len, summary}; `ip4.lost` {node, iface, src, dst, reason}
 *            (IPv4 underlay; reason also 'no-route')
 *            `link.down` / `link.up` {node, iface}; `partition` {segment, groups}; `heal` {segment}
 *            `node.start` / `node.crash` / `node.restart` {node}
 *            `event` {index, do, ...}  (each timed topology event as it fires); `dns` {name, addresses}
 *            `run.end` {events, frames}
 * - kernel:  `addr.added` / `addr.removed` / `addr.deprecated` {node, iface, address, prefixLength}
 *            (`addr.added` when the address is usable, past DAD, with `origin`: link-local | slaac | static;
 *            `addr.tentative` {node, iface, address, prefixLength} when its DAD starts)
 *            `addr.dad-failed` {node, iface, address}; `route.added` / `route.removed` {node, iface, prefix, via}
 *            `neigh.state` {node, iface, ip, state, mac?}; `neigh.request` {node, iface, ip, state} (to userspace)
 *            (`neigh6.state` the same for the IPv6 neighbour cache; state 'deleted' when an entry goes)
 *            `rs.sent` {node, iface}; `ns.sent` / `na.sent` {node, iface, target, dad?}
 *            `ra.accepted` {node, iface, from, routerLifetime}
 *            `arp.request.sent` {node, iface, target, broadcast}; `arp.reply.sent` {node, iface, target}
 *            `echo.reply` {node, from, to, id, seq}   (a ping answered; ping sources log
 *            `ping.ok` {node, to, from, seq, rtt} / `ping.lost` {node, to, seq})
 *            `rx.malformed` {node, iface, layer, field, what, offset} (did not decode);
 *            `nd.dropped` {node, iface?, message, from, reasons} (failed RFC 4861 validation);
 *            `rx.dropped` {node, iface, reason, ...} (other drops: checksum, ARP sanity...)
 *            `sysctl.write` {node, key, value} (through a core's SysctlPort)
 * - router:  `ra.sent` {node, iface, dst, solicited, routerLifetime, final?}; `rs.received` {node, iface, from, answered}
 * - isatap-router: `ra.sent` {..., to} (the client's IPv4); `isatap.forwarded` {node, src, dst, to};
 *            `ip6in4.dropped` {node, iface, reason, ...} (source-rule, no-route, hop-limit...)
 * - fuzzer:  `fuzz.sent` {node, iface, mutation, len}
 * - hosts of daemon cores: `script.run` {node, path, args, stdin}; `log` {node, level, name, msg, ...fields}
 *            `daemon.started` / `daemon.stopped` {node, core}; `daemon.exited` {node, core, error}
 */
import type { Micros } from '../../core/time.js';
import { jsonReplacer } from '../../core/wire/describe.js';

export interface TraceEvent {
  /** Virtual time, microseconds. */
  t: Micros;
  event: string;
  node?: string;
  [field: string]: unknown;
}

export type TraceFields = Omit<TraceEvent, 't'>;

export interface Tracer {
  emit(e: TraceFields): void;
  /** False when nothing will see any event, so callers may skip building them; absent means true. */
  readonly enabled?: boolean;
  /** Whether an event named `event` would be seen by anything; absent means true. */
  wants?(event: string): boolean;
}

/**
 * The run's tracer. Listeners (expectations) subscribe by event name; lines go to an optional sink
 * (--trace); events are kept in memory only when asked. An event nobody wants costs one lookup.
 */
export class TraceBus implements Tracer {
  readonly events: TraceEvent[] = [];
  /** Whether the engine should emit frame.tx / frame.rx (formatting a summary per frame). */
  readonly frames: boolean;
  private readonly listeners = new Map<string, Array<(e: TraceEvent) => void>>();
  private readonly sink?: (line: string) => void;
  private readonly keep: boolean;

  constructor(
    private readonly now: () => Micros,
    opts: { sink?: (line: string) => void; keep?: boolean; frames?: boolean } = {},
  ) {
    this.sink = opts.sink;
    this.keep = opts.keep ?? false;
    this.frames = opts.frames ?? (this.sink !== undefined || this.keep);
  }

  /** Calls `fn` with every event named `event`, in order. */
  on(event: string, fn: (e: TraceEvent) => void): () => void {
    // Copy on write: an emit in progress keeps the list it started with.
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return () => {
      const rest = (this.listeners.get(event) ?? []).filter((f) => f !== fn);
      if (rest.length > 0) this.listeners.set(event, rest);
      else this.listeners.delete(event);
    };
  }

  get enabled(): boolean {
    return this.sink !== undefined || this.keep || this.listeners.size > 0;
  }

  /** Whether anything would see an event named `event` (lets callers skip building it). */
  wants(event: string): boolean {
    return this.sink !== undefined || this.keep || this.listeners.has(event);
  }

  emit(e: TraceFields): void {
    const list = this.listeners.get(e.event as string);
    if (list === undefined && this.sink === undefined && !this.keep) return;
    const full = { t: this.now(), ...e } as TraceEvent;
    if (this.keep) this.events.push(full);
    if (this.sink) this.sink(JSON.stringify(full, jsonReplacer));
    if (list) for (const fn of list) fn(full);
  }
}

/** Keeps events in memory (for expectations) and hands each line to an optional sink. */
export class MemoryTracer implements Tracer {
  readonly events: TraceEvent[] = [];

  constructor(
    private readonly now: () => Micros,
    private readonly sink?: (line: string) => void,
    private readonly keep = true,
  ) {}

  emit(e: TraceFields): void {
    const full = { t: this.now(), ...e } as TraceEvent;
    if (this.keep) this.events.push(full);
    if (this.sink) this.sink(JSON.stringify(full, jsonReplacer));
  }
}

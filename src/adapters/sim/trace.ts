/**
 * The run's event log: one JSON line per event, time-stamped in virtual microseconds. Expectations
 * are checked against it, and `--trace F.jsonl` writes it out. Events are flat objects so a line
 * can be grepped; binary fields are hex.
 *
 * Standard events (other fields as listed):
 * - engine (frame and packet events only when a trace is written or kept: the engine never formats
 *            a summary otherwise):
 *            `frame.tx` / `frame.rx` {node, iface, segment, len, summary}
 *            `frame.lost` {node, iface, segment, reason: 'loss' | 'link-down' | 'node-down' | 'runt'}
 *            `frame.duplicated` / `frame.corrupted` / `frame.too-big` {node, iface, segment}
 *            `ip4.tx` / `ip4.rx` {node, iface, src, dst, len, summary}; `ip4.lost` {node, iface, src, dst, reason}
 *            (IPv4 underlay; reason also 'no-route', 'not-ipv4', 'too-big')
 *            `link.down` / `link.up` {node, iface}; `partition` {segment, groups}; `heal` {segment}
 *            `node.start` / `node.crash` / `node.restart` {node}
 *            `event` {index, do, ...}  (each timed topology event as it fires); `dns` {name, addresses}
 *            `run.end` {events, frames, delivered}
 * - kernel:  `addr.tentative` (DAD started) / `addr.added` (usable) / `addr.removed` / `addr.deprecated`
 *            {node, iface, address, prefixLength, origin?}; `addr.dad-failed` {node, iface, address}
 *            `route.added` / `route.removed` {node, iface, prefix, via?}
 *            `neigh.state` / `neigh6.state` {node, iface, ip, state, mac?}; `neigh.request` {node, iface, ip, state}
 *            `rs.sent` {node, iface}; `ra.accepted` {node, iface, from, routerLifetime}
 *            `ns.sent` / `na.sent` {node, iface, target, dad?}; `nd.dropped` {node, iface, reasons}
 *            `arp.request.sent` {node, iface, target, broadcast}; `arp.reply.sent` {node, iface, target}
 *            `echo.reply` {node, from, to, id, seq}; `ping.ok` / `ping.lost` {node, to, seq, rtt?}
 *            `rx.malformed` / `rx.dropped` {node, iface, layer | reason, ...}; `sysctl.write` {node, key, value}
 *            `ip6in4.dropped` {node, reason}
 * - router:  `ra.sent` {node, iface, dst, solicited, routerLifetime}; `rs.received` {node, iface, from}
 * - ISATAP router: `isatap.forwarded` {node, src, dst}; fuzzer: `fuzz.sent` {node, iface, mutation}
 * - daemons: `daemon.started` / `daemon.stopped` / `daemon.exited` {node, core, msg?}
 *            `script.run` {node, path, args, stdin}; `log` {node, level, name, msg, ...fields}
 *            rtsold: `rtsold.dump` {node, text} (SIGUSR1), `rtsold.done` {node} (-1); its RSs are `rs.sent`
 *            arpd: `arpd.entry` {node, ifindex, ip, state: positive | negative | removed, mac?, probes?}
 * Expectations read `addr.added`, `rs.sent`, `link.up`, `node.start`/`node.restart`, `script.run`,
 * `ping.ok`/`ping.lost` and any event named in an `event:` expectation.
 */
import type { Micros } from '../../core/time.js';
import { jsonReplacer } from '../../core/wire/describe.js';
import { Handlers } from '../../core/handlers.js';

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
  private readonly listeners = new Map<string, Handlers<TraceEvent>>();
  private readonly sink?: (line: string) => void;
  private readonly keep: boolean;
  /** Sees every event, like `keep` without keeping (the HTML report picks what it needs). */
  private readonly tap?: (e: TraceEvent) => void;

  constructor(
    private readonly now: () => Micros,
    opts: { sink?: (line: string) => void; keep?: boolean; frames?: boolean; tap?: (e: TraceEvent) => void } = {},
  ) {
    this.sink = opts.sink;
    this.keep = (opts.keep ?? false) || opts.tap !== undefined;
    this.tap = opts.tap;
    this.frames = opts.frames ?? (this.sink !== undefined || this.keep);
  }

  /** Calls `fn` with every event named `event`, in order. */
  on(event: string, fn: (e: TraceEvent) => void): () => void {
    let list = this.listeners.get(event);
    if (!list) {
      list = new Handlers();
      this.listeners.set(event, list);
    }
    const off = list.add(fn);
    const l = list;
    return () => {
      off();
      if (l.size === 0 && this.listeners.get(event) === l) this.listeners.delete(event);
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
    if (this.tap) this.tap(full);
    else if (this.keep) this.events.push(full);
    if (this.sink) this.sink(JSON.stringify(full, jsonReplacer));
    list?.emit(full);
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

/**
 * The run's event log: one JSON line per event, time-stamped in virtual microseconds. Expectations
 * are checked against it, and `--trace F.jsonl` writes it out. Events are flat objects so a line
 * can be grepped; binary fields are hex.
 *
 * Standard events (other fields as listed):
 * - engine:  `frame.tx` / `frame.rx` {node, iface, segment, len, summary}
 *            `frame.lost` / `frame.duplicated` / `frame.corrupted` / `frame.too-big` {node, iface, segment}
 *            `ip4.tx` / `ip4.rx` / `ip4.lost` {node, iface, src, dst, len, summary}   (IPv4 underlay)
 *            `link.down` / `link.up` {node, iface}; `partition` / `heal` {segment, groups}
 *            `node.crash` / `node.restart` {node}; `event` {node?, action, ...}  (timed topology events)
 * - kernel:  `addr.added` / `addr.removed` / `addr.deprecated` {node, iface, address, prefixLength}
 *            `addr.dad-failed` {node, iface, address}; `route.added` / `route.removed` {node, iface, prefix, via}
 *            `neigh.state` {node, iface, ip, state, mac?}; `neigh.request` {node, iface, ip, state} (to userspace)
 *            `rs.sent` {node, iface}; `ns.sent` / `na.sent` {node, iface, target, dad?}
 *            `arp.request.sent` {node, iface, target, broadcast}; `arp.reply.sent` {node, iface, target}
 *            `echo.reply` {node, from, to, id, seq}   (a ping answered; ping sources log `ping.ok`/`ping.lost`)
 * - router:  `ra.sent` {node, iface, dst, solicited, routerLifetime}
 * - hosts of daemon cores: `script.run` {node, path, args, stdin}; `log` {node, level, name, msg, ...fields}
 */
import type { Micros } from '../../core/time.js';

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
    if (this.sink) this.sink(JSON.stringify(full));
  }
}

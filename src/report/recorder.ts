/**
 * Collects what a run report needs while the run goes: every pcapng record (interface, time, the
 * bytes as written, whether it is a transmission or a reception) and every trace event other than
 * the per-frame ones. A delivery hands the receiver the very bytes its transmission captured, so a
 * reception finds its transmission by identity; only a corrupted copy is new bytes.
 *
 * The capture and the trace agree record by record: the engine captures a frame, then traces it
 * (`frame.tx` / `frame.rx`, `ip4.tx` / `ip4.rx`). The recorder checks that, so a change in the
 * engine that broke the pairing fails loudly instead of charting the wrong frames.
 */
import type { RunOptions, Simulation } from '../adapters/sim/run.js';
import type { TraceEvent } from '../adapters/sim/trace.js';

const TX_EVENTS = new Set(['frame.tx', 'ip4.tx']);
const RX_EVENTS = new Set(['frame.rx', 'ip4.rx']);

export const DIR_TX = 0;
export const DIR_RX = 1;

export class RunRecorder {
  /** Per pcapng record, in file order. */
  readonly iface: number[] = [];
  readonly t: number[] = [];
  readonly bytes: Uint8Array[] = [];
  readonly dir: number[] = [];
  /** Trace events other than frame.tx/rx and ip4.tx/rx, in order. */
  readonly events: TraceEvent[] = [];
  /** Per event in `events`: the last transmission record before it (-1 for none). */
  readonly lastTx: number[] = [];
  private traced = 0;
  private lastTxRecord = -1;
  private labels = new Map<string, number>();
  private sim?: Simulation;

  /** `options` plus what the recorder needs; a given pcap sink still gets every byte. */
  options(options: RunOptions): RunOptions {
    return {
      ...options,
      pcap: options.pcap ?? (() => {}),
      onCapture: (id, t, data) => {
        this.iface.push(id);
        this.t.push(t);
        this.bytes.push(data);
      },
      onTrace: (e) => this.onTrace(e),
      traceFrames: true,
    };
  }

  /** The simulation the options went to (for interface names while it runs). */
  attach(sim: Simulation): void {
    this.sim = sim;
  }

  private captureId(label: string): number | undefined {
    let id = this.labels.get(label);
    if (id === undefined && this.sim) {
      // Ports made after the last look (a TAP bridge's): read them all again.
      this.labels = new Map();
      for (const s of this.sim.world.segments) for (const p of s.ports) this.labels.set(p.label, p.captureId);
      for (const p of this.sim.world.underlay.ports) this.labels.set(p.label, p.captureId);
      id = this.labels.get(label);
    }
    return id;
  }

  private onTrace(e: TraceEvent): void {
    const tx = TX_EVENTS.has(e.event);
    if (tx || RX_EVENTS.has(e.event)) {
      const k = this.traced++;
      const id = this.captureId(`${e.node}:${e.iface}`);
      if (k >= this.iface.length || this.iface[k] !== id || this.t[k] !== e.t) {
        throw new Error(`run report: trace event ${e.event} of ${e.node}:${e.iface} at ${e.t}us does not match pcapng record ${k + 1}`);
      }
      this.dir.push(tx ? DIR_TX : DIR_RX);
      if (tx) this.lastTxRecord = k;
      return;
    }
    this.events.push(e);
    this.lastTx.push(this.lastTxRecord);
  }

  /** Throws unless every record was traced. */
  check(): void {
    if (this.traced !== this.iface.length) throw new Error(`run report: ${this.iface.length} pcapng records but ${this.traced} traced`);
  }
}

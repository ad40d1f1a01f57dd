/**
 * A simulation run: a World over a Topology and a seed, its expectations subscribed, driven to the
 * end time (or step by step, for wall-clock mode), then summed up in a RunResult.
 */
import type { Micros } from '../../core/time.js';
import { Scheduler } from './scheduler.js';
import { TraceBus, type TraceEvent } from './trace.js';
import { Capture, type CaptureObserver } from './capture.js';
import { World } from './world.js';
import { addCounters, PortCounters } from './medium.js';
import type { NodeKind } from './node.js';
import { nodeKinds } from './nodes/registry.js';
import type { Evidence, Outcome, RunView } from './expectations/expectation.js';
import type { Topology } from './topology/types.js';
import { LocatedError, TopologyError, formatPath } from './topology/errors.js';

export interface RunOptions {
  seed: number;
  /** End time (default: the topology's duration). */
  until?: Micros;
  /** Where the pcapng goes, chunk by chunk. */
  pcap?: (chunk: Uint8Array) => void;
  /** Sees each pcapng record as it is written (needs `pcap`). */
  onCapture?: CaptureObserver;
  /** Where trace lines (JSONL, without newlines) go. */
  trace?: (line: string) => void;
  /** Keep every trace event in memory (tests). */
  keepTrace?: boolean;
  /** Sees every trace event as it is emitted, none kept (the HTML report). */
  onTrace?: (e: TraceEvent) => void;
  /** Emit frame.tx / frame.rx (default: when a trace sink is given or events are kept). */
  traceFrames?: boolean;
  /** Node kinds (default: those the topology was loaded with, else the registry). */
  kinds?: readonly NodeKind[];
}

export interface Counts {
  sent: number;
  delivered: number;
  /** Lost to the loss fault. */
  lost: number;
  /** Not delivered because a link or a node was down, or no port owned the address. */
  dropped: number;
  duplicated: number;
  corrupted: number;
  tooBig: number;
}

export interface NodeResult {
  name: string;
  kind: string;
  alive: boolean;
  crashes: number;
  sent: number;
  received: number;
  summary?: Record<string, unknown>;
}

export interface ExpectationResult {
  kind: string;
  text: string;
  pass: boolean;
  why: string;
  /** The events that decided it (see Evidence). */
  evidence?: Evidence[];
  /** The figure it measures (Expectation.figure), null when nothing was measured. */
  value?: number | null;
}

export interface RunResult {
  topology: string;
  file?: string;
  seed: number;
  until: Micros;
  /** Scheduler events run (a batch of deliveries sharing a time is one). */
  events: number;
  frames: Counts;
  /** IPv4 underlay packets. */
  packets: Counts;
  nodes: NodeResult[];
  expectations: ExpectationResult[];
  passed: boolean;
}

function counts(c: PortCounters, sent: number, delivered: number): Counts {
  return { sent, delivered, lost: c.lost, dropped: c.dropped, duplicated: c.duplicated, corrupted: c.corrupted, tooBig: c.tooBig };
}

/** A LocatedError from building the world, placed in the topology's file. */
export function asTopologyError(err: unknown, topology: Topology): unknown {
  if (!(err instanceof LocatedError)) return err;
  const where = topology.locate?.(err.path, err.atKey) ?? { line: 1, column: 1 };
  return new TopologyError([{ file: topology.file ?? topology.name, ...where, path: formatPath(err.path), message: err.message }]);
}

export class Simulation {
  readonly scheduler = new Scheduler();
  readonly trace: TraceBus;
  readonly world: World;
  readonly until: Micros;
  private readonly checks: Array<{ kind: string; text: string; result: () => Outcome }> = [];
  private finished?: RunResult;

  constructor(
    readonly topology: Topology,
    readonly options: RunOptions,
  ) {
    this.until = options.until ?? topology.duration;
    this.trace = new TraceBus(() => this.scheduler.now(), { sink: options.trace, keep: options.keepTrace, frames: options.traceFrames, tap: options.onTrace });
    const capture = options.pcap ? new Capture(options.pcap, options.onCapture) : undefined;
    try {
      this.world = new World(topology, { seed: options.seed, trace: this.trace, capture, kinds: options.kinds ?? topology.kinds ?? nodeKinds, scheduler: this.scheduler });
    } catch (err) {
      throw asTopologyError(err, topology);
    }
    const view: RunView = {
      trace: this.trace,
      now: () => this.scheduler.now(),
      until: this.until,
      segment: (name) => this.world.segment(name),
      segments: this.world.segments,
      at: (t, fn) => {
        this.scheduler.schedule(t, fn);
      },
      query: (node, what, args) => this.world.node(node)?.node.query?.(what, args),
    };
    for (const e of topology.expectations) this.checks.push({ kind: e.kind, text: e.text, result: e.start(view) });
    this.world.schedule();
  }

  /** Runs every event up to `t` (at most the end time). */
  runUntil(t: Micros): void {
    this.scheduler.runUntil(Math.min(t, this.until));
  }

  /** Runs to the end and reports. */
  run(): RunResult {
    this.runUntil(this.until);
    return this.finish();
  }

  /** The report; the run stops here. */
  finish(): RunResult {
    if (this.finished) return this.finished;
    const w = this.world;
    const frameCounters = new PortCounters();
    let framesSent = 0;
    let framesDelivered = 0;
    for (const s of w.segments) {
      framesSent += s.framesSent;
      framesDelivered += s.deliveries;
      for (const p of s.ports) addCounters(frameCounters, p.counters);
    }
    const packetCounters = new PortCounters();
    for (const p of w.underlay.ports) addCounters(packetCounters, p.counters);
    const nodes: NodeResult[] = w.nodes.map((slot) => {
      let sent = 0;
      let received = 0;
      for (const p of [...slot.ethernet.values(), ...slot.underlay.values()]) {
        sent += p.counters.tx;
        received += p.counters.rx;
      }
      const summary = slot.node.summary?.();
      return { name: slot.name, kind: slot.spec.kind, alive: slot.alive, crashes: slot.crashes, sent, received, ...(summary ? { summary } : {}) };
    });
    const expectations = this.checks.map((c) => ({ kind: c.kind, text: c.text, ...c.result() }));
    const frames = counts(frameCounters, framesSent, framesDelivered);
    this.trace.emit({ event: 'run.end', events: this.scheduler.eventsRun, frames: frames.sent, delivered: frames.delivered });
    this.finished = {
      topology: this.topology.name,
      ...(this.topology.file ? { file: this.topology.file } : {}),
      seed: this.options.seed,
      until: this.until,
      events: this.scheduler.eventsRun,
      frames,
      packets: counts(packetCounters, w.underlay.packetsSent, w.underlay.deliveries),
      nodes,
      expectations,
      passed: expectations.every((e) => e.pass),
    };
    return this.finished;
  }
}

/** Builds, runs and reports one simulation. */
export function runSimulation(topology: Topology, options: RunOptions): RunResult {
  return new Simulation(topology, options).run();
}

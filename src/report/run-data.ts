/**
 * A run report's data from a finished simulation and what its RunRecorder saw: messages (one per
 * transmission, plus corrupted copies), receptions, faults where they struck, state changes,
 * expectations with the events that decided them. Everything follows from the topology and the
 * seed, so the same run gives the same report.
 *
 * Above the limits the report summarises instead of growing: receptions are then counted per
 * message instead of listed, messages are sampled evenly, events are cut; each says so in `notes`.
 */
import type { RunResult, Simulation } from '../adapters/sim/run.js';
import type { TraceEvent } from '../adapters/sim/trace.js';
import type { Cable } from '../adapters/sim/faults.js';
import { classify } from './classify.js';
import { DIR_TX, type RunRecorder } from './recorder.js';
import { faultOf, scriptOf, stateOf, textOf, timedOf } from './states.js';
import {
  LINK_ETHERNET,
  LINK_IPV4,
  RX_CORRUPTED,
  RX_DUPLICATE,
  RX_HELD_BACK,
  RX_OVERTAKEN,
  type CaptureInterface,
  type EventRow,
  type EvidenceRef,
  type FaultMark,
  type Messages,
  type NodeInfo,
  type Receptions,
  type RunReportData,
  type ScriptMark,
  type StateChange,
  type TimedEventMark,
} from './data.js';

export interface ReportLimits {
  /** Receptions listed one by one up to this many; beyond, counted per message. */
  receptions: number;
  /** Messages charted up to this many; beyond, an even sample of them. */
  messages: number;
  /** Trace events listed up to this many (those an expectation points at always are). */
  events: number;
  /** State changes kept up to this many. */
  states: number;
}

/** Measured in chromium: see docs/report.md (a run of these sizes draws in about a second). */
export const DEFAULT_LIMITS: ReportLimits = { receptions: 100_000, messages: 30_000, events: 30_000, states: 60_000 };

/** How far back a corrupted copy looks for the transmission it came from. */
const COPY_WINDOW = 256;

interface PortView {
  node: string;
  ifname: string;
  segment: string;
  cable: Cable;
}

function bitsDifferent(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length && n < 2; i++) {
    let x = a[i] ^ b[i];
    while (x) {
      n += x & 1;
      x >>>= 1;
    }
  }
  return n;
}

function n(x: number): string {
  return x.toLocaleString('en-US');
}

export interface RunMeta {
  command: string;
  linklab: string;
  limits?: Partial<ReportLimits>;
}

export function buildRunData(sim: Simulation, result: RunResult, rec: RunRecorder, meta: RunMeta): RunReportData {
  rec.check();
  const limits = { ...DEFAULT_LIMITS, ...meta.limits };
  const topology = sim.topology;
  const world = sim.world;
  const notes: string[] = [];

  // Capture interfaces, in pcapng order, and the nodes they belong to.
  const ports: PortView[] = [];
  for (const s of world.segments) for (const p of s.ports) if (p.captureId >= 0) ports[p.captureId] = { node: p.node, ifname: p.ifname, segment: s.name, cable: p.cable };
  for (const p of world.underlay.ports) if (p.captureId >= 0) ports[p.captureId] = { node: p.node, ifname: p.ifname, segment: 'underlay', cable: p.cable };
  const nodes: NodeInfo[] = topology.nodes.map((spec) => {
    const r = result.nodes.find((x) => x.name === spec.name);
    const slot = world.node(spec.name);
    const config = spec.config as { core?: unknown } | undefined;
    return {
      name: spec.name,
      kind: spec.kind,
      role: spec.kind === 'daemon' && typeof config?.core === 'string' ? config.core : spec.kind,
      group: spec.group,
      ...(spec.replica !== undefined ? { replica: spec.replica } : {}),
      startAt: spec.startAt,
      alive: r?.alive ?? false,
      crashes: r?.crashes ?? 0,
      sent: r?.sent ?? 0,
      received: r?.received ?? 0,
      interfaces: spec.interfaces.map((i) => {
        const port = i.type === 'ethernet' ? slot?.ethernet.get(i.ifname) : slot?.underlay.get(i.ifname);
        return {
          ifname: i.ifname,
          type: i.type,
          ...(i.segment ? { segment: i.segment } : {}),
          ...(i.type === 'ethernet' ? { mac: i.mac.toString() } : {}),
          ipv4: i.ipv4.map((a) => `${a.address}/${a.prefixLength}`),
          ipv6: i.ipv6.map((a) => `${a.address}/${a.prefixLength}`),
          up: i.up,
          faults: port ? { ...port.cable.faults } : {},
        };
      }),
    };
  });
  const nodeIndex = new Map(nodes.map((x, i) => [x.name, i]));
  for (const p of ports) {
    if (p && !nodeIndex.has(p.node)) {
      // Something outside the run (a TAP bridge) has a capture interface too.
      nodeIndex.set(p.node, nodes.length);
      nodes.push({ name: p.node, kind: 'external', role: 'TAP bridge', group: p.node, startAt: 0, alive: true, crashes: 0, sent: 0, received: 0, interfaces: [] });
    }
  }
  const interfaces: CaptureInterface[] = ports.map((p) => [nodeIndex.get(p.node)!, p.ifname, p.segment]);

  // Messages and receptions, walking the records in file order.
  const msgOf = new Map<Uint8Array, number>();
  const m = { data: [] as Uint8Array[], link: [] as number[], kind: [] as number[], frame: [] as number[], t: [] as number[], iface: [] as number[], copyOf: [] as number[], rxCount: [] as number[], rxFirst: [] as number[], rxLast: [] as number[] };
  const bySegment = new Map<string, number[]>();
  const rx = { frame: [] as number[], t: [] as number[], iface: [] as number[], msg: [] as number[], flags: [] as number[] };
  const seen = new Set<number>();
  const lastFromTo = new Map<number, number>();
  const nIf = ports.length;
  const newMessage = (bytes: Uint8Array, frame: number, t: number, iface: number, copyOf: number): number => {
    const id = m.data.length;
    const link = ports[iface].segment === 'underlay' ? LINK_IPV4 : LINK_ETHERNET;
    m.data.push(bytes);
    m.link.push(link);
    m.kind.push(classify(bytes, link));
    m.frame.push(frame);
    m.t.push(t);
    m.iface.push(iface);
    m.copyOf.push(copyOf);
    m.rxCount.push(0);
    m.rxFirst.push(-1);
    m.rxLast.push(-1);
    return id;
  };
  const originalOf = (bytes: Uint8Array, segment: string): number => {
    const list = bySegment.get(segment) ?? [];
    for (let i = list.length - 1; i >= Math.max(0, list.length - COPY_WINDOW); i--) {
      const cand = m.data[list[i]];
      if (cand.length === bytes.length && bitsDifferent(cand, bytes) === 1) return list[i];
    }
    return -1;
  };
  for (let k = 0; k < rec.iface.length; k++) {
    const iface = rec.iface[k];
    const bytes = rec.bytes[k];
    const t = rec.t[k];
    const segment = ports[iface].segment;
    if (rec.dir[k] === DIR_TX) {
      const id = newMessage(bytes, k + 1, t, iface, -1);
      msgOf.set(bytes, id);
      const list = bySegment.get(segment);
      if (list) list.push(id);
      else bySegment.set(segment, [id]);
      continue;
    }
    let flags = 0;
    let id = msgOf.get(bytes);
    if (id === undefined) {
      // New bytes at a receiver: a corrupted copy of something sent on this segment.
      const orig = originalOf(bytes, segment);
      id = newMessage(bytes, 0, orig >= 0 ? m.t[orig] : t, orig >= 0 ? m.iface[orig] : iface, orig);
      msgOf.set(bytes, id);
    }
    if (m.copyOf[id] >= 0 || m.frame[id] === 0) flags |= RX_CORRUPTED;
    const key = id * nIf + iface;
    if (seen.has(key)) flags |= RX_DUPLICATE;
    else seen.add(key);
    const from = m.iface[id];
    const a = ports[from].cable.faults;
    const b = ports[iface].cable.faults;
    if (t - m.t[id] > a.latency + a.jitter + b.latency + b.jitter) flags |= RX_HELD_BACK;
    const pair = from * nIf + iface;
    const last = lastFromTo.get(pair);
    if (last !== undefined && m.t[id] < last) flags |= RX_OVERTAKEN;
    else lastFromTo.set(pair, m.t[id]);
    m.rxCount[id]++;
    if (m.rxFirst[id] < 0) m.rxFirst[id] = t;
    m.rxLast[id] = t;
    rx.frame.push(k + 1);
    rx.t.push(t);
    rx.iface.push(iface);
    rx.msg.push(id);
    rx.flags.push(flags);
  }

  // Trace events: states, faults, timed events, scripts, and a row each.
  const faults: FaultMark[] = [];
  const states: StateChange[] = [];
  const timed: TimedEventMark[] = [];
  const scripts: ScriptMark[] = [];
  const rows: EventRow[] = [];
  const rowOf = new Map<TraceEvent, number>();
  const txMessage = (record: number): number | undefined => (record >= 0 ? msgOf.get(rec.bytes[record]) : undefined);
  rec.events.forEach((e, i) => {
    const f = faultOf(e);
    if (f) {
      const msg = f.atSend ? txMessage(rec.lastTx[i]) : undefined;
      faults.push(msg !== undefined ? { ...f.mark, msg } : f.mark);
    }
    const s = stateOf(e);
    if (s) states.push(s);
    const te = timedOf(e, topology.events);
    if (te) timed.push(te);
    const sc = scriptOf(e);
    if (sc) scripts.push(sc);
    if (e.event === 'run.end') return;
    rowOf.set(e, rows.length);
    rows.push({ t: e.t, event: e.event, ...(e.node ? { node: e.node } : {}), text: textOf(e) });
  });
  for (let r = 0; r < rx.flags.length; r++) {
    const flags = rx.flags[r];
    if (!(flags & (RX_HELD_BACK | RX_OVERTAKEN))) continue;
    const p = ports[rx.iface[r]];
    const held = flags & RX_HELD_BACK;
    faults.push({
      t: rx.t[r],
      kind: held ? 'held-back' : 'overtaken',
      node: p.node,
      iface: p.ifname,
      segment: p.segment,
      msg: rx.msg[r],
      text: held ? `held back on the way to ${p.node}:${p.ifname} (reorder): ${rx.t[r] - m.t[rx.msg[r]]}us after it was sent` : `reached ${p.node}:${p.ifname} after a frame sent later (reordered)`,
    });
  }
  faults.sort((a, b) => a.t - b.t);

  // Expectations and the events that decided them.
  const expectations = result.expectations.map((x, i) => {
    const evidence: EvidenceRef[] = (x.evidence ?? []).map((ev) => {
      const ref: EvidenceRef = { ...ev };
      if (ev.event === 'frame.tx') {
        for (let id = 0; id < m.t.length; id++) {
          if (m.t[id] !== ev.t || m.frame[id] === 0) continue;
          const p = ports[m.iface[id]];
          if (p.node === ev.node && (ev.iface === undefined || p.ifname === ev.iface)) {
            ref.msg = id;
            break;
          }
        }
      } else {
        const e = rec.events.find((y) => y.t === ev.t && y.event === ev.event && (ev.node === undefined || y.node === ev.node));
        const row = e ? rowOf.get(e) : undefined;
        if (row !== undefined) ref.row = row;
      }
      return ref;
    });
    const figure = topology.expectations[i]?.figure;
    return { kind: x.kind, text: x.text, pass: x.pass, why: x.why, value: x.value ?? null, ...(figure ? { figure } : {}), evidence };
  });

  // Limits: sample messages, summarise receptions, cut events and states.
  const keepMsg = new Array<boolean>(m.t.length).fill(true);
  let kept = m.t.length;
  if (m.t.length > limits.messages) {
    const stride = Math.ceil(m.t.length / limits.messages);
    const must = new Set<number>();
    for (const x of expectations) for (const ev of x.evidence) if (ev.msg !== undefined) must.add(ev.msg);
    kept = 0;
    for (let id = 0; id < m.t.length; id++) {
      keepMsg[id] = id % stride === 0 || must.has(id);
      if (keepMsg[id]) kept++;
    }
    notes.push(`The run sent ${n(m.t.length)} frames; the chart shows every ${stride}th (${n(kept)}) and those an expectation points at. The pcapng has them all.`);
  }
  const newId: number[] = [];
  let next = 0;
  for (let id = 0; id < keepMsg.length; id++) newId[id] = keepMsg[id] ? next++ : -1;
  const remap = (id: number | undefined): number | undefined => (id === undefined || id < 0 ? undefined : newId[id] >= 0 ? newId[id] : undefined);
  const messages: Messages = {
    count: kept,
    data: [],
    link: [],
    kind: [],
    frame: [],
    t: [],
    iface: [],
    copyOf: [],
    rxCount: [],
    rxFirst: [],
    rxLast: [],
  };
  for (let id = 0; id < m.t.length; id++) {
    if (!keepMsg[id]) continue;
    messages.data.push(Buffer.from(m.data[id].buffer, m.data[id].byteOffset, m.data[id].byteLength).toString('base64'));
    messages.link.push(m.link[id]);
    messages.kind.push(m.kind[id]);
    messages.frame.push(m.frame[id]);
    messages.t.push(m.t[id]);
    messages.iface.push(m.iface[id]);
    messages.copyOf.push(remap(m.copyOf[id]) ?? -1);
    messages.rxCount.push(m.rxCount[id]);
    messages.rxFirst.push(m.rxFirst[id]);
    messages.rxLast.push(m.rxLast[id]);
  }
  let receptions: Receptions | undefined;
  const keptRx: number[] = [];
  for (let r = 0; r < rx.msg.length; r++) if (keepMsg[rx.msg[r]]) keptRx.push(r);
  if (keptRx.length <= limits.receptions) {
    receptions = { count: keptRx.length, frame: [], t: [], iface: [], msg: [], flags: [] };
    for (const r of keptRx) {
      receptions.frame.push(rx.frame[r]);
      receptions.t.push(rx.t[r]);
      receptions.iface.push(rx.iface[r]);
      receptions.msg.push(newId[rx.msg[r]]);
      receptions.flags.push(rx.flags[r]);
    }
  } else {
    notes.push(
      `The run has ${n(rx.msg.length)} receptions (pcapng records of frames arriving); above ${n(limits.receptions)} the chart does not draw each: every message shows how many received it and when the first and last did. Frame numbers of receptions are in the pcapng.`,
    );
  }
  const faultsKept = faults.flatMap((f) => {
    if (f.msg === undefined) return [f];
    const id = remap(f.msg);
    if (id === undefined) return [];
    return [{ ...f, msg: id }];
  });
  for (const x of expectations) for (const ev of x.evidence) if (ev.msg !== undefined) ev.msg = remap(ev.msg);
  let events = rows;
  if (rows.length > limits.events) {
    const must = new Set<number>();
    for (const x of expectations) for (const ev of x.evidence) if (ev.row !== undefined) must.add(ev.row);
    const newRow = new Map<number, number>();
    events = [];
    rows.forEach((r, i) => {
      if (i < limits.events || must.has(i)) {
        newRow.set(i, events.length);
        events.push(r);
      }
    });
    for (const x of expectations) for (const ev of x.evidence) if (ev.row !== undefined) ev.row = newRow.get(ev.row);
    notes.push(`The trace has ${n(rows.length)} events besides frames; the event list keeps the first ${n(limits.events)} and those an expectation points at.`);
  }
  let stateList = states;
  if (states.length > limits.states) {
    stateList = states.slice(0, limits.states);
    notes.push(`Nodes changed state ${n(states.length)} times; the timelines show the first ${n(limits.states)} changes (up to ${(stateList[stateList.length - 1].t / 1e6).toFixed(3)}s).`);
  }
  notes.push(`Frame numbers are those of the pcapng this run writes with --pcap (the same seed gives the same file): ${n(rec.iface.length)} records, one per frame sent and one per frame received at each interface.`);

  const f = result.frames;
  return {
    report: 'run',
    linklab: meta.linklab,
    topology: { name: topology.name, ...(topology.description ? { description: topology.description } : {}), ...(topology.file ? { file: topology.file } : {}), duration: topology.duration },
    seed: result.seed,
    until: result.until,
    passed: result.passed,
    command: meta.command,
    segments: topology.segments.map((s) => ({ name: s.name, mtu: s.mtu, faults: { ...s.faults } })),
    underlay: { used: world.underlay.ports.length > 0, faults: { ...topology.underlay.faults } },
    nodes,
    interfaces,
    frames: rec.iface.length,
    messages,
    ...(receptions ? { receptions } : {}),
    faults: faultsKept,
    timed,
    scripts,
    states: stateList,
    events,
    expectations,
    totals: { events: result.events, framesSent: f.sent, framesDelivered: f.delivered, lost: f.lost + result.packets.lost, dropped: f.dropped + result.packets.dropped, duplicated: f.duplicated + result.packets.duplicated, corrupted: f.corrupted + result.packets.corrupted, packetsSent: result.packets.sent },
    notes,
  };
}

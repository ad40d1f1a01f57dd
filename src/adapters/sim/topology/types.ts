/**
 * A topology after loading: every name resolved, replicated nodes expanded, addresses parsed,
 * durations in microseconds. This is what a run is built from; `path` fields point back into the
 * file for error messages.
 */
import type { Micros } from '../../../core/time.js';
import type { MacAddress } from '../../../core/wire/mac-address.js';
import type { Ipv4Address } from '../../../core/wire/ipv4-address.js';
import type { Ipv6Address } from '../../../core/wire/ipv6-address.js';
import type { FaultSpec } from '../faults.js';
import type { NodeEvent, NodeKind } from '../node.js';
import type { Expectation } from '../expectations/expectation.js';

export type Path = ReadonlyArray<string | number>;

export interface SegmentSpec {
  name: string;
  mtu: number;
  /** Defaults for every port on the segment (a port's own faults override them field by field). */
  faults: FaultSpec;
}

export interface InterfaceSpec {
  ifname: string;
  type: 'ethernet' | 'underlay';
  /** The segment, for Ethernet interfaces. */
  segment?: string;
  mac: MacAddress;
  mtu: number;
  /** Link state at the start. */
  up: boolean;
  ipv4: Array<{ address: Ipv4Address; prefixLength: number }>;
  ipv6: Array<{ address: Ipv6Address; prefixLength: number }>;
  /** This port's own fault settings (over the segment's or the underlay's). */
  faults: FaultSpec;
  /** Where those were written: `h{i}:eth0` for every replica of `h{i}` (a fault knob's name). */
  faultOrigin: string;
}

export interface NodeSpec {
  name: string;
  kind: string;
  config: unknown;
  /** When the node starts (boots). */
  startAt: Micros;
  interfaces: InterfaceSpec[];
  /** The key the node was written under (`h{i}` for replicas). */
  group: string;
  /** A replica's number (the `{i}` in its name). */
  replica?: number;
  path: Path;
}

export type EventAction =
  | { do: 'linkDown' | 'linkUp'; node: string; iface: string }
  | { do: 'crash' | 'restart'; node: string }
  | { do: 'partition'; segment: string; groups: string[][] }
  | { do: 'heal'; segment: string }
  | { do: 'tell'; nodes: string[]; event: NodeEvent }
  | { do: 'dns'; name: string; addresses: Ipv4Address[] };

export type EventSpec = EventAction & {
  /** 1-based position in the file's `events:` list (what --drop-event names). */
  index: number;
  at: Micros;
  /** The event as written, for printing a schedule. */
  source: Record<string, unknown>;
};

export interface Topology {
  name: string;
  description?: string;
  /** The file it came from, for messages and replay commands. */
  file?: string;
  /** How long a run lasts unless --until says otherwise. */
  duration: Micros;
  segments: SegmentSpec[];
  underlay: { faults: FaultSpec };
  dns: Array<{ name: string; addresses: Ipv4Address[] }>;
  nodes: NodeSpec[];
  events: EventSpec[];
  expectations: Expectation[];
  /** The node kinds it was checked against (runs build its nodes with these). */
  kinds?: readonly NodeKind[];
  /** Line and column of a document path, when the topology came from text. */
  locate?: (path: Path, atKey?: boolean) => { line: number; column: number };
}

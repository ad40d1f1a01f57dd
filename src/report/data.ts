/**
 * What an HTML report carries: the JSON inlined in the page, read by the client (client/). Types
 * only, shared by the writer (Node) and the page (browser). Times are virtual microseconds.
 *
 * Messages are columns (one array per field) so a run of 20,000 frames stays a few MB of JSON.
 */

/** Message kinds, in the order the legend and the kind filter list them. */
export const KINDS = [
  { key: 'rs', label: 'RS', color: '#1f77b4' },
  { key: 'ra', label: 'RA', color: '#2ca02c' },
  { key: 'ns', label: 'NS', color: '#9467bd' },
  { key: 'na', label: 'NA', color: '#8c564b' },
  { key: 'dad', label: 'DAD (NS from ::)', color: '#e377c2' },
  { key: 'arp-request', label: 'ARP request', color: '#ff7f0e' },
  { key: 'arp-reply', label: 'ARP reply', color: '#bcbd22' },
  { key: 'arp-announce', label: 'ARP announcement/probe', color: '#d62728' },
  { key: 'isatap-rs', label: 'ISATAP RS (to the PRL)', color: '#17becf' },
  { key: 'isatap-ra', label: 'ISATAP RA (from the PRL)', color: '#006d2c' },
  { key: 'isatap-data', label: 'other IPv6 in IPv4 (ISATAP)', color: '#6baed6' },
  { key: 'echo', label: 'ICMPv6 echo', color: '#7f7f7f' },
  { key: 'redirect', label: 'redirect', color: '#a55194' },
  { key: 'ipv6', label: 'other IPv6', color: '#9e9ac8' },
  { key: 'ipv4', label: 'other IPv4', color: '#fdae6b' },
  { key: 'malformed', label: 'malformed', color: '#000000' },
  { key: 'other', label: 'other', color: '#c7c7c7' },
] as const;

export type KindKey = (typeof KINDS)[number]['key'];

/** Link types of message bytes. */
export const LINK_ETHERNET = 0;
export const LINK_IPV4 = 1;

/** Reception flags. */
export const RX_DUPLICATE = 1;
/** Arrived later than the two cables' latency and jitter allow: held back by the reorder fault. */
export const RX_HELD_BACK = 2;
/** A corrupted copy (its bytes differ from what was sent). */
export const RX_CORRUPTED = 4;
/** Arrived after a frame its sender sent later (overtaken). */
export const RX_OVERTAKEN = 8;

export interface InterfaceInfo {
  ifname: string;
  type: 'ethernet' | 'underlay';
  segment?: string;
  mac?: string;
  ipv4: string[];
  ipv6: string[];
  up: boolean;
  /** The cable's faults as sampled for this seed (probabilities, delays in microseconds). */
  faults: Record<string, number>;
}

export interface NodeInfo {
  name: string;
  kind: string;
  /** What it runs: the node kind, or the daemon core (rtsold, arpd, isatapd). */
  role: string;
  /** The key it was written under (`h{i}` for replicas). */
  group: string;
  replica?: number;
  startAt: number;
  alive: boolean;
  crashes: number;
  sent: number;
  received: number;
  interfaces: InterfaceInfo[];
}

export interface SegmentInfo {
  name: string;
  mtu: number;
  /** Fault settings as the file writes them (fixed values or {min, max} ranges). */
  faults: Record<string, unknown>;
}

/** A pcapng interface: [node index, ifname, segment name or "underlay"]. */
export type CaptureInterface = [number, string, string];

export interface Messages {
  /** How many there are (each array below has this length). */
  count: number;
  /** The bytes, base64. */
  data: string[];
  link: number[];
  /** Index into KINDS. */
  kind: number[];
  /** pcapng frame number (1-based) of the transmission; 0 for a corrupted copy seen only at receivers. */
  frame: number[];
  t: number[];
  /** The sending capture interface. */
  iface: number[];
  /** For a corrupted copy: the message it is a copy of, else -1. */
  copyOf: number[];
  /** Receptions of this message, all of them (also when they are summarised). */
  rxCount: number[];
  /** First and last reception times (-1 without receptions). */
  rxFirst: number[];
  rxLast: number[];
}

/** One row per pcapng record that is a reception, when they are kept. */
export interface Receptions {
  count: number;
  frame: number[];
  t: number[];
  iface: number[];
  msg: number[];
  /** RX_* bits. */
  flags: number[];
}

export type FaultKind =
  | 'loss'
  | 'duplicate'
  | 'corrupt'
  | 'held-back'
  | 'overtaken'
  | 'too-big'
  | 'dropped'
  | 'link-down'
  | 'link-up'
  | 'partition'
  | 'heal'
  | 'crash'
  | 'restart';

export interface FaultMark {
  t: number;
  kind: FaultKind;
  node?: string;
  iface?: string;
  segment?: string;
  /** The message it struck, when known. */
  msg?: number;
  text: string;
}

export interface TimedEventMark {
  t: number;
  /** 1-based place in the file's `events:` (what --drop-event names). */
  index: number;
  do: string;
  text: string;
}

export interface ScriptMark {
  t: number;
  node: string;
  path: string;
  args: string[];
  stdin: string;
}

/** A state track of a node: one address, one router, one neighbour, one arpd entry... */
export type TrackKind = 'address' | 'router' | 'route' | 'neighbour' | 'arpd' | 'daemon';

export interface StateChange {
  t: number;
  node: string;
  track: TrackKind;
  /** What the track is about: "eth0 2001:db8:1::5/64", "eth0 198.51.100.7". */
  key: string;
  /** The state from now on; "removed" ends the track. */
  state: string;
  detail?: string;
}

/** A trace event, for evidence and the event list: [t, event name, node or ""] plus its text. */
export interface EventRow {
  t: number;
  event: string;
  node?: string;
  text: string;
}

export interface EvidenceRef {
  t: number;
  event: string;
  node?: string;
  iface?: string;
  /** The message it is (frames), when the writer found it. */
  msg?: number;
  /** The row in `events` it is, when the writer found it. */
  row?: number;
}

export interface ExpectationInfo {
  kind: string;
  text: string;
  pass: boolean;
  why: string;
  value: number | null;
  figure?: { label: string; unit: string };
  evidence: EvidenceRef[];
}

export interface RunReportData {
  report: 'run';
  /** The linklab version that wrote it. */
  linklab: string;
  topology: { name: string; description?: string; file?: string; duration: number };
  seed: number;
  until: number;
  passed: boolean;
  /** The command that replays the run. */
  command: string;
  segments: SegmentInfo[];
  underlay: { used: boolean; faults: Record<string, unknown> };
  nodes: NodeInfo[];
  interfaces: CaptureInterface[];
  /** pcapng records in the run's capture (what `--pcap` writes). */
  frames: number;
  messages: Messages;
  /** Absent when the receptions are summarised (see notes). */
  receptions?: Receptions;
  faults: FaultMark[];
  timed: TimedEventMark[];
  scripts: ScriptMark[];
  states: StateChange[];
  /** Other trace events worth a mark (daemon starts, log lines an expectation names...). */
  events: EventRow[];
  expectations: ExpectationInfo[];
  totals: { events: number; framesSent: number; framesDelivered: number; lost: number; dropped: number; duplicated: number; corrupted: number; packetsSent: number };
  /** What the report leaves out or summarises, in words, shown at the top of the page. */
  notes: string[];
}

export interface ExploreSeed {
  seed: number;
  passed: boolean;
  /** Per expectation, in `expect:` order: true when it passed. */
  pass: boolean[];
  /** Per expectation: the measured figure, or null. */
  values: Array<number | null>;
  failures: Array<{ index: number; why: string }>;
  error?: string;
  /** The command that replays this seed. */
  command?: string;
  /** A run report of this seed, beside the explore report (a relative link). */
  report?: string;
}

export interface ExploreReportData {
  report: 'explore';
  linklab: string;
  topology: { name: string; description?: string; file: string };
  seeds: ExploreSeed[];
  expectations: Array<{ kind: string; text: string; figure?: { label: string; unit: string } }>;
  workers: number;
  shrunk?: { seed: number; runs: number; schedule: string[]; command: string; report?: string };
  notes: string[];
}

export type ReportData = RunReportData | ExploreReportData;

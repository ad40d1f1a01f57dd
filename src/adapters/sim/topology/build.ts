/**
 * From a schema-valid document to a Topology: replicas expanded, names resolved, addresses and
 * durations parsed, references checked. Every problem is a LocatedError at a document path; the
 * builder collects as many as it can (one per node, event or expectation) before giving up.
 */
import { MacAddress } from '../../../core/wire/mac-address.js';
import { Ipv4Address } from '../../../core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../core/wire/ipv6-address.js';
import { SECOND, type Micros } from '../../../core/time.js';
import type { NodeKind, NodeEvent } from '../node.js';
import { DELAY_FAULTS, PROBABILITY_FAULTS, type FaultSpec, type FaultValue } from '../faults.js';
import type { ExpectationKind, ParseContext } from '../expectations/expectation.js';
import { globToRegExp } from '../expectations/expectation.js';
import { parseDuration } from './durations.js';
import { LocatedError } from './errors.js';
import type { EventAction, EventSpec, InterfaceSpec, NodeSpec, Path, SegmentSpec, Topology } from './types.js';
import { schemaProblems, validatorFor } from './validate.js';

type Raw = Record<string, unknown>;

export const DEFAULT_DURATION: Micros = 60 * SECOND;
export const DEFAULT_MTU = 1500;

/** A reference to something already reported broken: no second message for the same cause. */
class AlreadyReported extends Error {}

/** Collects located errors and lets the build go on past them. */
class Problems {
  readonly list: LocatedError[] = [];

  /** Runs `f`; a LocatedError it throws is kept and `fallback` returned. */
  attempt<T>(f: () => T, fallback: T): T {
    try {
      return f();
    } catch (err) {
      if (err instanceof LocatedError) {
        this.list.push(err);
        return fallback;
      }
      if (err instanceof AlreadyReported) return fallback;
      throw err;
    }
  }
}

function fail(path: Path, message: string, atKey = false): never {
  throw new LocatedError(path, message, atKey);
}

function duration(text: unknown, path: Path): Micros {
  const d = typeof text === 'string' ? parseDuration(text) : null;
  if (d === null) fail(path, `expected a duration such as "10s" or "250ms", got ${JSON.stringify(text)}`);
  return d;
}

function faultSpec(raw: unknown, path: Path): FaultSpec {
  const out: FaultSpec = {};
  if (raw === undefined || raw === null) return out;
  const r = raw as Raw;
  for (const name of PROBABILITY_FAULTS) {
    const v = r[name];
    if (v === undefined) continue;
    if (typeof v === 'object' && v !== null) {
      const { min, max } = v as { min: number; max: number };
      if (min > max) fail([...path, name, 'max'], `max ${max} is below min ${min}`);
      out[name] = { min, max };
    } else out[name] = v as number;
  }
  for (const name of DELAY_FAULTS) {
    const v = r[name];
    if (v === undefined) continue;
    if (typeof v === 'object' && v !== null) {
      const { min, max } = v as { min: string; max: string };
      const value: FaultValue = { min: duration(min, [...path, name, 'min']), max: duration(max, [...path, name, 'max']) };
      if (value.min > value.max) fail([...path, name, 'max'], `max ${max} is below min ${min}`);
      out[name] = value;
    } else out[name] = duration(v, [...path, name]);
  }
  return out;
}

function fnv(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A locally administered unicast MAC derived from `node:iface` (stable when other nodes change). */
export function defaultMac(label: string): MacAddress {
  const hi = fnv(label, 0x5eed) & 0xff;
  const lo = fnv(label, 0x1a2b3c4d);
  return new MacAddress(0x02 * 2 ** 40 + hi * 2 ** 32 + lo);
}

function ipv4Prefix(text: string, path: Path, plus: number): { address: Ipv4Address; prefixLength: number } {
  const [a, l] = text.split('/');
  const address = Ipv4Address.tryParse(a);
  const prefixLength = Number(l);
  if (!address || !(prefixLength <= 32)) fail(path, `"${text}" is not an IPv4 address with a prefix length such as "192.0.2.10/24"`);
  const value = address.value + plus;
  if (value > 0xffff_ffff) fail(path, `replica ${plus + 1} would get an address past 255.255.255.255`);
  return { address: new Ipv4Address(value), prefixLength };
}

function ipv6Prefix(text: string, path: Path, plus: number): { address: Ipv6Address; prefixLength: number } {
  const [a, l] = text.split('/');
  const address = Ipv6Address.tryParse(a);
  const prefixLength = Number(l);
  if (!address || !(prefixLength <= 128)) fail(path, `"${text}" is not an IPv6 address with a prefix length such as "2001:db8::10/64"`);
  const w3 = address.w3 + plus;
  if (w3 > 0xffff_ffff) fail(path, `replica ${plus + 1} would overflow the address's last 32 bits`);
  return { address: new Ipv6Address(address.w0, address.w1, address.w2, w3), prefixLength };
}

/** `{i}` in every string of `v` replaced by the replica number. */
function substitute(v: unknown, i: number): unknown {
  if (typeof v === 'string') return v.split('{i}').join(String(i));
  if (Array.isArray(v)) return v.map((x) => substitute(x, i));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, i)]));
  return v;
}

interface BuildInput {
  data: Raw;
  kinds: readonly NodeKind[];
  expectations: readonly ExpectationKind[];
  file?: string;
}

export function buildTopology({ data, kinds, expectations, file }: BuildInput): { topology: Topology; problems: LocatedError[] } {
  const problems = new Problems();
  const kindByName = new Map(kinds.map((k) => [k.kind, k]));

  // Segments and the underlay.
  const segments: SegmentSpec[] = [];
  for (const [name, raw] of Object.entries((data.segments as Raw | undefined) ?? {})) {
    const s = (raw ?? {}) as Raw;
    if (name === 'underlay') problems.attempt(() => fail(['segments', name], '"underlay" is the IPv4 cloud\'s name; call the segment something else', true), undefined);
    segments.push({
      name,
      mtu: (s.mtu as number | undefined) ?? DEFAULT_MTU,
      faults: problems.attempt(() => faultSpec(s.faults, ['segments', name, 'faults']), {}),
    });
  }
  const segmentByName = new Map(segments.map((s) => [s.name, s]));
  const underlayRaw = (data.underlay as Raw | undefined) ?? {};
  const underlay = { faults: problems.attempt(() => faultSpec(underlayRaw.faults, ['underlay', 'faults']), {}) };

  const dns: Topology['dns'] = [];
  for (const [name, list] of Object.entries((data.dns as Record<string, string[]> | undefined) ?? {})) {
    dns.push({
      name,
      addresses: list.map((a, i) => Ipv4Address.tryParse(a) ?? problems.attempt(() => fail(['dns', name, i], `"${a}" is not an IPv4 address`), Ipv4Address.ANY)),
    });
  }

  // Nodes, replicas expanded in file order.
  const nodes: NodeSpec[] = [];
  const nodeByName = new Map<string, NodeSpec>();
  /** Names of nodes that could not be built (their problem is reported once, at the node). */
  const broken = new Set<string>();
  for (const [key, raw] of Object.entries(data.nodes as Raw)) {
    const n = raw as Raw;
    const path: Path = ['nodes', key];
    const before = problems.list.length;
    problems.attempt(() => {
      const count = n.count as number | undefined;
      const templated = key.includes('{i}');
      if (count !== undefined && !templated) fail(path, `a node with count: needs {i} in its name (such as "h{i}")`, true);
      if (count === undefined && templated) fail(path, `"${key}" has {i} in its name but no count:`, true);
      const first = (n.first as number | undefined) ?? 1;
      const kind = kindByName.get(n.kind as string);
      if (!kind) fail([...path, 'kind'], `no node kind "${String(n.kind)}"`);
      const startAt = n.startAt === undefined ? 0 : duration(n.startAt, [...path, 'startAt']);
      const ifaces = Object.entries((n.interfaces as Raw | undefined) ?? {});
      for (let k = 0; k < (count ?? 1); k++) {
        const i = first + k;
        const name = templated ? key.split('{i}').join(String(i)) : key;
        if (nodeByName.has(name)) fail(path, `node "${name}" is declared twice`, true);
        const interfaces: InterfaceSpec[] = ifaces.map(([ifname, rawIf]) => buildInterface(name, ifname, rawIf as Raw, [...path, 'interfaces', ifname], k, templated ? `${key}:${ifname}` : `${name}:${ifname}`, segmentByName));
        const spec: NodeSpec = {
          name,
          kind: kind.kind,
          config: templated ? substitute(n.config ?? {}, i) : (n.config ?? {}),
          startAt,
          interfaces,
          group: key,
          path,
          ...(templated ? { replica: i } : {}),
        };
        nodes.push(spec);
        nodeByName.set(name, spec);
      }
    }, undefined);
    if (problems.list.length > before) {
      const count = typeof n.count === 'number' ? n.count : 1;
      const first = typeof n.first === 'number' ? n.first : 1;
      for (let k = 0; k < count; k++) broken.add(key.split('{i}').join(String(first + k)));
    }
  }
  checkClashes(nodes, problems);

  const nodeNames = nodes.map((n) => n.name);
  const matchNodes = (pattern: string, at: Path): string[] => {
    if (nodeByName.has(pattern)) return [pattern];
    const re = globToRegExp(pattern.replace(/\{i\}/g, '*'));
    const found = nodeNames.filter((n) => re.test(n));
    if (found.length === 0) {
      if ([...broken].some((n) => re.test(n))) throw new AlreadyReported();
      fail(at, `no node matches "${pattern}"${nodeNames.length === 0 ? '' : nodeNames.length <= 12 ? ` (nodes: ${nodeNames.join(', ')})` : ''}`);
    }
    return found;
  };

  // Timed events.
  const events: EventSpec[] = [];
  ((data.events as Raw[] | undefined) ?? []).forEach((raw, idx) => {
    const path: Path = ['events', idx];
    problems.attempt(() => {
      const at = duration(raw.at, [...path, 'at']);
      const key = Object.keys(raw).find((k) => k !== 'at');
      if (key === undefined) fail(path, 'an event needs an action next to `at`');
      const action = buildEvent(key, raw[key], [...path, key], { nodeByName, segmentByName, kindByName, matchNodes, broken });
      events.push({ ...action, index: idx + 1, at, source: raw });
    }, undefined);
  });

  // Expectations.
  const ctx: ParseContext = {
    nodes: nodeNames,
    segments: segments.map((s) => s.name),
    matchNodes,
    duration: (text, at) => duration(text, at),
    error: (at, message) => fail(at, message),
  };
  const expectList: Topology['expectations'] = [];
  ((data.expect as Raw[] | undefined) ?? []).forEach((raw, idx) => {
    const key = Object.keys(raw)[0];
    const kind = expectations.find((e) => e.key === key);
    if (!kind) return; // the schema already said so
    problems.attempt(() => expectList.push(kind.parse(raw[key] as Raw, ['expect', idx, key], ctx)), undefined);
  });

  const topology: Topology = {
    name: (data.name as string | undefined) ?? (file ? file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/i, '') : 'topology'),
    description: data.description as string | undefined,
    file,
    duration: data.duration === undefined ? DEFAULT_DURATION : problems.attempt(() => duration(data.duration, ['duration']), DEFAULT_DURATION),
    segments,
    underlay,
    dns,
    nodes,
    events,
    expectations: expectList,
  };
  return { topology, problems: problems.list };
}

function buildInterface(node: string, ifname: string, r: Raw, path: Path, k: number, faultOrigin: string, segments: Map<string, SegmentSpec>): InterfaceSpec {
  const onSegment = r.segment !== undefined;
  const onUnderlay = r.underlay === true;
  if (onSegment === onUnderlay) fail(path, onSegment ? 'an interface is on a segment or on the underlay, not both' : 'give `segment: NAME` or `underlay: true`', true);
  const seg = onSegment ? segments.get(r.segment as string) : undefined;
  if (onSegment && !seg) fail([...path, 'segment'], `no segment "${String(r.segment)}"${[...segments.keys()].length ? ` (segments: ${[...segments.keys()].join(', ')})` : ' (declare it under segments:)'}`);
  let mac = defaultMac(`${node}:${ifname}`);
  if (r.mac !== undefined) {
    const base = MacAddress.tryParse(r.mac as string);
    if (!base) fail([...path, 'mac'], `"${String(r.mac)}" is not a MAC address`);
    if (base.value + k > 0xffff_ffff_ffff) fail([...path, 'mac'], `replica ${k + 1} would get a MAC past ff:ff:ff:ff:ff:ff`);
    mac = new MacAddress(base.value + k);
    if (mac.isMulticast) fail([...path, 'mac'], `${mac} is a multicast address (an interface needs a unicast one)`);
  }
  const ipv4 = ((r.ipv4 as string[] | undefined) ?? []).map((t, j) => ipv4Prefix(t, [...path, 'ipv4', j], k));
  const ipv6 = ((r.ipv6 as string[] | undefined) ?? []).map((t, j) => ipv6Prefix(t, [...path, 'ipv6', j], k));
  if (onUnderlay && ipv4.length === 0) fail(path, 'an underlay interface needs an IPv4 address (ipv4: [192.0.2.1/24])', true);
  return {
    ifname,
    type: onSegment ? 'ethernet' : 'underlay',
    segment: seg?.name,
    mac,
    mtu: (r.mtu as number | undefined) ?? seg?.mtu ?? DEFAULT_MTU,
    up: r.up !== false,
    ipv4,
    ipv6,
    faults: faultSpec(r.faults, [...path, 'faults']),
    faultOrigin,
  };
}

/** Two ports with one MAC on a segment, or one IPv4 address twice on the underlay. */
function checkClashes(nodes: NodeSpec[], problems: Problems): void {
  const macs = new Map<string, string>();
  const v4 = new Map<number, string>();
  for (const n of nodes) {
    n.interfaces.forEach((i) => {
      const at: Path = [...n.path, 'interfaces', i.ifname];
      if (i.type === 'ethernet') {
        const key = `${i.segment}/${i.mac.value}`;
        const other = macs.get(key);
        if (other) problems.list.push(new LocatedError([...at, 'mac'], `${n.name}:${i.ifname} has MAC ${i.mac}, like ${other} on segment ${i.segment}`));
        else macs.set(key, `${n.name}:${i.ifname}`);
      } else {
        for (const a of i.ipv4) {
          const other = v4.get(a.address.value);
          if (other) problems.list.push(new LocatedError([...at, 'ipv4'], `${n.name}:${i.ifname} has underlay address ${a.address}, like ${other}`));
          else v4.set(a.address.value, `${n.name}:${i.ifname}`);
        }
      }
    });
  }
}

interface EventContext {
  nodeByName: Map<string, NodeSpec>;
  segmentByName: Map<string, SegmentSpec>;
  kindByName: Map<string, NodeKind>;
  matchNodes(pattern: string, at: Path): string[];
  broken: Set<string>;
}

function portRef(text: string, path: Path, c: EventContext): { node: string; iface: string } {
  const [node, iface] = text.split(':');
  const n = c.nodeByName.get(node);
  if (!n && c.broken.has(node)) throw new AlreadyReported();
  if (!n) fail(path, `no node "${node}"`);
  if (!n.interfaces.some((i) => i.ifname === iface)) fail(path, `${node} has no interface "${iface}" (it has ${n.interfaces.map((i) => i.ifname).join(', ') || 'none'})`);
  return { node, iface };
}

function nodeRef(name: string, path: Path, c: EventContext): string {
  if (!c.nodeByName.has(name) && c.broken.has(name)) throw new AlreadyReported();
  if (!c.nodeByName.has(name)) fail(path, `no node "${name}"`);
  return name;
}

function segmentRef(name: string, path: Path, c: EventContext): string {
  if (!c.segmentByName.has(name)) fail(path, `no segment "${name}"`);
  return name;
}

function buildEvent(key: string, v: unknown, path: Path, c: EventContext): EventAction {
  switch (key) {
    case 'linkDown':
    case 'linkUp':
      return { do: key, ...portRef(v as string, path, c) };
    case 'crash':
    case 'restart':
      return { do: key, node: nodeRef(v as string, path, c) };
    case 'heal':
      return { do: 'heal', segment: segmentRef(v as string, path, c) };
    case 'partition': {
      const p = v as { segment: string; groups: string[][] };
      const segment = segmentRef(p.segment, [...path, 'segment'], c);
      const ports = [...c.nodeByName.values()].flatMap((n) => n.interfaces.filter((i) => i.segment === segment).map((i) => `${n.name}:${i.ifname}`));
      const taken = new Map<string, number>();
      const groups = p.groups.map((g, gi) =>
        g.flatMap((item, ii) => {
          const at = [...path, 'groups', gi, ii];
          const re = globToRegExp(item.includes(':') ? item : `${item}:*`);
          const found = ports.filter((x) => re.test(x));
          if (found.length === 0) fail(at, `"${item}" names no interface on segment ${segment}`);
          for (const f of found) {
            if (taken.has(f) && taken.get(f) !== gi) fail(at, `${f} is already in group ${taken.get(f)! + 1}`);
            taken.set(f, gi);
          }
          return found;
        }),
      );
      return { do: 'partition', segment, groups };
    }
    case 'tell': {
      const { node, action, ...fields } = v as { node: string; action: string };
      const nodes = c.matchNodes(node, [...path, 'node']);
      for (const name of nodes) {
        const kind = c.kindByName.get(c.nodeByName.get(name)!.kind)!;
        if (!kind.events) continue;
        const schema = kind.events[action];
        if (!schema) fail([...path, 'action'], `a ${kind.kind} node has no action "${action}" (it has ${Object.keys(kind.events).join(', ') || 'none'})`);
        const bad = schemaProblems(validatorFor(schema), fields);
        if (bad.length) fail([...path, ...bad[0].path], bad[0].message, bad[0].atKey);
      }
      const event: NodeEvent = { action, ...fields };
      return { do: 'tell', nodes, event };
    }
    case 'dns': {
      const d = v as { name: string; addresses: string[] };
      const addresses = d.addresses.map((a, i) => Ipv4Address.tryParse(a) ?? fail([...path, 'addresses', i], `"${a}" is not an IPv4 address`));
      return { do: 'dns', name: d.name, addresses };
    }
    default:
      return fail(path, `unknown event "${key}"`, true);
  }
}

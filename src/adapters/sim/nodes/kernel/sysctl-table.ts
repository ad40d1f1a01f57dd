/**
 * The host's kernel tunables, with Linux's names and defaults. The model reads them each time it
 * needs one, so a write takes effect the way it does on Linux (at the next RA, the next probe,
 * the next new neighbour).
 *
 * Values are kept per interface as numbers (a 10,000-host run cannot afford a hundred strings per
 * host); the text keys (`net.ipv6.conf.eth0.accept_ra`) are parsed on the way in and out.
 * `default` is the template an interface created later (a TUN device) starts from, as on Linux.
 */
import { MILLISECOND, SECOND } from '../../../../core/time.js';
import type { NudParams } from './neighbor-table.js';

/** Per-interface IPv6 settings (net.ipv6.conf.IF.*). */
export const IPV6_CONF_DEFAULTS = {
  accept_ra: 1,
  forwarding: 0,
  autoconf: 1,
  accept_dad: 1,
  dad_transmits: 1,
  router_solicitations: 3,
  router_solicitation_interval: 4,
  router_solicitation_delay: 1,
  hop_limit: 64,
  disable_ipv6: 0,
};

/** Per-interface neighbour settings (net.ipv4.neigh.IF.* and net.ipv6.neigh.IF.*). */
export const NEIGH_DEFAULTS = {
  app_solicit: 0,
  mcast_solicit: 3,
  ucast_solicit: 3,
  mcast_resolicit: 0,
  retrans_time_ms: 1000,
  base_reachable_time_ms: 30000,
  delay_first_probe_time: 5,
  unres_qlen: 101,
};

export type Ipv6ConfKey = keyof typeof IPV6_CONF_DEFAULTS;
export type NeighKey = keyof typeof NEIGH_DEFAULTS;

const CONF_KEYS = Object.keys(IPV6_CONF_DEFAULTS) as Ipv6ConfKey[];
const NEIGH_KEYS = Object.keys(NEIGH_DEFAULTS) as NeighKey[];
const CONF_INDEX = new Map(CONF_KEYS.map((k, i) => [k, i]));
const NEIGH_INDEX = new Map(NEIGH_KEYS.map((k, i) => [k, i]));
const NEIGH4_BASE = CONF_KEYS.length;
const NEIGH6_BASE = CONF_KEYS.length + NEIGH_KEYS.length;
const SLOTS = CONF_KEYS.length + 2 * NEIGH_KEYS.length;

function defaults(): Float64Array {
  const v = new Float64Array(SLOTS);
  CONF_KEYS.forEach((k, i) => (v[i] = IPV6_CONF_DEFAULTS[k]));
  NEIGH_KEYS.forEach((k, i) => {
    v[NEIGH4_BASE + i] = NEIGH_DEFAULTS[k];
    v[NEIGH6_BASE + i] = NEIGH_DEFAULTS[k];
  });
  return v;
}

const KEY = /^net\.(ipv6\.conf|ipv4\.neigh|ipv6\.neigh)\.([^.]+)\.([a-z0-9_]+)$/;

export class SysctlTable {
  /** Per interface, every value in one array: IPv6 conf, then IPv4 neigh, then IPv6 neigh. */
  private readonly ifaces = new Map<string, Float64Array>();

  constructor() {
    this.ifaces.set('default', defaults());
    this.addInterface('all');
  }

  /** Creates the keys of interface `ifname` from the `default` templates. */
  addInterface(ifname: string): void {
    this.ifaces.set(ifname, Float64Array.from(this.ifaces.get('default')!));
  }

  removeInterface(ifname: string): void {
    if (ifname !== 'default' && ifname !== 'all') this.ifaces.delete(ifname);
  }

  private slot(key: string): { values: Float64Array; i: number } | undefined {
    const m = KEY.exec(key);
    if (!m) return undefined;
    const values = this.ifaces.get(m[2]);
    if (!values) return undefined;
    if (m[1] === 'ipv6.conf') {
      const i = CONF_INDEX.get(m[3] as Ipv6ConfKey);
      return i === undefined ? undefined : { values, i };
    }
    const i = NEIGH_INDEX.get(m[3] as NeighKey);
    if (i === undefined) return undefined;
    return { values, i: (m[1] === 'ipv4.neigh' ? NEIGH4_BASE : NEIGH6_BASE) + i };
  }

  has(key: string): boolean {
    return this.slot(key) !== undefined;
  }

  /** The value as text, or null when the key does not exist. */
  get(key: string): string | null {
    const at = this.slot(key);
    return at ? String(at.values[at.i]) : null;
  }

  /** Sets an existing key; throws an Error naming the key when it does not exist or the value is not an integer. */
  set(key: string, value: string): void {
    const at = this.slot(key);
    if (!at) throw new Error(`sysctl ${key}: no such key`);
    const v = value.trim();
    if (!/^-?[0-9]+$/.test(v)) throw new Error(`sysctl ${key}: "${value}" is not an integer`);
    at.values[at.i] = Number(v);
  }

  ipv6(ifname: string, key: Ipv6ConfKey): number {
    const v = this.ifaces.get(ifname);
    return v ? v[CONF_INDEX.get(key)!] : IPV6_CONF_DEFAULTS[key];
  }

  neigh(family: 'ipv4' | 'ipv6', ifname: string, key: NeighKey): number {
    const v = this.ifaces.get(ifname);
    if (!v) return NEIGH_DEFAULTS[key];
    return v[(family === 'ipv4' ? NEIGH4_BASE : NEIGH6_BASE) + NEIGH_INDEX.get(key)!];
  }

  /** The neighbour table's tunables of an interface, in the units the table uses. */
  nudParams(family: 'ipv4' | 'ipv6', ifname: string): NudParams {
    const v = this.ifaces.get(ifname) ?? this.ifaces.get('default')!;
    const b = family === 'ipv4' ? NEIGH4_BASE : NEIGH6_BASE;
    const at = (k: NeighKey): number => v[b + NEIGH_INDEX.get(k)!];
    return {
      ucastProbes: at('ucast_solicit'),
      mcastProbes: at('mcast_solicit'),
      appProbes: at('app_solicit'),
      mcastReprobes: at('mcast_resolicit'),
      retransTime: at('retrans_time_ms') * MILLISECOND,
      baseReachableTime: at('base_reachable_time_ms') * MILLISECOND,
      delayProbeTime: at('delay_first_probe_time') * SECOND,
      unresQlen: at('unres_qlen'),
    };
  }

  /** Every key and value as text, sorted by key. */
  entries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [ifname, v] of this.ifaces) {
      CONF_KEYS.forEach((k, i) => out.push([`net.ipv6.conf.${ifname}.${k}`, String(v[i])]));
      NEIGH_KEYS.forEach((k, i) => {
        out.push([`net.ipv4.neigh.${ifname}.${k}`, String(v[NEIGH4_BASE + i])]);
        out.push([`net.ipv6.neigh.${ifname}.${k}`, String(v[NEIGH6_BASE + i])]);
      });
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}

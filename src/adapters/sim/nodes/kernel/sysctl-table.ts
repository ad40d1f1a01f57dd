/**
 * The host's kernel tunables, with Linux's names and defaults. Values are text, as in /proc/sys;
 * the model reads them each time it needs one, so a write takes effect the way it does on Linux
 * (at the next RA, the next probe, the next new neighbour).
 *
 * `net.ipv6.conf.default.*` and `net.ipv{4,6}.neigh.default.*` are the templates an interface
 * created later (a TUN device) starts from, as on Linux.
 */

/** Per-interface IPv6 settings (net.ipv6.conf.IF.*). */
export const IPV6_CONF_DEFAULTS: Readonly<Record<string, string>> = {
  accept_ra: '1',
  forwarding: '0',
  autoconf: '1',
  accept_dad: '1',
  dad_transmits: '1',
  router_solicitations: '3',
  router_solicitation_interval: '4',
  router_solicitation_delay: '1',
  hop_limit: '64',
  disable_ipv6: '0',
};

/** Per-interface neighbour settings (net.ipv4.neigh.IF.* and net.ipv6.neigh.IF.*). */
export const NEIGH_DEFAULTS: Readonly<Record<string, string>> = {
  app_solicit: '0',
  mcast_solicit: '3',
  ucast_solicit: '3',
  mcast_resolicit: '0',
  retrans_time_ms: '1000',
  base_reachable_time_ms: '30000',
  delay_first_probe_time: '5',
  unres_qlen: '101',
};

export class SysctlTable {
  private readonly values = new Map<string, string>();

  constructor() {
    this.addInterface('default');
    this.addInterface('all');
  }

  /** Creates the keys of interface `ifname` from the `default` templates. */
  addInterface(ifname: string): void {
    const from = (family: string, key: string, fallback: string): string => this.values.get(`${family}.default.${key}`) ?? fallback;
    for (const [k, v] of Object.entries(IPV6_CONF_DEFAULTS)) this.values.set(`net.ipv6.conf.${ifname}.${k}`, from('net.ipv6.conf', k, v));
    for (const family of ['net.ipv4.neigh', 'net.ipv6.neigh']) {
      for (const [k, v] of Object.entries(NEIGH_DEFAULTS)) this.values.set(`${family}.${ifname}.${k}`, from(family, k, v));
    }
  }

  removeInterface(ifname: string): void {
    for (const prefix of [`net.ipv6.conf.${ifname}.`, `net.ipv4.neigh.${ifname}.`, `net.ipv6.neigh.${ifname}.`]) {
      for (const k of [...this.values.keys()]) if (k.startsWith(prefix)) this.values.delete(k);
    }
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  /** Sets an existing key; throws an Error naming the key when it does not exist or the value is not an integer. */
  set(key: string, value: string): void {
    if (!this.values.has(key)) throw new Error(`sysctl ${key}: no such key`);
    const v = value.trim();
    if (!/^-?[0-9]+$/.test(v)) throw new Error(`sysctl ${key}: "${value}" is not an integer`);
    this.values.set(key, v);
  }

  /** An integer value; `fallback` when the key is missing (an interface that has gone). */
  int(key: string, fallback = 0): number {
    const v = this.values.get(key);
    return v === undefined ? fallback : Number(v);
  }

  ipv6(ifname: string, key: string): number {
    return this.int(`net.ipv6.conf.${ifname}.${key}`, Number(IPV6_CONF_DEFAULTS[key] ?? 0));
  }

  neigh(family: 'ipv4' | 'ipv6', ifname: string, key: string): number {
    return this.int(`net.${family}.neigh.${ifname}.${key}`, Number(NEIGH_DEFAULTS[key] ?? 0));
  }

  /** Every key and value, sorted by key. */
  entries(): Array<[string, string]> {
    return [...this.values.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}

/**
 * `kind: fuzzer`: puts generated malformed packets on its interfaces at a configured rate: broken
 * ND messages, ARP and IPv4 on an Ethernet segment; broken protocol-41 on the underlay (to its
 * `targets`). Which mutation and every byte of it come from the node's `fuzz` random stream, so a
 * run is repeatable from its seed. Each packet is traced as `fuzz.sent` {iface, mutation, len}.
 * The fuzzer answers nothing.
 */
import type { Timer } from '../../../../core/ports.js';
import type { Micros } from '../../../../core/time.js';
import { SECOND, seconds } from '../../../../core/time.js';
import { Ipv4Address } from '../../../../core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../../core/wire/ipv6-address.js';
import { MacAddress } from '../../../../core/wire/mac-address.js';
import type { NodeContext, NodeEvent, NodeKind, SimNode } from '../../node.js';
import { ConfigError, parseIpv4 } from '../kernel/config.js';
import { parseFor } from '../host.js';
import { wants } from '../trace-gate.js';
import { Gen } from './gen.js';
import { ETHERNET_MUTATIONS } from './frame-mutations.js';
import { UNDERLAY_MUTATIONS } from './underlay-mutations.js';

interface FuzzerConfig {
  /** Packets per second on each interface. */
  rate: number;
  start: Micros;
  /** Stop this long after boot; undefined: never. */
  stop: Micros | undefined;
  /** Packets per interface; 0: no limit. */
  count: number;
  /** Mutations to draw from (default: all that fit the interface). */
  mutations: string[] | undefined;
  targets: Ipv4Address[];
}

type Input = Record<string, unknown>;

/** Every mutation name, by interface type. */
export const MUTATIONS = {
  ethernet: Object.keys(ETHERNET_MUTATIONS).sort(),
  underlay: Object.keys(UNDERLAY_MUTATIONS).sort(),
};

function fail(field: string, what: string): never {
  throw new ConfigError(`config.${field}: ${what}`);
}

export function parseFuzzerConfig(c: Input | undefined, ctx: NodeContext): FuzzerConfig {
  const v = c ?? {};
  const num = (k: string, fallback: number, min: number): number => {
    const x = v[k];
    if (x === undefined) return fallback;
    if (typeof x !== 'number' || !Number.isFinite(x) || x < min) fail(k, `${JSON.stringify(x)} is not a number >= ${min}`);
    return x;
  };
  const rate = num('rate', 10, 0.001);
  const count = num('count', 0, 0);
  if (!Number.isInteger(count)) fail('count', `${count} is not a whole number`);
  let mutations: string[] | undefined;
  if (v.mutations !== undefined) {
    if (!Array.isArray(v.mutations) || v.mutations.length === 0) fail('mutations', 'expected a non-empty list of mutation names');
    const known = new Set([...MUTATIONS.ethernet, ...MUTATIONS.underlay]);
    v.mutations.forEach((m, i) => {
      if (typeof m !== 'string' || !known.has(m)) fail(`mutations[${i}]`, `unknown mutation ${JSON.stringify(m)} (known: ${[...known].sort().join(', ')})`);
    });
    mutations = v.mutations as string[];
  }
  const targets = Array.isArray(v.targets) ? v.targets.map((t, i) => parseIpv4(t, `targets[${i}]`)) : [];
  if (v.targets !== undefined && !Array.isArray(v.targets)) fail('targets', 'expected a list of IPv4 addresses');
  const hasUnderlay = ctx.interfaces.some((i) => i.type === 'underlay');
  if (hasUnderlay && targets.length === 0) fail('targets', 'a fuzzer on the underlay needs targets (the IPv4 addresses to send to)');
  const stopAt = v.stop === undefined ? undefined : seconds(num('stop', 0, 0));
  return { rate, start: seconds(num('start', 0, 0)), stop: stopAt, count, mutations, targets };
}

export class FuzzerNode implements SimNode {
  readonly kind = 'fuzzer';
  private readonly cfg: FuzzerConfig;
  private timers: Timer[] = [];
  private bootedAt: Micros = 0;
  private paused = false;
  readonly sent: Record<string, number> = {};
  private total = 0;

  constructor(
    readonly ctx: NodeContext,
    config: Input | undefined,
  ) {
    this.cfg = parseFor(ctx, () => parseFuzzerConfig(config, ctx));
    parseFor(ctx, () => {
      for (const i of ctx.interfaces) {
        if (this.namesFor(i.type).length === 0) fail('mutations', `none of the mutations fits ${i.type} interface ${i.ifname}`);
      }
    });
  }

  get name(): string {
    return this.ctx.name;
  }

  private namesFor(type: 'ethernet' | 'underlay'): string[] {
    const all = MUTATIONS[type];
    return this.cfg.mutations ? this.cfg.mutations.filter((m) => all.includes(m)) : all;
  }

  start(): void {
    this.bootedAt = this.ctx.clock.now();
    this.paused = false;
    const random = this.ctx.stream('fuzz');
    for (const i of this.ctx.interfaces) {
      const names = this.namesFor(i.type);
      let gen: Gen;
      let send: (b: Uint8Array) => void;
      if (i.type === 'ethernet') {
        const att = this.ctx.ethernet(i.ifname);
        const v4 = i.ipv4[0]?.address ?? new Ipv4Address(0xc000_02fe);
        gen = new Gen(random, att.mac, Ipv6Address.linkLocalFromMac(att.mac), v4, this.cfg.targets);
        // The fuzzer only talks: its NIC listens to nothing but its own address.
        att.setReceiveMode('filtered');
        send = (b) => att.send(b);
      } else {
        const att = this.ctx.underlay(i.ifname);
        const v4 = att.addresses[0] ?? i.ipv4[0]?.address ?? new Ipv4Address(0xc633_64fe);
        gen = new Gen(random, new MacAddress(0x0200_0000_0000 + (v4.value & 0xffffff)), Ipv6Address.linkLocalFromMac(new MacAddress(0x0200_0000_0000)), v4, this.cfg.targets);
        send = (b) => att.send(b);
      }
      this.schedule(i.ifname, names, i.type === 'ethernet' ? ETHERNET_MUTATIONS : UNDERLAY_MUTATIONS, gen, send, 0);
    }
  }

  private schedule(ifname: string, names: string[], table: Record<string, (g: Gen) => Uint8Array>, gen: Gen, send: (b: Uint8Array) => void, n: number): void {
    const c = this.cfg;
    if (c.count > 0 && n >= c.count) return;
    const at = this.bootedAt + c.start + Math.round((n * SECOND) / c.rate);
    if (c.stop !== undefined && at >= this.bootedAt + c.stop) return;
    const t = this.ctx.clock.at(at, () => {
      this.timers = this.timers.filter((x) => x !== t);
      if (!this.paused) {
        const mutation = gen.pick(names);
        const bytes = table[mutation](gen);
        send(bytes);
        this.total++;
        this.sent[mutation] = (this.sent[mutation] ?? 0) + 1;
        if (wants(this.ctx.trace, 'fuzz.sent')) this.ctx.trace.emit({ event: 'fuzz.sent', node: this.name, iface: ifname, mutation, len: bytes.length });
      }
      this.schedule(ifname, names, table, gen, send, n + 1);
    });
    this.timers.push(t);
  }

  crash(): void {
    for (const t of this.timers) t.cancel();
    this.timers = [];
  }

  handle(e: NodeEvent): void {
    if (e.action === 'pause') this.paused = true;
    else if (e.action === 'resume') this.paused = false;
    else throw new Error(`${this.name}: unknown event action "${e.action}" for a fuzzer (pause, resume)`);
  }

  query(what: string): unknown {
    return what === 'sent' ? { total: this.total, ...this.sent } : undefined;
  }

  summary(): Record<string, unknown> {
    return { sent: this.total, mutations: { ...this.sent } };
  }
}

export const fuzzerKind: NodeKind<Input | undefined> = {
  kind: 'fuzzer',
  description: 'sends generated malformed packets (ND, ARP, IPv4, protocol 41) at a set rate, repeatable from the seed',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      rate: { type: 'number', exclusiveMinimum: 0, description: 'packets per second on each interface (default 10)' },
      start: { type: 'number', minimum: 0, description: 'seconds after boot (default 0)' },
      stop: { type: 'number', minimum: 0, description: 'seconds after boot (default: never)' },
      count: { type: 'integer', minimum: 0, description: 'packets per interface (default: no limit)' },
      mutations: { type: 'array', items: { enum: [...new Set([...MUTATIONS.ethernet, ...MUTATIONS.underlay])].sort() }, minItems: 1 },
      targets: { type: 'array', items: { type: 'string' }, description: 'IPv4 destinations on the underlay' },
    },
  },
  events: { pause: { type: 'object', properties: {} }, resume: { type: 'object', properties: {} } },
  create: (config, ctx) => new FuzzerNode(ctx, config),
};

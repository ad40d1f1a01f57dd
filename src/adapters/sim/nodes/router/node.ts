/**
 * `kind: router`: a Linux machine with forwarding on (the kernel model answers NS for its
 * addresses and echo requests, joins all-routers, sets R in its NAs) running an advertising
 * daemon like radvd on each Ethernet interface. It forwards nothing: enough for hosts to
 * autoconfigure and ping it.
 *
 * Events: `stop` (final RAs, router lifetime 0), `start` (advertise again), `config` (new
 * settings, optionally for one `iface`), and the kernel's (ping, sysctl...).
 */
import type { Unsubscribe } from '../../../../core/ports.js';
import type { NodeContext, NodeEvent, NodeKind, SimNode } from '../../node.js';
import { ConfigError, kernelEventSchemas, parseHostConfig, type HostConfigInput } from '../kernel/config.js';
import { Kernel } from '../kernel/kernel.js';
import { ifnamesOf, parseFor } from '../host.js';
import { Advertiser } from './advertiser.js';
import { KERNEL_KEYS, configEventSchema, parseAdvertConfig, routerConfigSchema, type AdvertConfig } from './config.js';

type Input = Record<string, unknown>;

export class RouterNode implements SimNode {
  readonly kind = 'router';
  readonly kernel: Kernel;
  private base: Input;
  private readonly perIface: Record<string, Input>;
  private configs = new Map<string, AdvertConfig>();
  private advertisers = new Map<string, Advertiser>();
  private subs: Unsubscribe[] = [];
  private stopped = false;
  readonly counts: Record<string, number> = {};

  constructor(
    readonly ctx: NodeContext,
    config: Input | undefined,
  ) {
    const c = config ?? {};
    const kernelPart: Input = {};
    const base: Input = {};
    for (const [k, v] of Object.entries(c)) {
      if ((KERNEL_KEYS as readonly string[]).includes(k)) kernelPart[k] = v;
      else if (k !== 'interfaces') base[k] = v;
    }
    const ifaces = (c.interfaces ?? {}) as Record<string, Input>;
    const names = ifnamesOf(ctx);
    const kernelIfaces: Record<string, Input> = {};
    for (const [name, v] of Object.entries(ifaces)) {
      if (v.token !== undefined) kernelIfaces[name] = { token: v.token };
    }
    this.kernel = new Kernel(ctx, parseFor(ctx, () => parseHostConfig({ ...kernelPart, interfaces: kernelIfaces } as HostConfigInput, names)), { router: true });
    this.base = base;
    this.perIface = {};
    for (const [name, v] of Object.entries(ifaces)) {
      const { token: _token, ...rest } = v;
      this.perIface[name] = rest;
    }
    parseFor(ctx, () => {
      for (const name of Object.keys(this.perIface)) {
        if (!names.includes(name)) throw new ConfigError(`config.interfaces.${name}: the node has no interface "${name}" (it has ${names.join(', ')})`);
      }
      this.configs = this.parseAll();
    });
  }

  get name(): string {
    return this.ctx.name;
  }

  private parseAll(): Map<string, AdvertConfig> {
    const out = new Map<string, AdvertConfig>();
    for (const i of this.ctx.interfaces) {
      if (i.type !== 'ethernet') continue;
      out.set(i.ifname, parseAdvertConfig(this.base, this.perIface[i.ifname] ?? {}, `interfaces.${i.ifname}.`));
    }
    return out;
  }

  start(): void {
    this.kernel.boot();
    this.stopped = false;
    const ports = this.kernel.ports(this.ctx.stream('radvd'));
    const icmp = ports.icmpv6();
    const env = {
      clock: this.ctx.clock,
      random: ports.random,
      icmp,
      trace: (event: string, fields: () => Record<string, unknown>) => this.kernel.current.trace(event, fields),
      count: (what: string) => {
        this.counts[what] = (this.counts[what] ?? 0) + 1;
      },
    };
    for (const [ifname, cfg] of this.configs) {
      const info = ports.interfaces.byName(ifname);
      if (info) this.advertisers.set(ifname, new Advertiser(env, info, cfg));
    }
    this.subs.push(
      icmp.onMessage((m) => {
        for (const a of this.advertisers.values()) if (a.ifindex === m.ifindex) a.received(m);
      }),
      ports.interfaces.onChange((c) => {
        if (c.kind !== 'changed') return;
        this.advertisers.get(c.info.name)?.interfaceChanged(c.info);
      }),
    );
  }

  crash(): void {
    for (const a of this.advertisers.values()) a.destroy();
    this.advertisers.clear();
    for (const off of this.subs.splice(0)) off();
    this.kernel.crash();
  }

  handle(e: NodeEvent): void {
    switch (e.action) {
      case 'stop':
        this.stopped = true;
        for (const a of this.advertisers.values()) a.stop();
        return;
      case 'start':
        this.stopped = false;
        for (const a of this.advertisers.values()) a.resume();
        return;
      case 'config': {
        const { action: _a, iface, ...fields } = e;
        if (iface !== undefined && (typeof iface !== 'string' || !this.configs.has(iface))) {
          throw new Error(`${this.name}: event config: iface ${JSON.stringify(iface)} is not an advertising interface (${[...this.configs.keys()].join(', ')})`);
        }
        const base = iface === undefined ? { ...this.base, ...fields } : this.base;
        const per = iface === undefined ? this.perIface : { ...this.perIface, [iface]: { ...(this.perIface[iface] ?? {}), ...fields } };
        const old = { base: this.base, per: { ...this.perIface } };
        this.base = base;
        Object.assign(this.perIface, per);
        try {
          this.configs = this.parseAll();
        } catch (err) {
          this.base = old.base;
          for (const k of Object.keys(this.perIface)) delete this.perIface[k];
          Object.assign(this.perIface, old.per);
          throw new Error(`${this.name}: event config: ${err instanceof Error ? err.message.replace(/^config\./, '') : String(err)}`);
        }
        for (const [ifname, cfg] of this.configs) this.advertisers.get(ifname)?.reconfigure(cfg);
        return;
      }
      default:
        if (!this.kernel.handle(e)) throw new Error(`${this.name}: unknown event action "${e.action}" for a router (stop, start, config, ping, talk, sysctl)`);
    }
  }

  query(what: string, args?: Record<string, unknown>): unknown {
    if (what === 'advertising') {
      return [...this.advertisers.values()].map((a) => ({ iface: a.ifname, state: a.state, nextPeriodic: a.nextPeriodic }));
    }
    return this.kernel.query(what, args);
  }

  summary(): Record<string, unknown> {
    return { ...this.kernel.summary(), stopped: this.stopped, ra: { ...this.counts } };
  }
}

export const routerKind: NodeKind<Input | undefined> = {
  kind: 'router',
  description: 'a Linux router advertising like radvd (periodic and solicited RAs, every option kind, unicast-only mode); forwards nothing',
  configSchema: routerConfigSchema,
  events: {
    stop: { type: 'object', properties: {} },
    start: { type: 'object', properties: {} },
    config: configEventSchema,
    ...kernelEventSchemas,
  },
  create: (config, ctx) => new RouterNode(ctx, config),
};

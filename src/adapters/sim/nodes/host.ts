/**
 * `kind: host`: a Linux machine (the kernel model) that answers ARP and NS for its addresses,
 * keeps neighbour tables with Linux's states and timing, autoconfigures IPv6 from RAs and makes
 * the traffic its config asks for (pings, an IPv4 talker).
 */
import type { NodeContext, NodeEvent, NodeKind, SimNode } from '../node.js';
import { hostConfigSchema, kernelEventSchemas, parseHostConfig, ConfigError, type HostConfigInput } from './kernel/config.js';
import { Kernel } from './kernel/kernel.js';

/** Parses a config, prefixing errors with the node's name. */
export function parseFor<T>(ctx: NodeContext, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${ctx.name}: ${err.message}`);
    throw err;
  }
}

export function ifnamesOf(ctx: NodeContext): string[] {
  return ctx.interfaces.map((i) => i.ifname);
}

export class HostNode implements SimNode {
  readonly kind: string = 'host';
  readonly kernel: Kernel;

  constructor(
    readonly ctx: NodeContext,
    config: HostConfigInput | undefined,
  ) {
    this.kernel = new Kernel(ctx, parseFor(ctx, () => parseHostConfig(config, ifnamesOf(ctx))));
  }

  get name(): string {
    return this.ctx.name;
  }

  start(): void {
    this.kernel.boot();
  }

  crash(): void {
    this.kernel.crash();
  }

  handle(e: NodeEvent): void {
    if (!this.kernel.handle(e)) throw new Error(`${this.name}: unknown event action "${e.action}" for a host (ping, talk, sysctl, neigh-overrun)`);
  }

  query(what: string, args?: Record<string, unknown>): unknown {
    return this.kernel.query(what, args);
  }

  summary(): Record<string, unknown> {
    return this.kernel.summary();
  }
}

export const hostKind: NodeKind<HostConfigInput | undefined> = {
  kind: 'host',
  description: 'a Linux machine: ARP and ND with Linux\'s neighbour states, SLAAC from RAs, pings and an IPv4 talker',
  configSchema: hostConfigSchema,
  events: kernelEventSchemas,
  create: (config, ctx) => new HostNode(ctx, config),
};

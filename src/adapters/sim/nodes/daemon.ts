/**
 * `kind: daemon`: a host (the kernel model) running one daemon core with the host's ports, as a
 * Linux machine runs rtsold, arpd or isatapd. The core is named in `config.core` and must be in
 * the daemonCores registry; its options are `config.options`; `config.host` is the kernel's config
 * (sysctls, static neighbours, pings...).
 *
 * A core that throws while starting has exited (traced `daemon.exited` with the message); a crash
 * kills it with the machine and a restart starts it again. Events: `stop` (SIGTERM), `start`, and
 * whatever the core or the kernel handles.
 */
import type { NodeContext, NodeEvent, NodeKind, SimNode } from '../node.js';
import { ConfigError, hostConfigSchema, kernelEventSchemas, parseHostConfig, type HostConfigInput } from './kernel/config.js';
import { Kernel } from './kernel/kernel.js';
import { ifnamesOf, parseFor } from './host.js';
import { daemonCores, type DaemonCore, type DaemonCoreFactory } from './daemons.js';

export interface DaemonConfigInput {
  core: string;
  options?: Record<string, unknown>;
  host?: HostConfigInput;
  /** Start the program when the machine boots (default true); else wait for a `start` event. */
  autostart?: boolean;
}

export function coreFactory(name: unknown): DaemonCoreFactory {
  const available = Object.keys(daemonCores).sort();
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(daemonCores, name)) {
    throw new ConfigError(
      `config.core: daemon core ${JSON.stringify(name)} is not available (${available.length ? `available: ${available.join(', ')}` : 'no daemon core is registered yet'})`,
    );
  }
  return daemonCores[name];
}

export class DaemonNode implements SimNode {
  readonly kind = 'daemon';
  readonly kernel: Kernel;
  readonly coreName: string;
  private readonly factory: DaemonCoreFactory;
  private readonly options: Record<string, unknown>;
  private readonly autostart: boolean;
  private core: DaemonCore | undefined;
  private lastExit: string | undefined;
  private starts = 0;

  constructor(
    readonly ctx: NodeContext,
    config: DaemonConfigInput,
  ) {
    this.factory = parseFor(ctx, () => coreFactory(config?.core));
    this.coreName = config.core;
    this.options = config.options ?? {};
    this.autostart = config.autostart ?? true;
    parseFor(ctx, () => {
      try {
        this.factory.validate?.(this.options);
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        throw new ConfigError(`config.options: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    this.kernel = new Kernel(ctx, parseFor(ctx, () => parseHostConfig(config.host, ifnamesOf(ctx))));
  }

  get name(): string {
    return this.ctx.name;
  }

  get running(): boolean {
    return this.core !== undefined;
  }

  start(): void {
    this.kernel.boot();
    this.core = undefined;
    if (this.autostart) this.startCore();
  }

  crash(): void {
    this.core = undefined;
    this.kernel.crash();
  }

  private startCore(): void {
    if (this.core || !this.kernel.running) return;
    const s = this.kernel.current;
    const ports = this.kernel.ports(this.ctx.stream(`core:${this.coreName}`));
    let core: DaemonCore;
    try {
      core = this.factory(this.options, ports, this.ctx);
      this.core = core;
      core.start();
    } catch (err) {
      this.core = undefined;
      this.lastExit = err instanceof Error ? err.message : String(err);
      s.trace('daemon.exited', () => ({ core: this.coreName, error: this.lastExit }));
      return;
    }
    this.starts++;
    s.trace('daemon.started', () => ({ core: this.coreName }));
  }

  handle(e: NodeEvent): void {
    switch (e.action) {
      case 'start':
        this.startCore();
        return;
      case 'stop': {
        const core = this.core;
        if (!core) return;
        this.core = undefined;
        core.stop();
        this.kernel.current.trace('daemon.stopped', () => ({ core: this.coreName }));
        return;
      }
      default:
        if (this.core?.handle?.(e)) return;
        if (this.kernel.handle(e)) return;
        throw new Error(`${this.name}: unknown event action "${e.action}" for a ${this.coreName} daemon node`);
    }
  }

  query(what: string, args?: Record<string, unknown>): unknown {
    if (what === 'daemon') return { core: this.coreName, running: this.running, lastExit: this.lastExit };
    const fromCore = this.core?.query?.(what, args);
    return fromCore !== undefined ? fromCore : this.kernel.query(what, args);
  }

  summary(): Record<string, unknown> {
    return {
      ...this.kernel.summary(),
      core: this.coreName,
      daemonRunning: this.running,
      daemonStarts: this.starts,
      ...(this.lastExit !== undefined ? { daemonExit: this.lastExit } : {}),
      ...(this.core?.summary ? { daemon: this.core.summary() } : {}),
    };
  }
}

export const daemonKind: NodeKind<DaemonConfigInput> = {
  kind: 'daemon',
  description: 'a host running a daemon core (rtsold, arpd, isatapd) on the kernel model\'s ports',
  configSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['core'],
    properties: {
      core: { type: 'string', description: 'the daemon core: one registered in src/adapters/sim/nodes/daemons.ts' },
      options: { type: 'object', description: 'the core\'s options' },
      host: { ...hostConfigSchema, description: 'the kernel\'s config, as for kind: host' },
      autostart: { type: 'boolean', description: 'start the program at boot (default true)' },
    },
  },
  // A getter: the cores register themselves after this module loads.
  get events(): Record<string, Record<string, unknown>> {
    const fromCores: Record<string, Record<string, unknown>> = {};
    for (const name of Object.keys(daemonCores).sort()) Object.assign(fromCores, daemonCores[name].events ?? {});
    return {
      start: { type: 'object', properties: {} },
      stop: { type: 'object', properties: {} },
      signal: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      ...kernelEventSchemas,
      ...fromCores,
    };
  },
  create: (config, ctx) => new DaemonNode(ctx, config),
};

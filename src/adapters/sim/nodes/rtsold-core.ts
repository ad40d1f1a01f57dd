/**
 * The rtsold core on a simulated host (`kind: daemon`, `config.core: rtsold`): the same core
 * `linklab rtsold` runs, on the kernel model's ports. Options are rtsold's flags by their config
 * names (`interfaces`, `auto` for -a, `once` for -1, `mobility` for -m, `forceSysctl` for -F,
 * `otherScript` for -O, `resolvScript` for -R, `perSource` for -u, `backoff`). Scripts are
 * recorded (`script.run` trace events), not executed.
 *
 * Events: `signal` {name: SIGUSR1} puts the state dump in the trace (`rtsold.dump` {text}).
 * Queries: `rtsold` (a row per interface: ifname, status, probes, racnt, otherconfig, active) and
 * `resolvconf` (a row per live server or domain: ifname, kind rdnss|dnssl, value).
 * With `once`, the core ending is traced as `rtsold.done`.
 */
import { Rtsold } from '../../../core/rtsold/rtsold.js';
import { configProblem, defaultConfig, type RtsoldConfig } from '../../../core/rtsold/config.js';
import { OPTIONS } from '../../../core/rtsold/options.js';
import { optionsSchema, shapeProblem } from '../../../core/option-table.js';
import { statsText } from '../../../core/rtsold/dump.js';
import type { Icmpv6Port } from '../../../core/ports.js';
import type { NodeEvent } from '../node.js';
import type { DaemonCore, DaemonCoreFactory } from './daemon-core.js';

/** Checks options as rtsold checks its command line (core/rtsold/options.ts); throws an Error naming the option. */
function parseOptions(o: Record<string, unknown>): RtsoldConfig {
  const problem = shapeProblem(OPTIONS, 'rtsold', o) ?? configProblem(defaultConfig(o as Partial<RtsoldConfig>));
  if (problem) throw new Error(`${problem[0]}: ${problem[1]}`);
  return defaultConfig(o as Partial<RtsoldConfig>);
}

/** Rows of the resolvconf text: one per server, one per search domain. */
function resolvRows(ifname: string, text: string): Array<{ ifname: string; kind: 'rdnss' | 'dnssl'; value: string }> {
  const rows: Array<{ ifname: string; kind: 'rdnss' | 'dnssl'; value: string }> = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('nameserver ')) rows.push({ ifname, kind: 'rdnss', value: line.slice('nameserver '.length) });
    else if (line.startsWith('search ')) for (const d of line.slice('search '.length).split(' ').filter(Boolean)) rows.push({ ifname, kind: 'dnssl', value: d });
  }
  return rows;
}

export const rtsoldCore: DaemonCoreFactory = Object.assign(
  (options: Record<string, unknown>, ports: Parameters<DaemonCoreFactory>[1], ctx: Parameters<DaemonCoreFactory>[2]): DaemonCore => {
    const config = parseOptions(options);
    let core: Rtsold | undefined;
    let icmp: Icmpv6Port | undefined;
    const end = (): void => {
      core?.stop();
      icmp?.close();
    };
    const names = (): string[] => core?.interfaceNames ?? [];
    return {
      start() {
        icmp = ports.icmpv6();
        core = new Rtsold(config, { clock: ports.clock, random: ports.random, icmpv6: icmp, interfaces: ports.interfaces, scripts: ports.scripts, log: ports.log, sysctl: ports.sysctl });
        try {
          core.start();
        } catch (err) {
          end();
          throw err;
        }
        if (config.once) {
          const c = core;
          c.onDone(() => {
            c.stop();
            icmp?.close();
            ctx.trace.emit({ event: 'rtsold.done', node: ctx.name });
          });
        }
      },
      stop: end,
      handle(e: NodeEvent): boolean {
        if (e.action !== 'signal' || e.name !== 'SIGUSR1' || !core) return false;
        ctx.trace.emit({ event: 'rtsold.dump', node: ctx.name, text: core.dump() + '\n' + statsText(core.stats) });
        return true;
      },
      query(what: string): unknown {
        if (!core) return undefined;
        if (what === 'rtsold') {
          return names().map((n) => {
            const s = core!.interfaceState(n)!;
            return { ifname: n, status: s.status, probes: s.probes, racnt: s.racnt, otherconfig: s.otherconfig, active: s.active };
          });
        }
        if (what === 'resolvconf') return names().flatMap((n) => resolvRows(n, core!.resolvconfText(n)));
        return undefined;
      },
      summary() {
        if (!core) return {};
        const dropped = Object.values(core.stats.raDropped).reduce((a, b) => a + b, 0);
        const state = Object.fromEntries(names().map((n) => [n, core!.interfaceState(n)!.status]));
        return { rsSent: core.stats.rsSent, raAccepted: core.stats.raAccepted, raDropped: dropped, scriptsRun: core.stats.scriptsRun, state };
      },
    };
  },
  {
    validate(options: Record<string, unknown>): void {
      parseOptions(options);
    },
    optionsSchema: optionsSchema(OPTIONS),
    events: {},
  },
);

/**
 * `config: {core: isatapd, options: {...}}` on a `kind: daemon` node: the isatapd core on the
 * simulated host with the userspace data plane (a TUN device and a protocol-41 socket), since the
 * kernel model has no SIT driver. Options are isatapd's flags by their long names:
 *
 *   {name: is0, link: wan, mtu: auto, ttl: 64, nopmtudisc: false, routers: [isatap],
 *    interval: auto, checkDns: 3600, dataplane: userspace}
 *
 * Queries: `isatapd` (phase, tunnel, list entries with their RS state, addresses, routes,
 * counters) and `prl` (one row per entry); anything else is the host's (`addresses`, `routes`).
 * Events: `signal` {name: SIGHUP} re-resolves and solicits again; `stop` is SIGTERM.
 */
import type { Ip6in4Port } from '../../../core/ports.js';
import { Isatapd } from '../../../core/isatapd/isatapd.js';
import { checkConfig, defaultConfig, IsatapdConfigError, parseCheckDns, parseInterval, parseMtu, parseTtl, type IsatapdConfig } from '../../../core/isatapd/config.js';
import { UserspaceTunnelFactory } from '../../../core/isatapd/dataplane/factory.js';
import type { NodeEvent } from '../node.js';
import type { DaemonCore, DaemonCoreFactory, HostPorts } from './daemon-core.js';

const OPTIONS = ['name', 'link', 'mtu', 'ttl', 'nopmtudisc', 'routers', 'interval', 'checkDns', 'dataplane'];

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** Text or a number, as the flag would be typed. */
function flag(v: unknown, option: string): string {
  if (typeof v === 'number' || typeof v === 'string') return String(v);
  throw new Error(`${option}: ${JSON.stringify(v)} is not a value for --${option === 'checkDns' ? 'check-dns' : option}`);
}

/** The options of a topology file, checked as isatapd checks its flags (same messages). */
export function parseIsatapdOptions(o: Record<string, unknown>): IsatapdConfig {
  for (const k of Object.keys(o)) if (!OPTIONS.includes(k)) throw new Error(`${k}: unknown isatapd option (known: ${OPTIONS.join(', ')})`);
  const at = <T>(option: string, f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof IsatapdConfigError) throw new Error(`${option}: ${err.message}`);
      throw err;
    }
  };
  const c = defaultConfig();
  if (o.name !== undefined) c.name = flag(o.name, 'name');
  if (o.link !== undefined && o.link !== 'auto') c.link = flag(o.link, 'link');
  if (o.mtu !== undefined) c.mtu = at('mtu', () => parseMtu(flag(o.mtu, 'mtu')));
  if (o.ttl !== undefined) c.ttl = at('ttl', () => parseTtl(flag(o.ttl, 'ttl')));
  if (o.nopmtudisc !== undefined) {
    if (typeof o.nopmtudisc !== 'boolean') throw new Error('nopmtudisc: expected true or false');
    c.pmtudisc = !o.nopmtudisc;
  }
  if (o.routers !== undefined) {
    if (!Array.isArray(o.routers)) throw new Error('routers: expected a list of names or IPv4 addresses');
    c.routers = o.routers.map((r, i) => flag(r, `routers[${i}]`));
  }
  if (o.interval !== undefined) c.interval = at('interval', () => parseInterval(flag(o.interval, 'interval')));
  if (o.checkDns !== undefined) c.checkDns = at('checkDns', () => parseCheckDns(flag(o.checkDns, 'checkDns')));
  if (o.dataplane !== undefined && o.dataplane !== 'userspace' && o.dataplane !== 'auto') {
    if (o.dataplane === 'kernel') throw new Error('dataplane: the simulated kernel has no SIT/ISATAP driver; use userspace (or auto)');
    throw new Error(`dataplane: ${JSON.stringify(o.dataplane)} is not kernel, userspace or auto`);
  }
  return at('options', () => checkConfig(c));
}

function isatapdCoreFn(options: Record<string, unknown>, ports: HostPorts): DaemonCore {
  const config = parseIsatapdOptions(options);
  let p41: Ip6in4Port | undefined;
  let d: Isatapd | undefined;
  return {
    start() {
      p41 = ports.ip6in4();
      d = new Isatapd(config, {
        clock: ports.clock,
        random: ports.random,
        log: ports.log,
        interfaces: ports.interfaces,
        resolver: ports.resolver,
        tunnels: new UserspaceTunnelFactory(ports.control, p41),
        control: ports.control,
      });
      d.start();
    },
    stop() {
      const socket = p41;
      d?.stop(SIGNALS.SIGTERM, () => socket?.close());
    },
    query(what) {
      if (!d) return undefined;
      if (what === 'isatapd') return d.state();
      if (what === 'prl') return (d.state().prl as unknown[]) ?? [];
      return undefined;
    },
    summary() {
      if (!d) return {};
      const s = d.state();
      return { phase: s.phase, tunnel: s.tunnel, rsSent: d.stats.rsSent, raAccepted: d.stats.raAccepted, linkChanges: d.stats.linkChanges, ...(s.dataplane ? { dataplane: s.dataplane } : {}) };
    },
    handle(e: NodeEvent) {
      if (e.action !== 'signal') return false;
      if (e.name === 'SIGHUP') {
        d?.hangup();
        return true;
      }
      throw new Error(`isatapd: signal ${String(e.name)}: the simulator sends SIGHUP through \`signal\`; SIGTERM is the \`stop\` event`);
    },
  };
}

export const isatapdCore: DaemonCoreFactory = Object.assign(isatapdCoreFn, {
  validate: (options: Record<string, unknown>) => void parseIsatapdOptions(options),
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string', description: 'tunnel interface (default is0)' },
      link: { type: 'string', description: 'IPv4 link device (default: the route towards the first router)' },
      mtu: { type: ['integer', 'string'], description: 'auto, 0 or >= 1280' },
      ttl: { type: ['integer', 'string'], description: '1..255, or auto/inherit (default 64)' },
      nopmtudisc: { type: 'boolean', description: 'clear DF on outer packets (needs ttl inherit)' },
      routers: { type: 'array', items: { type: 'string' }, description: 'potential router names or IPv4 addresses (default [isatap], at most 10)' },
      interval: { type: ['integer', 'string'], description: 'auto or seconds >= 120' },
      checkDns: { type: 'integer', description: 'seconds between DNS re-checks (default 3600; 0 disables; else >= 120)' },
      dataplane: { type: 'string', enum: ['userspace', 'auto', 'kernel'], description: 'userspace (kernel: refused, the model has no SIT)' },
    },
  },
});

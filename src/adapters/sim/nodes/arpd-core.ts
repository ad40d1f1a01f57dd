/**
 * arpd on a simulated host (`kind: daemon`, `config.core: arpd`): the same core `linklab arpd`
 * runs, on the kernel model's ports. Options mirror the flags (arpd.8): `interfaces` (none: every
 * Ethernet interface, no sysctl touched), `activeProbes` (-a), `suppressKernel` (-k),
 * `negativeTimeout` (-n), `pollInterval` (-p), `rate` (-R), `burst` (-B), `database` (-b), and
 * linklab's `maxEntries` and `expireAfter`.
 *
 * Queries: `database` (one row per entry: ifindex, ip, mac or failed/probes), `stats` (the
 * counters as one row). Events: `signal` {name: SIGHUP | SIGUSR1} sync (and log the statistics).
 */
import { Arpd, ArpdError } from '../../../core/arpd/arpd.js';
import { checkConfig, defaultConfig, type ArpdConfig } from '../../../core/arpd/config.js';
import { learnsOn } from '../../../core/arpd/interfaces.js';
import type { FramePort, WallClock } from '../../../core/ports.js';
import { SECOND } from '../../../core/time.js';
import type { NodeContext } from '../node.js';
import type { DaemonCore, DaemonCoreFactory, HostPorts } from './daemon-core.js';
import { tracedStore } from './arpd-entries.js';

/** Calendar time of a run: a fixed epoch plus virtual time, so runs stay reproducible. */
export const SIM_EPOCH_SECONDS = 1_700_000_000;

export const DEFAULT_SIM_DATABASE = '/var/lib/linklab/arpd.db';

const OPTIONS: Record<string, { key: keyof ArpdConfig | 'database'; type: 'integer' | 'number' | 'boolean' | 'string' | 'list'; description: string }> = {
  interfaces: { key: 'interfaces', type: 'list', description: 'interfaces to watch (none: all, and no sysctl is changed)' },
  activeProbes: { key: 'activeProbes', type: 'integer', description: '-a: broadcast queries before a host counts as dead (0: passive)' },
  suppressKernel: { key: 'suppressKernel', type: 'boolean', description: "-k: suppress the kernel's own broadcast queries" },
  negativeTimeout: { key: 'negativeTimeout', type: 'integer', description: '-n: negative cache timeout, seconds' },
  pollInterval: { key: 'pollInterval', type: 'number', description: '-p: seconds between syncs of the database' },
  rate: { key: 'rate', type: 'integer', description: '-R: steady broadcast rate per second' },
  burst: { key: 'burst', type: 'integer', description: '-B: broadcasts back to back' },
  maxEntries: { key: 'maxEntries', type: 'integer', description: 'most entries kept (see the eviction rule in docs/arpd.md)' },
  expireAfter: { key: 'expireAfter', type: 'integer', description: 'seconds an entry not heard from again is kept (0: forever)' },
  database: { key: 'database', type: 'string', description: `-b: the database file on the host's disk (default ${DEFAULT_SIM_DATABASE})` },
};

function parseOptions(options: Record<string, unknown>): { config: ArpdConfig; database: string } {
  const partial: Record<string, unknown> = {};
  let database = DEFAULT_SIM_DATABASE;
  for (const [name, v] of Object.entries(options)) {
    const o = OPTIONS[name];
    if (!o) throw new Error(`option ${name}: not an arpd option (${Object.keys(OPTIONS).join(', ')})`);
    const ok =
      o.type === 'list' ? Array.isArray(v) && v.every((x) => typeof x === 'string') : o.type === 'integer' ? Number.isInteger(v) : o.type === 'number' ? typeof v === 'number' && Number.isFinite(v) : typeof v === o.type;
    if (!ok) throw new Error(`option ${name}: ${JSON.stringify(v)} is not ${o.type === 'list' ? 'a list of interface names' : `a ${o.type}`}`);
    if (o.key === 'database') database = v as string;
    else partial[o.key] = v;
  }
  const config = defaultConfig(partial as Partial<ArpdConfig>);
  try {
    checkConfig(config);
  } catch (err) {
    if (err instanceof ArpdError) throw new Error(`options: ${err.message}`);
    throw err;
  }
  return { config, database };
}

function createArpd(options: Record<string, unknown>, ports: HostPorts, ctx: NodeContext): DaemonCore {
  const { config, database } = parseOptions(options);
  const wall: WallClock = { epochSeconds: () => SIM_EPOCH_SECONDS + Math.floor(ports.clock.now() / SECOND) };
  const store = tracedStore(ports.store(database), ctx.trace, ctx.name);
  const names = config.interfaces.length > 0 ? config.interfaces : ports.interfaces.list().filter(learnsOn).map((i) => i.name);
  let frames: FramePort[] = [];
  let arpd: Arpd | undefined;
  const stats = (): Record<string, number> => ({ ...arpd!.stats, entries: arpd!.db.size });
  return {
    start() {
      frames = names.map((n) => {
        if (!ports.interfaces.byName(n)) throw new ArpdError(`ioctl(SIOCGIFINDEX): No such device (${n})`);
        return ports.frames(n);
      });
      arpd = new Arpd(config, { clock: ports.clock, wall, log: ports.log, store, frames, neighbors: ports.neighbors, interfaces: ports.interfaces, sysctl: ports.sysctl });
      arpd.start();
    },
    stop() {
      arpd?.stop();
      for (const f of frames) f.close();
      store.close();
    },
    handle(e) {
      if (e.action !== 'signal' || !arpd) return false;
      if (e.name === 'SIGHUP') arpd.sync();
      else if (e.name === 'SIGUSR1') {
        arpd.sync();
        for (const line of arpd.statsLines()) ports.log.emit({ level: 'info', event: 'arpd.stats', msg: line, fields: stats() });
      } else return false;
      return true;
    },
    query(what) {
      if (!arpd) return undefined;
      if (what === 'stats') return [stats()];
      if (what !== 'database') return undefined;
      const now = wall.epochSeconds();
      return [...arpd.db.entries()].map(({ ifindex, ip, entry }) =>
        entry.kind === 'positive'
          ? { ifindex, ip: ip.toString(), mac: entry.mac.toString(), seen: entry.seen }
          : { ifindex, ip: ip.toString(), failed: true, probes: entry.probes, age: now - entry.since },
      );
    },
    summary() {
      return arpd ? stats() : {};
    },
  };
}

export const arpdCore: DaemonCoreFactory = Object.assign(createArpd, {
  validate(options: Record<string, unknown>): void {
    parseOptions(options);
  },
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      Object.entries(OPTIONS).map(([name, o]) => [name, o.type === 'list' ? { type: 'array', items: { type: 'string' }, description: o.description } : { type: o.type, description: o.description }]),
    ),
  },
});

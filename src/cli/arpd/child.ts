/**
 * The unprivileged half of `linklab arpd` (runs as --user): every ARP packet and netlink message
 * is parsed here. The packet sockets come from the root parent; netlink neighbour events and the
 * interface mirror need no privilege, so this process reads them itself; neighbour entries,
 * sysctls and database commits are the parent's to make.
 *
 * Signals (the parent forwards them): SIGHUP syncs; SIGUSR1 syncs and logs the two statistics
 * lines (and with --json prints every counter as one JSON object on stdout); SIGINT/SIGTERM sync,
 * put the sysctls back, wait until the parent has committed the last sync, and exit 0.
 */
import { childHost } from '../../adapters/linux/host.js';
import { LinuxLog } from '../../adapters/linux/log.js';
import type { ChildContext } from '../../adapters/linux/privsep/child.js';
import { RemoteStore } from '../../adapters/linux/privsep/remote-store.js';
import { Arpd } from '../../core/arpd/arpd.js';
import type { ChildConfig } from './run.js';

export async function main(ctx: ChildContext): Promise<void> {
  const c = ctx.config as unknown as ChildConfig;
  const log = new LinuxLog({ format: c.logFormat, ident: 'arpd' });
  const host = await childHost(ctx, { log });
  const store = await RemoteStore.load(ctx.parent);
  store.onError = (msg) => log.emit({ level: 'error', event: 'db.sync.failed', msg: `the database did not take a sync: ${msg}` });
  const frames = c.frames.map((name) => host.frames(name));
  const arpd = new Arpd(c.config, { clock: host.clock, wall: host.wall, log, store, frames, openFrames: ctx.parent, neighbors: host.neighbors, interfaces: host.interfaces, sysctl: ctx.parent });
  arpd.start();

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    arpd.stop();
    void store.flushed().then(() => {
      for (const f of frames) f.close();
      host.close();
      log.close();
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', () => arpd.sync());
  process.on('SIGUSR1', () => {
    arpd.sync();
    for (const line of arpd.statsLines()) log.emit({ level: 'info', event: 'stats', msg: line });
    if (c.json) process.stdout.write(JSON.stringify({ event: 'stats', ...arpd.stats, entries: arpd.db.size, unsynced: store.unsynced }) + '\n');
  });
  // The parent holds the database: without it nothing more can be made durable.
  ctx.onParentGone(() => process.exit(1));
  ctx.ready();
}

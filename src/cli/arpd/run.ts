/**
 * The privileged half of `linklab arpd`: go to the background (unless --foreground), lock the
 * pidfile, put back sysctls a crashed instance left changed, hold the database, open one ARP
 * packet socket per watched interface, and start the core in a child running as --user
 * (child.ts). The child asks this process for sysctl changes, neighbour entries and database
 * commits; signals go to it; when it ends the sysctls come back, the database closes and the
 * pidfile goes, and this process exits with the child's code (0 after SIGINT/SIGTERM).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { daemonize } from '../../adapters/linux/daemon.js';
import { ETH_P_ARP } from '../../adapters/linux/frame-port.js';
import { LinuxInterfacePort } from '../../adapters/linux/interface-port.js';
import { LinuxLog, type LogFormat } from '../../adapters/linux/log.js';
import { Pidfile } from '../../adapters/linux/pidfile.js';
import { PrivsepParent } from '../../adapters/linux/privsep/parent.js';
import { StoreService } from '../../adapters/linux/privsep/store-service.js';
import { lookupUser } from '../../adapters/linux/privsep/users.js';
import { LinuxSysctl } from '../../adapters/linux/sysctl.js';
import type { Json } from '../../adapters/linux/privsep/channel.js';
import type { ArpdConfig } from '../../core/arpd/config.js';
import { isRecord } from '../../core/arpd/record.js';
import { sysctlValues } from '../../core/arpd/config.js';
import { learnsOn } from '../../core/arpd/interfaces.js';
import { openDatabase } from './database.js';
import type { ArpdOptions } from './options.js';

/** Bytes of ARP the kernel may queue per socket while the child is busy: about 40,000 frames. */
const RECEIVE_BUFFER = 32 << 20;

/** What the child gets over the privsep channel. */
export interface ChildConfig {
  config: ArpdConfig;
  /** Interfaces whose packet sockets were opened (resources `frames:NAME`). */
  frames: string[];
  json: boolean;
  logFormat: LogFormat;
}

function childModule(): string {
  const here = fileURLToPath(import.meta.url);
  return fileURLToPath(new URL(here.endsWith('.ts') ? './child.ts' : './child.js', import.meta.url));
}

/** The sysctl journal of the instance with this pidfile: /run/linklab/arpd.pid -> /run/linklab/arpd.sysctl. */
export function journalFor(pidfile: string): string {
  return `${pidfile.replace(/\.pid$/, '')}.sysctl`;
}

/** Only records arpd writes reach the file. */
function checkRecord(key: Uint8Array, value: Uint8Array): string | undefined {
  if (isRecord(key, value)) return undefined;
  return key.length !== 8 ? `a key of ${key.length} bytes is not (ifindex, IPv4)` : 'a value that is not an arpd entry';
}

/** Every interface arpd can learn on when none is named, up or not (later ones: the core asks). */
async function ethernetInterfaces(): Promise<string[]> {
  const port = await LinuxInterfacePort.open();
  try {
    return port
      .list()
      .filter(learnsOn)
      .map((i) => i.name);
  } finally {
    port.close();
  }
}

export async function runArpd(o: ArpdOptions): Promise<number> {
  if (process.getuid?.() !== 0) {
    process.stderr.write('socket: Operation not permitted (arpd must be started as root; it drops to --user itself)\n');
    return 255;
  }
  try {
    lookupUser(o.user);
  } catch (err) {
    process.stderr.write(`arpd: ${(err as Error).message}\n`);
    return 255;
  }
  const start = await daemonize({ enabled: !o.foreground, name: 'arpd' });
  const logFormat: LogFormat = start.daemonized ? 'syslog' : 'text';
  const log = new LinuxLog({ format: logFormat, ident: 'arpd' });
  let pidfile: Pidfile | undefined;
  let service: StoreService | undefined;
  const fail = (msg: string): number => {
    log.emit({ level: 'error', event: 'start.failed', msg });
    start.fail(msg);
    service?.store.close();
    pidfile?.remove();
    log.close();
    return 255;
  };

  try {
    mkdirSync(dirname(o.pidfile), { recursive: true, mode: 0o755 });
    pidfile = Pidfile.acquire(o.pidfile);
  } catch (err) {
    return fail((err as Error).message);
  }
  let sysctl: LinuxSysctl;
  try {
    sysctl = new LinuxSysctl({ journal: journalFor(o.pidfile) });
  } catch (err) {
    return fail((err as Error).message);
  }
  for (const r of sysctl.recovered) log.emit({ level: 'notice', event: 'sysctl.recovered', msg: `put back ${r.key}=${r.value}, left changed by an instance that did not exit cleanly` });
  for (const r of sysctl.restoreFailures) log.emit({ level: 'warning', event: 'sysctl.unrecovered', msg: `could not put back ${r.key}=${r.value}: ${r.error}` });

  try {
    service = new StoreService(openDatabase(o.database), { check: checkRecord });
  } catch (err) {
    return fail((err as Error).message);
  }
  const named = o.config.interfaces;
  const watched = named.length > 0 ? named : await ethernetInterfaces();
  const values = sysctlValues(o.config);
  const sysctlKeys = named.flatMap((n) => [`net.ipv4.neigh.${n}.app_solicit`, ...(values.mcast_solicit !== undefined ? [`net.ipv4.neigh.${n}.mcast_solicit`] : [])]);
  // Room for a burst of ARP while the event loop is busy (a sync, a collection), and the frames
  // taken 256 at a time: an ARP frame is never longer than a slot of 2 KiB.
  const frames = { protocol: ETH_P_ARP, receiveBuffer: RECEIVE_BUFFER, batchSlot: 2048 };
  const childConfig: ChildConfig = { config: o.config, frames: watched, json: o.json, logFormat };
  let parent: PrivsepParent;
  try {
    parent = await PrivsepParent.start({
      user: o.user,
      childModule: childModule(),
      config: childConfig as unknown as Json,
      resources: watched.map((ifname) => ({ kind: 'frames', name: `frames:${ifname}`, ...frames, ifname })),
      // With none named, every interface, later ones too (the core asks for their sockets).
      policy: { interfaces: watched, sysctl: sysctlKeys, scripts: [], tunNames: [], ...(named.length === 0 ? { allInterfaces: { frames } } : {}) },
      sysctl,
      log,
      services: service.services(),
    });
  } catch (err) {
    return fail((err as Error).message);
  }
  log.emit({ level: 'info', event: 'started', msg: `watching ${watched.join(', ') || 'no interface'}; database ${o.database}; parser pid ${parent.childPid} as ${parent.account.name}` });
  start.ready();
  const exit = await parent.exited;
  // A sync the child did not finish never commits; everything before it is on disk.
  service.discard();
  service.store.close();
  pidfile.remove();
  log.close();
  if (exit.signal) return 255;
  return exit.code ?? 255;
}

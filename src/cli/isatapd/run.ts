/**
 * The privileged half of `linklab isatapd`: daemonize (-d), take the pidfile lock (-p), pick the
 * data plane, open the protocol-41 socket, and start the core in a child running as --user
 * (child.ts) that asks this process for every kernel change. Signals reach the child; when it
 * ends, the pidfile goes and this process exits with its code (0 after SIGINT/SIGTERM).
 */
import { fileURLToPath } from 'node:url';
import { daemonize } from '../../adapters/linux/daemon.js';
import { LinuxLog, type LogFormat } from '../../adapters/linux/log.js';
import { Pidfile } from '../../adapters/linux/pidfile.js';
import { PrivsepParent } from '../../adapters/linux/privsep/parent.js';
import { lookupUser } from '../../adapters/linux/privsep/users.js';
import { LinuxSysctl } from '../../adapters/linux/sysctl.js';
import { kernelIsatapSupport } from '../../adapters/linux/isatap/kernel-support.js';
import { LinuxSit } from '../../adapters/linux/isatap/sit.js';
import { sitServices } from '../../adapters/linux/isatap/sit-services.js';
import { NetlinkInterfaceControl } from '../../adapters/linux/interface-control.js';
import type { DataplaneMode } from '../../core/isatapd/config.js';
import type { LogLevel } from '../../core/ports.js';
import type { Json } from '../../adapters/linux/privsep/channel.js';
import type { IsatapdOptions } from './options.js';
import { minLevelFor } from './log-level.js';

/** What the child gets (over the privsep channel, as JSON). */
export interface ChildConfig {
  config: IsatapdOptions['config'];
  mode: DataplaneMode;
  log: { format: LogFormat; minLevel: LogLevel };
}

function childModule(): string {
  const here = fileURLToPath(import.meta.url);
  return fileURLToPath(new URL(here.endsWith('.ts') ? './child.ts' : './child.js', import.meta.url));
}

export async function runIsatapd(o: IsatapdOptions): Promise<number> {
  const start = await daemonize({ enabled: o.daemon, name: 'isatapd' });
  // In the background there is no stderr: syslog (LOG_DAEMON), as the original; --json is for the foreground.
  const format: LogFormat = start.daemonized ? 'syslog' : o.json ? 'json' : 'text';
  const minLevel = minLevelFor(o.verbose);
  const log = new LinuxLog({ format, ident: 'isatapd', minLevel });
  let pidfile: Pidfile | undefined;
  const fail = (msg: string, event = 'start.failed'): number => {
    log.emit({ level: 'error', event, msg });
    start.fail(msg);
    pidfile?.release();
    return 1;
  };

  if (o.pidfile) {
    try {
      pidfile = Pidfile.acquire(o.pidfile);
    } catch (err) {
      return fail(`Cannot lock pid file, terminating: ${(err as Error).message}`, 'pidfile.locked');
    }
  }

  const support = kernelIsatapSupport();
  let mode: DataplaneMode;
  if (o.dataplane === 'auto') mode = support.supported ? 'kernel' : 'userspace';
  else mode = o.dataplane;
  if (mode === 'kernel' && !support.supported) {
    pidfile?.remove();
    return fail(`--dataplane kernel: ${support.reason}`, 'dataplane.unsupported');
  }
  log.emit({ level: 'debug', event: 'dataplane', msg: `using the ${mode} data plane${o.dataplane === 'auto' ? ` (auto: ${support.supported ? 'the kernel has SIT ISATAP' : support.reason})` : ''}`, fields: { mode } });

  if (process.getuid?.() !== 0) {
    pidfile?.remove();
    return fail('tunnel_add: Operation not permitted (isatapd must be started as root; it drops to --user itself)');
  }
  try {
    lookupUser(o.user);
  } catch {
    pidfile?.remove();
    return fail(`User "${o.user}": User not found`);
  }

  const childConfig: ChildConfig = { config: o.config, mode, log: { format, minLevel } };
  // Kernel mode: the tunnel and its PRL are made here, as root, when the child asks.
  const control = mode === 'kernel' ? new NetlinkInterfaceControl() : undefined;
  const services = control ? sitServices(new LinuxSit(control), o.config.name, o.config.link) : undefined;
  let parent: PrivsepParent;
  try {
    parent = await PrivsepParent.start({
      user: o.user,
      childModule: childModule(),
      config: childConfig as unknown as Json,
      resources: mode === 'userspace' ? [{ kind: 'ip6in4', name: 'p41', ...(o.config.link ? { ifname: o.config.link } : {}) }] : [],
      policy: { interfaces: [], sysctl: [], scripts: [], tunNames: [o.config.name] },
      sysctl: new LinuxSysctl(),
      log,
      services,
    });
  } catch (err) {
    control?.close();
    pidfile?.remove();
    return fail((err as Error).message);
  }
  start.ready();
  const exit = await parent.exited;
  control?.close();
  pidfile?.remove();
  log.close();
  if (exit.signal) return 1;
  return exit.code ?? 1;
}

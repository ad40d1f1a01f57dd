/**
 * The privileged half of `linklab rtsold` / `rtsol`. It becomes a daemon unless -f (the command
 * the user ran exits only once the daemon is up, or with the reason it could not start), takes
 * the pidfile's lock, finds the interfaces (named, or -a's rule over the rtnetlink mirror), opens
 * one raw ICMPv6 socket per interface, prepares the dump file, and starts the core in a child
 * running as --user. From then on it only serves the child: -F's sysctls and the -O/-R scripts
 * (as root, like the original), checked against a policy naming exactly those. Signals go to the
 * child; when it ends, the pidfile goes and its exit code is rtsold's.
 */
import { closeSync, constants, fchownSync, fstatSync, ftruncateSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { autoprobe } from '../../core/rtsold/autoprobe.js';
import { daemonize } from '../../adapters/linux/daemon.js';
import { Pidfile, PidfileError } from '../../adapters/linux/pidfile.js';
import { LinuxInterfacePort } from '../../adapters/linux/interface-port.js';
import { LinuxSysctl } from '../../adapters/linux/sysctl.js';
import { PrivsepParent } from '../../adapters/linux/privsep/parent.js';
import { lookupUser, type Account } from '../../adapters/linux/privsep/users.js';
import { openLog, type ClosableLog } from './log.js';
import type { RtsoldOptions } from './options.js';
import type { ChildConfig } from './child.js';
import { ICMPV6_TYPE } from '../../core/wire/icmpv6-types.js';

/** -F's settings stay after rtsold exits, as the original leaves them: nothing to restore. */
class KeptSysctl extends LinuxSysctl {
  override restore(): void {}
}

/** RA only: the kernel keeps every other ICMPv6 message away from the parser. */

/** Creates (or empties) the dump file for the child to write on SIGUSR1; false if it cannot. */
function prepareDumpFile(path: string, account: Account, log: ClosableLog): boolean {
  try {
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o644);
    try {
      // Only a regular file changes hands (never a device or a fifo someone put there).
      if (!fstatSync(fd).isFile()) throw new Error('not a regular file');
      ftruncateSync(fd, 0);
      fchownSync(fd, account.uid, account.gid);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (err) {
    log.emit({ level: 'warning', event: 'dump.open', msg: `failed to open the dump file ${path}: ${(err as Error).message}`, fields: { path } });
    return false;
  }
}

function childModule(): string {
  const here = fileURLToPath(import.meta.url);
  return fileURLToPath(new URL(here.endsWith('.ts') ? './child.ts' : './child.js', import.meta.url));
}

/** Runs the daemon; resolves with the exit code once it has ended (or could not start). */
export async function runRtsold(o: RtsoldOptions): Promise<number> {
  const prog = o.prog;
  const daemon = await daemonize({ enabled: !o.foreground, name: `linklab ${prog}` });
  const format = o.json ? 'json' : daemon.daemonized ? 'syslog' : 'text';
  const log = openLog({ format, debug: o.debug, ident: prog });
  const fail = (message: string): number => {
    if (daemon.daemonized) {
      log.emit({ level: 'error', event: 'exit', msg: message });
      daemon.fail(message);
    } else {
      process.stderr.write(`linklab ${prog}: ${message}\n`);
    }
    log.close();
    return 1;
  };

  let pidfile: Pidfile | undefined;
  if (o.pidfile !== undefined) {
    try {
      pidfile = Pidfile.acquire(o.pidfile);
    } catch (err) {
      if (err instanceof PidfileError && err.holder !== undefined) return fail(`${prog} already running, pid: ${err.holder}`);
      log.emit({ level: 'warning', event: 'pidfile.open', msg: `failed to open the pid file ${o.pidfile}, run anyway. (${(err as Error).message})` });
    }
  }
  const end = (code: number): number => {
    pidfile?.remove();
    log.close();
    return code;
  };

  let account: Account;
  try {
    account = lookupUser(o.user);
  } catch (err) {
    pidfile?.remove();
    return fail((err as Error).message);
  }

  const config = { ...o.config };
  const sysctl = new KeptSysctl();
  try {
    const links = await LinuxInterfacePort.open();
    try {
      if (config.auto) {
        config.interfaces = autoprobe(links.list(), sysctl, config.forceSysctl);
        config.auto = false;
        if (config.interfaces.length === 0) log.emit({ level: 'warning', event: 'autoprobe.none', msg: 'no interface found to probe' });
        for (const name of config.interfaces) log.emit({ level: 'info', event: 'autoprobe.found', msg: `probing ${name}`, fields: { ifname: name } });
      }
      const unknown = config.interfaces.find((name) => !links.byName(name));
      if (unknown !== undefined) {
        pidfile?.remove();
        return fail(`failed to initialize ${unknown}`);
      }
    } finally {
      links.close();
    }
  } catch (err) {
    pidfile?.remove();
    return fail(`cannot read the interfaces: ${(err as Error).message}`);
  }

  const dumpFile = o.dumpFile !== undefined && prepareDumpFile(o.dumpFile, account, log) ? o.dumpFile : undefined;
  const childConfig: ChildConfig = { rtsold: config, dumpFile, log: { format, debug: o.debug, ident: prog } };
  let parent: PrivsepParent;
  try {
    parent = await PrivsepParent.start({
      user: o.user,
      childModule: childModule(),
      config: childConfig as unknown as Parameters<typeof PrivsepParent.start>[0]['config'],
      // -m: a raw socket for the empty probes to the default routers when a link comes back.
      resources: [{ kind: 'icmpv6', name: 'icmpv6', ifnames: config.interfaces, types: [ICMPV6_TYPE['router-advert']] }, ...(config.mobility ? [{ kind: 'routerProbe' as const, name: 'routers' }] : [])],
      policy: {
        interfaces: [],
        sysctl: config.forceSysctl ? config.interfaces.flatMap((n) => [`net.ipv6.conf.${n}.forwarding`, `net.ipv6.conf.${n}.accept_ra`]) : [],
        scripts: [config.resolvScript, ...(config.otherScript !== undefined ? [config.otherScript] : [])],
        tunNames: [],
      },
      sysctl,
      log,
      // As the original: scripts' output goes to /dev/null, and only root's regular files run.
      scripts: { output: 'ignore', safe: true },
    });
  } catch (err) {
    pidfile?.remove();
    const message = (err as Error).message;
    return fail(/EPERM|EACCES/.test(message) ? `${message} (${prog} runs as root: it opens raw sockets, then parses RAs as --user)` : message);
  }
  daemon.ready();
  const exit = await parent.exited;
  return end(exit.code ?? 1);
}

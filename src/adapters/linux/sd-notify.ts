/**
 * sd_notify(3) without libsystemd: one datagram of `KEY=value` lines to the AF_UNIX socket named
 * by $NOTIFY_SOCKET (a path, or `@name` for the abstract namespace). Under a Type=notify unit
 * systemd starts the daemon's dependents only once READY=1 arrives. Without the variable (not
 * run by systemd) nothing is sent.
 */
import { native, sys } from './addon.js';

/** struct sockaddr_un for a path or an abstract (`@`) name; throws if the name is too long. */
export function sockaddrUn(name: string): Uint8Array {
  const path = new TextEncoder().encode(name.startsWith('@') ? `\0${name.slice(1)}` : name);
  if (path.length === 0 || path.length > 107) throw new Error(`NOTIFY_SOCKET: "${name}" is not a socket name of 1 to 107 bytes`);
  const b = new Uint8Array(2 + path.length + (name.startsWith('@') ? 0 : 1));
  new DataView(b.buffer).setUint16(0, sys().AF_UNIX, true);
  b.set(path, 2);
  return b;
}

/**
 * Sends `state` (e.g. "READY=1\nMAINPID=123") to the notify socket. Returns false when there is
 * none to send to; a socket that is named but cannot be reached throws, naming it.
 */
export function sdNotify(state: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const name = env.NOTIFY_SOCKET;
  if (!name) return false;
  const addon = native();
  const fd = addon.socket(sys().AF_UNIX, sys().SOCK_DGRAM, 0);
  try {
    addon.setBlocking(fd, true);
    addon.sendmsg(fd, new TextEncoder().encode(state), sockaddrUn(name), null);
  } catch (err) {
    throw new Error(`NOTIFY_SOCKET ${name}: ${(err as Error).message}`, { cause: err });
  } finally {
    addon.close(fd);
  }
  return true;
}

/**
 * Whether this kernel can run ISATAP itself (the SIT driver, `ip tunnel add NAME mode isatap`).
 * The driver shows itself as the sit0 fallback device once loaded (/proc/net/dev in this network
 * namespace) or as a module (/sys/module/sit), and one not yet loaded as a module file the kernel
 * loads on the first request; a kernel built without it has none of these, and isatapd then
 * carries ISATAP in userspace.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';

export interface KernelSupport {
  supported: boolean;
  /** Why not, in words for the user. */
  reason: string;
}

function moduleFileExists(dir: string): boolean {
  try {
    return readdirSync(dir).some((f) => /^sit\.ko(\.(xz|gz|zst))?$/.test(f));
  } catch {
    return false;
  }
}

export function kernelIsatapSupport(procNetDev = '/proc/net/dev', sysModule = '/sys/module/sit', modules = join('/lib/modules', release(), 'kernel', 'net', 'ipv6')): KernelSupport {
  let dev = '';
  try {
    dev = readFileSync(procNetDev, 'utf8');
  } catch {
    // no procfs: judge by the module directory alone
  }
  if (/^\s*sit0:/m.test(dev) || existsSync(sysModule) || moduleFileExists(modules)) return { supported: true, reason: '' };
  return { supported: false, reason: `this kernel (${release()}) has no SIT/ISATAP driver: no sit0 in ${procNetDev}, no ${sysModule}, no sit module in ${modules}` };
}

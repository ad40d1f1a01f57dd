/** The userspace ISATAP data plane on Linux. */
import type { Ip6in4Port, TunPort } from '../../../core/ports.js';
import type { IsatapTunnel } from '../../../core/isatapd/tunnel.js';
import { UserspaceTunnel, type UserspaceOptions } from '../../../core/isatapd/dataplane/userspace.js';

export function buildLinuxTunnel(tun: TunPort, p41: Ip6in4Port, opts: UserspaceOptions): IsatapTunnel {
  return new UserspaceTunnel(tun, p41, opts);
}

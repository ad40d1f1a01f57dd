/**
 * `linklab tunnel isatap`: a TUN device with the ISATAP link-local address(es) and the userspace
 * data plane with every destination on-link (what the kernel's ISATAP mode does without a
 * Potential Router List). Runs in the foreground until SIGINT/SIGTERM, then removes the device.
 */
import { NetlinkInterfaceControl } from '../../adapters/linux/interface-control.js';
import { LinuxIp6in4Port } from '../../adapters/linux/ip6in4-port.js';
import { LinuxLog } from '../../adapters/linux/log.js';
import { buildLinuxTunnel } from '../../adapters/linux/isatap/fast-tunnel.js';
import { NextHopTable } from '../../core/isatapd/dataplane/next-hop.js';
import type { TunPort } from '../../core/ports.js';
import { Ipv6Address } from '../../core/wire/ipv6-address.js';
import { isatapAddress, isPrivateIpv4 } from '../../core/wire/isatap.js';
import type { TunnelOptions } from './isatap-options.js';

const LINK_LOCAL = new Ipv6Address(0xfe80_0000, 0, 0, 0);

export async function runIsatapTunnel(o: TunnelOptions): Promise<number> {
  const log = new LinuxLog({ format: o.json ? 'json' : 'text', ident: 'linklab tunnel isatap' });
  const control = new NetlinkInterfaceControl();
  const fail = (msg: string): number => {
    log.emit({ level: 'error', event: 'tunnel.failed', msg });
    control.close();
    return 1;
  };
  let p41: LinuxIp6in4Port;
  try {
    p41 = LinuxIp6in4Port.open();
  } catch (err) {
    return fail(`cannot open the protocol-41 socket: ${(err as Error).message}`);
  }
  const tun = await new Promise<TunPort | string>((resolve) => control.createTun(o.name, o.mtu, (t, e) => resolve(t ?? e ?? 'failed')));
  if (typeof tun === 'string') {
    p41.close();
    return fail(`cannot create ${o.name}: ${tun}`);
  }
  const addresses = [isatapAddress(LINK_LOCAL, o.local, false)];
  if (!isPrivateIpv4(o.local)) addresses.push(isatapAddress(LINK_LOCAL, o.local, true));
  for (const address of addresses) {
    const error = await new Promise<string | undefined>((resolve) => control.addAddress({ ifname: o.name, address, prefixLength: 64 }, resolve));
    if (error) {
      tun.close();
      p41.close();
      return fail(error);
    }
  }
  const tunnel = buildLinuxTunnel(tun, p41, { local: o.local, ttl: o.ttl, pmtudisc: true, nextHops: new NextHopTable(true), mtu: o.mtu });
  log.emit({ level: 'notice', event: 'tunnel.up', msg: `${o.name} up (local ${o.local}, ${addresses.join(', ')})`, fields: { name: o.name, local: o.local.toString() } });
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  tunnel.close();
  p41.close();
  control.close();
  log.emit({ level: 'notice', event: 'tunnel.down', msg: `${signal} received: ${o.name} removed`, fields: { name: o.name, ...tunnel.stats() } });
  return 0;
}

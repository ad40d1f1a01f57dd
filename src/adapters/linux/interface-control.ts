/**
 * Kernel changes over rtnetlink, for the privileged side (or a daemon running as root without
 * privilege separation): TUN devices, links, addresses, routes and neighbour entries. Every
 * operation answers through its callback with an error text naming what failed, or nothing.
 */
import { writeFileSync } from 'node:fs';
import type { AddressRequest, InterfaceControl, Ipv6Params, NeighborState, RouteRequest, TunPort } from '../../core/ports.js';
import type { Ipv4Address } from '../../core/wire/ipv4-address.js';
import type { MacAddress } from '../../core/wire/mac-address.js';
import { native } from './addon.js';
import { NetlinkSocket } from './netlink/socket.js';
import * as req from './netlink/requests.js';
import type { RtnlMessageInput } from '../../core/wire/rtnetlink/index.js';
import { LinuxTunPort, openTunDevice } from './tun.js';

export type Done = (error?: string) => void;

export class NetlinkInterfaceControl implements InterfaceControl {
  private readonly sock: NetlinkSocket;
  private readonly owned: boolean;

  constructor(sock?: NetlinkSocket) {
    this.owned = sock === undefined;
    this.sock = sock ?? new NetlinkSocket();
  }

  /** Sends one request; `done` gets the kernel's refusal as text. */
  apply(message: RtnlMessageInput, what: string, done?: Done): void {
    this.sock.request(message, (err) => done?.(err ? `${what}: ${err.message}` : undefined));
  }

  private index(ifname: string, done: Done | undefined): number | undefined {
    const ifindex = native().ifNameToIndex(ifname);
    if (ifindex === 0) queueMicrotask(() => done?.(`no interface ${ifname}`));
    return ifindex || undefined;
  }

  /** Opens TUN `ifname`, sets its MTU and brings it up; `done` gets the open descriptor. */
  openTun(ifname: string, mtu: number, done: (dev: { fd: number; ifindex: number; name: string } | null, error?: string) => void): void {
    let dev: { fd: number; ifindex: number; name: string };
    try {
      dev = openTunDevice(ifname, false);
    } catch (err) {
      queueMicrotask(() => done(null, `create TUN ${ifname}: ${(err as Error).message}`));
      return;
    }
    this.apply(req.setLink(dev.ifindex, { up: true, mtu }), `set ${dev.name} up mtu ${mtu}`, (error) => {
      if (error) {
        native().close(dev.fd);
        done(null, error);
      } else done(dev);
    });
  }

  createTun(ifname: string, mtu: number, done: (tun: TunPort | null, error?: string) => void): void {
    this.openTun(ifname, mtu, (dev, error) => done(dev ? new LinuxTunPort(dev.fd, dev.ifindex, dev.name) : null, error));
  }

  setLink(ifname: string, change: { up?: boolean; mtu?: number }, done?: Done): void {
    const ifindex = this.index(ifname, done);
    if (ifindex !== undefined) this.apply(req.setLink(ifindex, change), `set link ${ifname}`, done);
  }

  /** Through /proc/sys, where the kernel keeps what an RA sets (rtnetlink cannot set these). */
  setIpv6Params(ifname: string, p: Ipv6Params, done?: Done): void {
    let error: string | undefined;
    try {
      if (!/^[^/\0]{1,15}$/.test(ifname) || ifname === '.' || ifname === '..') throw new Error('not an interface name');
      const dir = `/proc/sys/net/ipv6/conf/${ifname}`;
      if (p.mtu !== undefined) writeFileSync(`${dir}/mtu`, `${p.mtu}\n`);
      if (p.hopLimit !== undefined) writeFileSync(`${dir}/hop_limit`, `${p.hopLimit}\n`);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      error = `set IPv6 parameters of ${ifname}: ${e.code === 'ENOENT' ? `no interface ${ifname}` : e.message}`;
    }
    queueMicrotask(() => done?.(error));
  }

  deleteLink(ifname: string, done?: Done): void {
    const ifindex = this.index(ifname, done);
    if (ifindex !== undefined) this.apply(req.deleteLink(ifindex), `delete link ${ifname}`, done);
  }

  addAddress(a: AddressRequest, done?: Done): void {
    const ifindex = this.index(a.ifname, done);
    if (ifindex !== undefined) this.apply(req.address('add', ifindex, a), `add address ${a.address}/${a.prefixLength} on ${a.ifname}`, done);
  }

  removeAddress(a: Pick<AddressRequest, 'ifname' | 'address' | 'prefixLength'>, done?: Done): void {
    const ifindex = this.index(a.ifname, done);
    if (ifindex !== undefined) this.apply(req.address('remove', ifindex, a), `remove address ${a.address}/${a.prefixLength} from ${a.ifname}`, done);
  }

  addRoute(r: RouteRequest, done?: Done): void {
    const ifindex = this.index(r.ifname, done);
    if (ifindex !== undefined) this.apply(req.route('add', ifindex, r), `add route ${r.prefix}/${r.prefixLength} on ${r.ifname}`, done);
  }

  removeRoute(r: Omit<RouteRequest, 'lifetime'>, done?: Done): void {
    const ifindex = this.index(r.ifname, done);
    if (ifindex !== undefined) this.apply(req.route('remove', ifindex, r), `remove route ${r.prefix}/${r.prefixLength} from ${r.ifname}`, done);
  }

  installNeighbor(e: { ifindex: number; ip: Ipv4Address; mac: MacAddress; state: NeighborState }, done?: Done): void {
    this.apply(req.neighbor('install', e.ifindex, e.ip, e.mac, e.state), `install neighbour ${e.ip} on ${e.ifindex}`, done);
  }

  removeNeighbor(ifindex: number, ip: Ipv4Address, done?: Done): void {
    this.apply(req.neighbor('remove', ifindex, ip), `remove neighbour ${ip} on ${ifindex}`, done);
  }

  close(): void {
    if (this.owned) this.sock.close();
  }
}

/** What the neighbour port needs to change the table: the control above, or a privsep proxy. */
export interface NeighborWriter {
  installNeighbor(e: { ifindex: number; ip: Ipv4Address; mac: MacAddress; state: NeighborState }, done?: Done): void;
  removeNeighbor(ifindex: number, ip: Ipv4Address, done?: Done): void;
}

/**
 * Ip6in4Port over a raw IPv4 socket of protocol 41 with IP_HDRINCL: the outer header is built here
 * with the IPv4 codec (source, TTL and DF as the core asks; the kernel fills in the checksum, the
 * identification and, when left 0.0.0.0, the source). What arrives is the whole IPv4 datagram,
 * decoded here; a malformed one is counted and dropped. Without a kernel SIT driver (these
 * machines have none) the raw socket also keeps the kernel from answering "protocol unreachable".
 */
import type { Ip6in4Datagram, Ip6in4Port, Unsubscribe } from '../../core/ports.js';
import { Ipv4Address } from '../../core/wire/ipv4-address.js';
import * as ipv4 from '../../core/wire/ipv4.js';
import { DecodeError } from '../../core/wire/errors.js';
import { native, sys } from './addon.js';
import { FdWatch } from './fd-watch.js';
import { Handlers } from '../../core/handlers.js';
import { PortStats } from './port-stats.js';
import { sockaddrIn } from './sockaddr.js';

/** Opens the protocol-41 socket (needs CAP_NET_RAW), optionally bound to one interface. */
export function openIp6in4Socket(ifname?: string): number {
  const addon = native();
  const c = sys();
  const fd = addon.socket(c.AF_INET, c.SOCK_RAW, ipv4.PROTO_IPV6);
  try {
    addon.setsockopt(fd, c.IPPROTO_IP, c.IP_HDRINCL, 1);
    if (ifname) addon.setsockopt(fd, c.SOL_SOCKET, c.SO_BINDTODEVICE, new TextEncoder().encode(ifname + '\0'));
  } catch (err) {
    addon.close(fd);
    throw err;
  }
  return fd;
}

export class LinuxIp6in4Port implements Ip6in4Port {
  readonly stats = new PortStats();
  private readonly handlers = new Handlers<Ip6in4Datagram>();
  private watch: FdWatch | undefined;
  private readonly buf = new Uint8Array(65536);
  private closed = false;

  static open(ifname?: string): LinuxIp6in4Port {
    return new LinuxIp6in4Port(openIp6in4Socket(ifname));
  }

  constructor(readonly fd: number) {
    this.watch = new FdWatch(fd, () => this.drain());
  }

  send(d: { src?: Ipv4Address; dst: Ipv4Address; ttl?: number; dontFragment?: boolean; payload: Uint8Array }): void {
    if (this.closed) return;
    try {
      const packet = ipv4.encode({ src: d.src ?? Ipv4Address.ANY, dst: d.dst, ttl: d.ttl ?? 64, dontFragment: d.dontFragment ?? false, protocol: ipv4.PROTO_IPV6, payload: d.payload });
      const n = native().sendmsg(this.fd, packet, sockaddrIn(d.dst), null);
      if (n === null) this.stats.drop();
      else this.stats.sent++;
    } catch (err) {
      this.stats.drop(err as Error);
    }
  }

  onDatagram(handler: (d: Ip6in4Datagram) => void): Unsubscribe {
    return this.handlers.add(handler);
  }

  private drain(): void {
    const addon = native();
    while (!this.closed) {
      let r;
      try {
        r = addon.recvmsg(this.fd, this.buf, sys().MSG_TRUNC);
      } catch (err) {
        if (this.stats.readFailed(err as Error)) this.watch?.stop();
        return;
      }
      if (r === null) return;
      this.stats.readOk();
      if (r.length > this.buf.length) {
        this.stats.malformed++;
        continue;
      }
      let p: ipv4.Ipv4Packet;
      try {
        p = ipv4.decode(this.buf.subarray(0, r.length));
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        this.stats.malformed++;
        this.stats.error(err);
        continue;
      }
      if (p.protocol !== ipv4.PROTO_IPV6 || p.moreFragments || p.fragmentOffset !== 0) {
        // The kernel reassembles before raw delivery; a fragment here is not ours to handle.
        this.stats.malformed++;
        continue;
      }
      this.stats.received++;
      this.handlers.emit({ src: p.src, dst: p.dst, ttl: p.ttl, payload: p.payload.slice() });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.watch?.stop();
    this.handlers.clear();
    native().close(this.fd);
  }

  /**
   * Lends the socket to another reader (a batched data plane): this port stops reading it until
   * `resume()`. Sends still work.
   */
  pause(): number {
    this.watch?.stop();
    this.watch = undefined;
    return this.fd;
  }

  resume(): void {
    if (!this.closed && !this.watch) this.watch = new FdWatch(this.fd, () => this.drain());
  }
}

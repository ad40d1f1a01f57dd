/**
 * The userspace ISATAP data plane on Linux, batched: packets move between the TUN device and the
 * protocol-41 raw socket in slots of two preallocated buffers, up to 64 per addon call each way
 * (readPackets/sendIpv4Packets out, recvPackets/writePackets in). The checks and the next-hop
 * choice are the core's own functions (next-hop.ts, encap.ts, decap.ts) working in place, so
 * the fast path and the port-level one (UserspaceTunnel, used by the simulator) decide the same
 * way. An IPv6 packet is read 20 bytes into its slot and the IPv4 header is written in front of
 * it; a received datagram's IPv6 packet is written to the device from where it lies. Nothing is
 * allocated per packet but the Router Advertisements handed to the control plane.
 */
import type { Icmpv6Received, Ip6in4Port, TunPort, Unsubscribe } from '../../../core/ports.js';
import type { IsatapTunnel } from '../../../core/isatapd/tunnel.js';
import { UserspaceTunnel, icmpv6Bytes, raForUs, tunnelLinkLocal, type UserspaceOptions } from '../../../core/isatapd/dataplane/userspace.js';
import { NextHopTable } from '../../../core/isatapd/dataplane/next-hop.js';
import { outboundNextHop, writeOuterHeader, OUTER_HEADER, type OuterFields } from '../../../core/isatapd/dataplane/encap.js';
import { innerCheck, isRouterAdvert, isRoutingNd, outerCheck, outerDestination, outerLength, outerSource } from '../../../core/isatapd/dataplane/decap.js';
import { DataplaneCounters, reasonOf } from '../../../core/isatapd/dataplane/counters.js';
import * as icmpv6 from '../../../core/wire/icmpv6.js';
import * as ipv6 from '../../../core/wire/ipv6.js';
import type { Ipv4Address } from '../../../core/wire/ipv4-address.js';
import { Ipv6Address } from '../../../core/wire/ipv6-address.js';
import { native, sys } from '../addon.js';
import { MonotonicClock } from '../clock.js';
import { FdWatch } from '../fd-watch.js';
import { LinuxIp6in4Port } from '../ip6in4-port.js';
import { LinuxTunPort } from '../tun.js';
import { TunnelRouters } from '../../../core/isatapd/dataplane/routers.js';
import { fit, PathMtuTable, SEND_WITHOUT_DF } from '../../../core/isatapd/dataplane/path-mtu.js';
import { packetTooBig } from '../../../core/isatapd/dataplane/too-big.js';
import { fragmentDatagram } from '../../../core/isatapd/dataplane/fragment.js';
import { enableTooBigReports, readTooBigReports } from './too-big-reports.js';

const BATCH = 64;
/**
 * Socket buffer for the protocol-41 socket. The default (about 140 full-size datagrams) overflows
 * under a TCP burst while the data plane is busy writing to the TUN device, and every datagram
 * lost there is a TCP segment lost (measured: a fifth of them at 500 Mbit/s).
 */
const SOCKET_BUFFER = 4 << 20;
/** Batches per readiness callback, so one busy direction cannot starve the other. */
const ROUNDS = 8;

export class LinuxFastTunnel implements IsatapTunnel {
  readonly mode = 'userspace' as const;
  readonly counters = new DataplaneCounters();
  readonly nextHops: NextHopTable;
  readonly linkLocal: Ipv6Address;
  readonly ifname: string;
  readonly ifindex: number;
  private readonly tunFd: number;
  private readonly rawFd: number;
  private readonly slot: number;
  private readonly outBuf: Uint8Array;
  private readonly inBuf: Uint8Array;
  private readonly lengths = new Int32Array(BATCH);
  private readonly offsets = new Int32Array(BATCH);
  private readonly sizes = new Int32Array(BATCH);
  private readonly outer: OuterFields;
  private readonly routers = new TunnelRouters();
  private readonly tunWatch: FdWatch;
  private readonly rawWatch: FdWatch;
  private identification = 0;
  private closed = false;
  /** With DF set (pmtudisc): path MTUs the routers on the way reported. */
  private readonly pathMtus: PathMtuTable | undefined;
  private readonly errorBuf = new Uint8Array(2048);
  /** When path MTUs were learned and when they expire. */
  private readonly clock = new MonotonicClock();

  constructor(
    tun: LinuxTunPort,
    private readonly p41: LinuxIp6in4Port,
    private readonly opts: UserspaceOptions,
  ) {
    const mtu = opts.mtu ?? 1500;
    this.ifname = tun.ifname;
    this.ifindex = tun.ifindex;
    this.nextHops = opts.nextHops ?? new NextHopTable();
    this.linkLocal = tunnelLinkLocal(opts.local);
    // A slot holds the largest datagram we expect: the tunnel MTU plus the outer header (a bigger
    // one arrives truncated and is dropped as malformed).
    this.slot = Math.max(2048, Math.ceil((Math.min(mtu, 65535) + OUTER_HEADER + 64) / 64) * 64);
    this.outBuf = new Uint8Array(this.slot * BATCH);
    this.inBuf = new Uint8Array(this.slot * BATCH);
    this.outer = { src: opts.local.value, dst: 0, ttl: opts.ttl, dontFragment: opts.pmtudisc, identification: 0 };
    this.tunFd = tun.detach();
    this.rawFd = p41.pause();
    growBuffers(this.rawFd);
    if (opts.pmtudisc) {
      enableTooBigReports(this.rawFd);
      this.pathMtus = new PathMtuTable();
    }
    this.tunWatch = new FdWatch(this.tunFd, () => this.fromTun());
    this.rawWatch = new FdWatch(this.rawFd, () => this.fromNetwork());
  }

  /** Packets the kernel routed into the tunnel: out in protocol 41. */
  private fromTun(): void {
    const addon = native();
    const { outBuf, lengths, offsets, sizes, outer, counters } = this;
    for (let round = 0; round < ROUNDS && !this.closed; round++) {
      let n: number;
      try {
        n = addon.readPackets(this.tunFd, outBuf, this.slot, OUTER_HEADER, BATCH, lengths);
      } catch {
        return; // the device went away; the control plane will see the link change
      }
      if (n === 0) return;
      counters.fromTun += n;
      const pathMtus = this.pathMtus !== undefined && this.pathMtus.size > 0 ? this.pathMtus : undefined;
      const now = pathMtus ? this.clock.now() : 0;
      let k = 0;
      for (let i = 0; i < n; i++) {
        const off = i * this.slot + OUTER_HEADER;
        const len = lengths[i];
        const hop = outboundNextHop(outBuf, off, len, this.nextHops);
        if (hop < 0) {
          counters.drop(reasonOf(hop));
          continue;
        }
        const pathMtu = pathMtus?.get(hop, now);
        const fits = pathMtu === undefined ? 0 : fit(len, pathMtu, true);
        if (fits > 0) {
          this.tooBig(outBuf, off, len, fits);
          continue;
        }
        outer.dst = hop;
        outer.identification = this.identification = (this.identification + 1) & 0xffff;
        outer.dontFragment = this.opts.pmtudisc && fits !== SEND_WITHOUT_DF;
        const size = writeOuterHeader(outBuf, off - OUTER_HEADER, len, outer);
        if (fits === SEND_WITHOUT_DF && size > pathMtu!) {
          this.sendFragments(fragmentDatagram(outBuf, off - OUTER_HEADER, size, pathMtu!));
          continue;
        }
        sizes[k] = size;
        offsets[k++] = off - OUTER_HEADER;
      }
      if (k > 0) {
        const sent = addon.sendIpv4Packets(this.rawFd, outBuf, offsets, sizes, k);
        counters.encapsulated += sent;
        for (let i = sent; i < k; i++) counters.drop('send-failed');
        // Refused ones may be above a path MTU the kernel knows: learn it for the next packets.
        if (sent < k && this.pathMtus) this.readTooBig();
      }
      if (n < BATCH) return;
    }
  }

  /** Protocol-41 datagrams: checked, then into the tunnel (or to the control plane). */
  private fromNetwork(): void {
    const addon = native();
    const { inBuf, lengths, offsets, sizes, counters } = this;
    const local = this.opts.local.value;
    const listed = this.routers.listed;
    for (let round = 0; round < ROUNDS && !this.closed; round++) {
      let n: number;
      try {
        n = addon.recvPackets(this.rawFd, inBuf, this.slot, BATCH, lengths);
      } catch {
        // With IP_RECVERR an ICMP error is reported here once, and its details wait in the queue.
        if (!this.pathMtus) return;
        this.readTooBig();
        continue;
      }
      if (n === 0) {
        // A wake-up with nothing to read: the error queue (POLLERR) is the likely reason.
        if (round === 0 && this.pathMtus) this.readTooBig();
        return;
      }
      counters.fromNetwork += n;
      let k = 0;
      for (let i = 0; i < n; i++) {
        const off = i * this.slot;
        const len = lengths[i];
        if (len < 0) {
          counters.drop('outer-malformed');
          continue;
        }
        const inner = outerCheck(inBuf, off, len);
        if (inner < 0) {
          counters.drop(reasonOf(inner));
          continue;
        }
        if (outerDestination(inBuf, off) !== local) {
          counters.drop('not-local');
          continue;
        }
        const innerLen = outerLength(inBuf, off) - (inner - off);
        const size = innerCheck(outerSource(inBuf, off), inBuf, inner, innerLen, listed);
        if (size < 0) {
          counters.drop(reasonOf(size));
          continue;
        }
        if (isRoutingNd(inBuf, inner, size)) {
          this.routingNd(inner, size);
          continue;
        }
        offsets[k] = inner;
        sizes[k++] = size;
      }
      if (k > 0) {
        const written = addon.writePackets(this.tunFd, inBuf, offsets, sizes, k);
        counters.toTun += written;
        for (let i = written; i < k; i++) counters.drop('send-failed');
      }
      if (n < BATCH) return;
    }
  }

  /** Learns the reported path MTUs; a packet a router dropped gets its Packet Too Big now. */
  private readTooBig(): void {
    const now = this.clock.now();
    for (const r of readTooBigReports(this.rawFd, this.errorBuf)) {
      this.pathMtus!.learn(r.dst, r.mtu, now);
      const pathMtu = this.pathMtus!.get(r.dst, now); // the lowest known; none for an MTU no router may report
      if (pathMtu === undefined || r.inner.length < 40) continue;
      const length = 40 + ((r.inner[4] << 8) | r.inner[5]); // the whole packet, though only its head came back
      const fits = fit(length, pathMtu, true);
      if (fits > 0) this.tooBig(r.inner, 0, r.inner.length, fits);
    }
  }

  /** A datagram cut for a path below 1300 bytes: all of its fragments go, or it counts as failed. */
  private sendFragments(fragments: Uint8Array[]): void {
    let sent = 0;
    for (const f of fragments) sent += native().sendIpv4Packets(this.rawFd, f, Int32Array.of(0), Int32Array.of(f.length), 1);
    if (sent === fragments.length) this.counters.encapsulated++;
    else this.counters.drop('send-failed');
  }

  /** Tells the sender of `b[off..off+len)` that the tunnel carries at most `mtu` towards its hop. */
  private tooBig(b: Uint8Array, off: number, len: number, mtu: number): void {
    const ptb = packetTooBig(b, off, len, mtu, this.linkLocal);
    if (!ptb) {
      this.counters.drop('too-big'); // no error may answer this one (RFC 4443 2.4)
      return;
    }
    const written = native().writePackets(this.tunFd, ptb, Int32Array.of(0), Int32Array.of(ptb.length), 1);
    if (written === 1) this.counters.tooBig++;
    else this.counters.drop('send-failed');
  }

  /** An RA for us goes to the control plane (checksum verified, as a raw socket would); the rest never reach the kernel. */
  private routingNd(off: number, size: number): void {
    const b = this.inBuf;
    const dst = Ipv6Address.read(b, off + 24);
    if (!isRouterAdvert(b, off, size) || !raForUs(dst, this.linkLocal)) {
      this.counters.drop('nd-not-for-us');
      return;
    }
    const src = Ipv6Address.read(b, off + 8);
    const message = b.slice(off + ipv6.HEADER_LENGTH, off + size);
    if (!icmpv6.checksumOk(message, src, dst)) {
      this.counters.drop('icmpv6-checksum');
      return;
    }
    this.counters.toControl++;
    const m: Icmpv6Received = { ifindex: this.ifindex, src, dst, hopLimit: b[off + 7], message };
    this.routers.deliver(m);
  }

  solicit(router: { v4: Ipv4Address; ll: Ipv6Address }, message: Uint8Array): void {
    if (this.closed) return;
    const payload = icmpv6Bytes(message, this.linkLocal, router.ll);
    const pkt = ipv6.encode({ hopLimit: 255, src: this.linkLocal, dst: router.ll, protocol: ipv6.NH_ICMPV6, payload });
    const buf = new Uint8Array(OUTER_HEADER + pkt.length);
    buf.set(pkt, OUTER_HEADER);
    const size = writeOuterHeader(buf, 0, pkt.length, { ...this.outer, dst: router.v4.value, identification: (this.identification = (this.identification + 1) & 0xffff) });
    const sent = native().sendIpv4Packets(this.rawFd, buf, Int32Array.of(0), Int32Array.of(size), 1);
    if (sent === 1) this.counters.encapsulated++;
    else this.counters.drop('send-failed');
  }

  onRouterAdvert(handler: (m: Icmpv6Received) => void): Unsubscribe {
    return this.routers.onRouterAdvert(handler);
  }

  addRouter(v4: Ipv4Address, done?: (error?: string) => void): void {
    this.routers.add(v4, done);
  }

  removeRouter(v4: Ipv4Address, done?: (error?: string) => void): void {
    this.routers.remove(v4, done);
  }

  close(done?: (error?: string) => void): void {
    if (!this.closed) {
      this.closed = true;
      this.tunWatch.stop();
      this.rawWatch.stop();
      this.routers.clear();
      native().close(this.tunFd);
      this.p41.resume();
    }
    done?.();
  }

  stats(): Record<string, unknown> {
    return this.counters.toJSON();
  }
}

/** Larger socket buffers: forced when privileged, else as far as net.core.[rw]mem_max allow. */
function growBuffers(fd: number): void {
  const c = sys();
  for (const [force, plain] of [
    [c.SO_RCVBUFFORCE, c.SO_RCVBUF],
    [c.SO_SNDBUFFORCE, c.SO_SNDBUF],
  ]) {
    try {
      if (force === undefined) throw new Error('no SO_*BUFFORCE');
      native().setsockopt(fd, c.SOL_SOCKET, force, SOCKET_BUFFER);
    } catch {
      try {
        native().setsockopt(fd, c.SOL_SOCKET, plain, SOCKET_BUFFER);
      } catch {
        // keep the default; the drops will show in the socket's counters
      }
    }
  }
}

/** The data plane for a tunnel: the batched one over Linux devices, else the port-level one. */
export function buildLinuxTunnel(tun: TunPort, p41: Ip6in4Port, opts: UserspaceOptions): IsatapTunnel {
  if (tun instanceof LinuxTunPort && p41 instanceof LinuxIp6in4Port) return new LinuxFastTunnel(tun, p41, opts);
  return new UserspaceTunnel(tun, p41, opts);
}

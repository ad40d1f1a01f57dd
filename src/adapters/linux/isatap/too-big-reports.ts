/**
 * "Fragmentation needed" for the protocol-41 socket, read from its error queue (IP_RECVERR): a
 * router's ICMPv4 report, which brings back the head of the datagram it dropped, or the kernel's
 * own refusal to send a datagram above a path (or device) MTU, which brings back none of it.
 * Either names the next hop and the MTU; the data plane turns them into Packet Too Big.
 */
import { constants } from 'node:os';
import { native, sys } from '../addon.js';

export interface TooBigReport {
  /** The next hop (unsigned 32-bit IPv4) the datagram was for. */
  dst: number;
  /** The IPv4 MTU reported. */
  mtu: number;
  /** The IPv6 packet the datagram carried, as much of it as came back (none for the kernel's own refusal). */
  inner: Uint8Array;
}

/** Asks the kernel to queue ICMP errors (and local EMSGSIZE) for `fd` with their details. */
export function enableTooBigReports(fd: number): void {
  native().setsockopt(fd, sys().IPPROTO_IP, sys().IP_RECVERR, 1);
}

/** Empties `fd`'s error queue; returns the "too big" reports in it (other errors are dropped). */
export function readTooBigReports(fd: number, buf: Uint8Array): TooBigReport[] {
  const c = sys();
  const reports: TooBigReport[] = [];
  for (let budget = 256; budget > 0; budget--) {
    let r;
    try {
      r = native().recvmsg(fd, buf, c.MSG_ERRQUEUE);
    } catch {
      break;
    }
    if (r === null) break;
    const datagram = buf.subarray(0, Math.min(r.length, buf.length));
    for (const cm of r.cmsgs) {
      if (cm.level !== c.IPPROTO_IP || cm.type !== c.IP_RECVERR || cm.data.length < 16) continue;
      // struct sock_extended_err: errno u32, origin u8, type u8, code u8, pad u8, info u32, data u32
      const v = new DataView(cm.data.buffer, cm.data.byteOffset, cm.data.byteLength);
      const errno = v.getUint32(0, true);
      const origin = cm.data[4];
      if (errno !== constants.errno.EMSGSIZE || (origin !== c.SO_EE_ORIGIN_ICMP && origin !== c.SO_EE_ORIGIN_LOCAL)) continue;
      // The datagram's destination comes back as the message's address (sockaddr_in); the
      // kernel's own refusal brings no bytes of the datagram.
      const a = r.address;
      if (a.length < 8) continue;
      const dst = ((a[4] << 24) | (a[5] << 16) | (a[6] << 8) | a[7]) >>> 0;
      const ihl = datagram.length >= 20 ? (datagram[0] & 0x0f) * 4 : datagram.length;
      const inner = origin === c.SO_EE_ORIGIN_ICMP && datagram.length > ihl ? datagram.slice(ihl) : new Uint8Array(0);
      reports.push({ dst, mtu: v.getUint32(8, true), inner });
    }
  }
  return reports;
}

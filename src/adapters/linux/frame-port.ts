/**
 * FramePort over an AF_PACKET socket bound to one interface: whole Ethernet frames in and out
 * (arpd's ARP). The socket is opened with protocol 0 and bound afterwards so that no frame of
 * another interface slips in between; frames this host sends are not looped back.
 */
import type { FramePort, Unsubscribe } from '../../core/ports.js';
import { MacAddress } from '../../core/wire/mac-address.js';
import { errnoCode, native, sys } from './addon.js';
import { FdWatch } from './fd-watch.js';
import { Handlers } from '../../core/handlers.js';
import { PortStats } from './port-stats.js';
import { packetMreq, parseSockaddrLl, sockaddrLl } from './sockaddr.js';

export const ETH_P_ALL = 0x0003;
export const ETH_P_ARP = 0x0806;
export const ETH_P_IPV6 = 0x86dd;

export interface FrameSocketOptions {
  /** EtherType to receive (ETH_P_ALL by default). */
  protocol?: number;
  /** Receive frames for any destination (PACKET_MR_PROMISC). */
  promiscuous?: boolean;
  /** Multicast MAC addresses to receive (PACKET_MR_MULTICAST). */
  multicast?: MacAddress[];
  /** Socket receive buffer in bytes (SO_RCVBUFFORCE: root may exceed rmem_max), for floods. */
  receiveBuffer?: number;
}

/** Receiving many small frames per call (recvmmsg into slots), for a port that sees floods. */
export interface FrameBatchOptions {
  /** Bytes per frame slot; a longer frame is counted malformed and dropped. */
  slotSize: number;
}

/** Batches read per wake-up before the event loop gets a turn (timers, signals, the channel). */
const BATCHES_PER_WAKE = 8;

/** Opens the packet socket (needs CAP_NET_RAW); returns its fd, for a port here or in a child. */
export function openFrameSocket(ifindex: number, opts: FrameSocketOptions = {}): number {
  const addon = native();
  const c = sys();
  const fd = addon.socket(c.AF_PACKET, c.SOCK_RAW, 0);
  try {
    addon.setsockopt(fd, c.SOL_PACKET, c.PACKET_IGNORE_OUTGOING, 1);
    if (opts.receiveBuffer) addon.setsockopt(fd, c.SOL_SOCKET, c.SO_RCVBUFFORCE, opts.receiveBuffer);
    addon.bind(fd, sockaddrLl(opts.protocol ?? ETH_P_ALL, ifindex));
    if (opts.promiscuous) addon.setsockopt(fd, c.SOL_PACKET, c.PACKET_ADD_MEMBERSHIP, packetMreq(ifindex, c.PACKET_MR_PROMISC));
    for (const m of opts.multicast ?? []) addon.setsockopt(fd, c.SOL_PACKET, c.PACKET_ADD_MEMBERSHIP, packetMreq(ifindex, c.PACKET_MR_MULTICAST, m.toBytes()));
  } catch (err) {
    addon.close(fd);
    throw err;
  }
  return fd;
}

export class LinuxFramePort implements FramePort {
  readonly mac: MacAddress;
  readonly stats = new PortStats();
  private readonly handlers = new Handlers<Uint8Array>();
  private readonly watch: FdWatch;
  private readonly buf = new Uint8Array(65536);
  private closed = false;

  /** Opens a packet socket on `ifname`. */
  static open(ifname: string, opts: FrameSocketOptions = {}): LinuxFramePort {
    const ifindex = native().ifNameToIndex(ifname);
    if (ifindex === 0) throw new Error(`no interface ${ifname}`);
    return new LinuxFramePort(openFrameSocket(ifindex, opts), ifindex, ifname, opts.promiscuous);
  }

  /**
   * Wraps an open packet socket bound to `ifindex` (one handed over by privilege separation).
   * Unless `promiscuous`, frames addressed to other stations are dropped here, as a NIC's address
   * filter would (veth and TAP hand every frame up).
   */
  constructor(
    readonly fd: number,
    readonly ifindex: number,
    readonly ifname: string,
    private readonly promiscuous = false,
    batch?: FrameBatchOptions,
  ) {
    // The bound socket's own address is the interface's hardware address.
    const ll = native().getsockname(fd);
    const halen = ll[11];
    this.mac = halen === 6 ? MacAddress.read(ll, 12) : MacAddress.ZERO;
    if (batch) {
      const max = native().maxBatch;
      this.batch = { slot: batch.slotSize, max, buf: new Uint8Array(batch.slotSize * max), lengths: new Int32Array(max) };
    }
    this.watch = new FdWatch(fd, () => (this.batch ? this.drainBatches(this.batch) : this.drain()));
  }

  private readonly batch: { slot: number; max: number; buf: Uint8Array; lengths: Int32Array } | undefined;

  send(frame: Uint8Array): void {
    if (this.closed) return;
    try {
      const n = native().sendmsg(this.fd, frame, null, null);
      if (n === null) this.stats.drop();
      else this.stats.sent++;
    } catch (err) {
      this.stats.drop(err as Error);
    }
  }

  onFrame(handler: (frame: Uint8Array) => void): Unsubscribe {
    return this.handlers.add(handler);
  }

  private drain(): void {
    const addon = native();
    const c = sys();
    // A bounded number per wake-up, as in drainBatches: the poll fires again for the rest.
    for (let budget = 2048; budget > 0 && !this.closed; budget--) {
      let r;
      try {
        r = addon.recvmsg(this.fd, this.buf, c.MSG_TRUNC);
      } catch (err) {
        if (errnoCode(err) === 'ENETDOWN') continue; // the interface went down: nothing to read
        if (this.stats.readFailed(err as Error)) this.watch.stop();
        return;
      }
      if (r === null) return;
      this.stats.readOk();
      const from = parseSockaddrLl(r.address);
      if (from?.pktType === c.PACKET_OUTGOING) continue;
      if (from?.pktType === c.PACKET_OTHERHOST && !this.promiscuous) continue;
      if (r.length > this.buf.length) {
        this.stats.malformed++;
        continue;
      }
      this.stats.received++;
      this.handlers.emit(this.buf.slice(0, r.length));
    }
  }

  /**
   * Up to BATCHES_PER_WAKE recvmmsg calls, then back to the event loop: the poll is level
   * triggered, so what is left wakes it again after timers had their turn (a flood must not
   * starve a daemon's periodic work). recvmmsg gives no link-layer address, so "another
   * station's frame" is judged from the destination MAC, as the kernel judges PACKET_OTHERHOST.
   */
  private drainBatches(b: { slot: number; max: number; buf: Uint8Array; lengths: Int32Array }): void {
    const addon = native();
    const mac = this.mac.toBytes();
    for (let round = 0; round < BATCHES_PER_WAKE && !this.closed; round++) {
      let n: number;
      try {
        n = addon.recvPackets(this.fd, b.buf, b.slot, b.max, b.lengths);
      } catch (err) {
        if (errnoCode(err) === 'ENETDOWN') continue;
        if (this.stats.readFailed(err as Error)) this.watch.stop();
        return;
      }
      if (n === 0) return;
      this.stats.readOk();
      for (let i = 0; i < n && !this.closed; i++) {
        const len = b.lengths[i];
        const at = i * b.slot;
        if (len < 0) {
          this.stats.malformed++;
          continue;
        }
        if (!this.promiscuous && len >= 6 && (b.buf[at] & 1) === 0 && !sameBytes(b.buf, at, mac)) continue;
        this.stats.received++;
        this.handlers.emit(b.buf.slice(at, at + len));
      }
      if (n < b.max) return;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.watch.stop();
    this.handlers.clear();
    native().close(this.fd);
  }
}

function sameBytes(b: Uint8Array, at: number, mac: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (b[at + i] !== mac[i]) return false;
  return true;
}

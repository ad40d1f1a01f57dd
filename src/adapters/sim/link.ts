/**
 * What a simulated node's interface is plugged into: an Ethernet segment (a broadcast domain with
 * per-attachment faults) or the IPv4 underlay (a routed cloud that delivers IPv4 datagrams by
 * destination address, for ISATAP). The engine implements these; nodes only see these interfaces.
 */
import type { Unsubscribe } from '../../core/ports.js';
import type { MacAddress } from '../../core/wire/mac-address.js';
import type { Ipv4Address } from '../../core/wire/ipv4-address.js';

export interface Carrier {
  /** Carrier present: the attachment and its segment are up. */
  readonly up: boolean;
  onCarrier(handler: (up: boolean) => void): Unsubscribe;
}

export interface EthernetAttachment extends Carrier {
  readonly node: string;
  readonly ifname: string;
  readonly segment: string;
  readonly mac: MacAddress;
  readonly mtu: number;
  /** Puts a whole frame on the segment; each receiver gets it after its own faults. */
  send(frame: Uint8Array): void;
  /**
   * Frames the segment delivers here. Which ones depends on the receive mode (a NIC's address
   * filter): by default ('allmulti') frames to this MAC, broadcast and every multicast frame. The
   * frame is shared with the other receivers: read it, never write to it.
   */
  onFrame(handler: (frame: Uint8Array) => void): Unsubscribe;
  /**
   * 'promiscuous': every frame on the segment; 'allmulti' (the default): this MAC, broadcast, all
   * multicast; 'filtered': this MAC, broadcast and the multicast groups joined. A node that joins
   * its groups (all-nodes, solicited-node) and sets 'filtered' keeps large segments cheap.
   */
  setReceiveMode(mode: ReceiveMode): void;
  joinMulticast(group: MacAddress): void;
  leaveMulticast(group: MacAddress): void;
}

export type ReceiveMode = 'promiscuous' | 'allmulti' | 'filtered';

export interface UnderlayAttachment extends Carrier {
  readonly node: string;
  readonly ifname: string;
  /** This attachment's IPv4 addresses (the first is the source of what it sends). */
  readonly addresses: readonly Ipv4Address[];
  readonly mtu: number;
  /** Sends a whole IPv4 packet; the underlay delivers it to the attachment owning its destination. */
  send(packet: Uint8Array): void;
  onPacket(handler: (packet: Uint8Array) => void): Unsubscribe;
}

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
  /** Frames the segment delivers here (every frame on the segment: the node filters by address). */
  onFrame(handler: (frame: Uint8Array) => void): Unsubscribe;
}

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

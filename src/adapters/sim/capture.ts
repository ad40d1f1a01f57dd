/**
 * The run's pcapng: one interface block per attachment, named `node:iface` (Ethernet attachments
 * LINKTYPE_ETHERNET, underlay attachments LINKTYPE_IPV4), holding what the attachment sent and what
 * it received, stamped with virtual time. Interface blocks are written as attachments are made, in
 * topology order, so the file is a function of the topology and the seed.
 */
import { PcapngWriter } from '../../core/wire/pcapng.js';
import type { Micros } from '../../core/time.js';

/** Sees each captured record as it is written (the HTML report: a delivery shares its transmission's bytes). */
export type CaptureObserver = (interfaceId: number, time: Micros, data: Uint8Array) => void;

export class Capture {
  private readonly writer: PcapngWriter;

  constructor(
    sink: (chunk: Uint8Array) => void,
    private readonly observe?: CaptureObserver,
  ) {
    this.writer = new PcapngWriter('linklab sim', sink);
  }

  /** Adds an interface; returns its id for `packet`. */
  addInterface(linkType: number, name: string): number {
    return this.writer.addInterface(linkType, name);
  }

  packet(interfaceId: number, time: Micros, data: Uint8Array): void {
    this.writer.packet(interfaceId, time, data);
    this.observe?.(interfaceId, time, data);
  }
}

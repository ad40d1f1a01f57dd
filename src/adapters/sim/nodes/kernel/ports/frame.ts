/**
 * FramePort over the kernel model: a packet socket bound to one Ethernet interface. It hears the
 * frames the NIC accepts (its MAC, broadcast, joined groups) before the stack handles them, and
 * sends whole frames as given.
 */
import type { FramePort, Unsubscribe } from '../../../../../core/ports.js';
import type { MacAddress } from '../../../../../core/wire/mac-address.js';
import type { NetIf } from '../netif.js';
import type { Stack } from '../stack.js';

export class SimFramePort implements FramePort {
  readonly ifindex: number;
  readonly ifname: string;
  readonly mac: MacAddress;
  private readonly subs: Unsubscribe[] = [];
  private closed = false;

  constructor(
    private readonly s: Stack,
    private readonly nif: NetIf,
  ) {
    if (nif.kind !== 'ethernet' || !nif.mac) throw new Error(`${s.name}: ${nif.name} is not an Ethernet interface`);
    this.ifindex = nif.ifindex;
    this.ifname = nif.name;
    this.mac = nif.mac;
  }

  send(frame: Uint8Array): void {
    if (this.closed || !this.s.alive) return;
    this.s.transmitFrame(this.nif, frame);
  }

  onFrame(handler: (frame: Uint8Array) => void): Unsubscribe {
    const nif = this.nif;
    const off = this.s.events.framesOf(this.ifindex).add(handler);
    nif.rx.rawListeners++;
    let on = true;
    const end = (): void => {
      if (!on) return;
      on = false;
      nif.rx.rawListeners--;
      off();
    };
    this.subs.push(end);
    return end;
  }

  close(): void {
    this.closed = true;
    for (const off of this.subs.splice(0)) off();
  }
}

/**
 * TUN and TAP devices (tun(4)/tap(4)): whole IP packets (TUN) or Ethernet frames (TAP) between the
 * kernel and this process, no packet-info header, non-blocking. Reads return one packet; a write
 * that would block drops the packet, as a busy device does. Closing the last descriptor of a
 * non-persistent device removes it.
 */
import type { FramePort, TunPort, Unsubscribe } from '../../core/ports.js';
import { MacAddress } from '../../core/wire/mac-address.js';
import { errnoCode, native } from './addon.js';
import { FdWatch } from './fd-watch.js';
import { Handlers } from '../../core/handlers.js';
import { PortStats } from './port-stats.js';

/** Opens (creating when needed) TUN or TAP device `name`; '' lets the kernel pick a name. */
export function openTunDevice(name: string, tap: boolean): { fd: number; name: string; ifindex: number } {
  const { fd, name: actual } = native().openTun(name, tap);
  return { fd, name: actual, ifindex: native().ifNameToIndex(actual) };
}

class Device {
  readonly stats = new PortStats();
  protected readonly handlers = new Handlers<Uint8Array>();
  private readonly watch: FdWatch;
  private readonly buf = new Uint8Array(65536);
  private closed = false;

  constructor(
    readonly fd: number,
    readonly ifindex: number,
    readonly ifname: string,
  ) {
    this.watch = new FdWatch(fd, () => this.drain());
  }

  send(packet: Uint8Array): void {
    if (this.closed) return;
    try {
      const n = native().write(this.fd, packet);
      if (n === null) this.stats.drop();
      else this.stats.sent++;
    } catch (err) {
      // EIO while the interface is down, EINVAL for a runt: the packet is dropped.
      this.stats.drop(err as Error);
    }
  }

  private drain(): void {
    const addon = native();
    while (!this.closed) {
      let n;
      try {
        n = addon.read(this.fd, this.buf);
      } catch (err) {
        if (errnoCode(err) === 'EIO' || errnoCode(err) === 'EHOSTDOWN') return; // interface down
        if (this.stats.readFailed(err as Error)) this.watch.stop();
        return;
      }
      if (n === null || n === 0) return;
      this.stats.readOk();
      this.stats.received++;
      this.handlers.emit(this.buf.slice(0, n));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.watch.stop();
    this.handlers.clear();
    native().close(this.fd);
  }

  /**
   * Hands the descriptor to another reader (a batched data plane): this port stops watching and
   * forgets it without closing it; the taker closes it.
   */
  detach(): number {
    if (this.closed) throw new Error(`${this.ifname}: the device is closed`);
    this.closed = true;
    this.watch.stop();
    this.handlers.clear();
    return this.fd;
  }
}

export class LinuxTunPort extends Device implements TunPort {
  static open(name: string): LinuxTunPort {
    const d = openTunDevice(name, false);
    return new LinuxTunPort(d.fd, d.ifindex, d.name);
  }

  onPacket(handler: (packet: Uint8Array) => void): Unsubscribe {
    return this.handlers.add(handler);
  }
}

/**
 * A TAP device seen as a FramePort: frames written here arrive at the kernel as if received on
 * the interface; frames the kernel transmits on it are read here. `mac` is the kernel side's.
 */
export class LinuxTapPort extends Device implements FramePort {
  readonly mac: MacAddress;

  static open(name: string): LinuxTapPort {
    const d = openTunDevice(name, true);
    return new LinuxTapPort(d.fd, d.ifindex, d.name);
  }

  constructor(fd: number, ifindex: number, ifname: string) {
    super(fd, ifindex, ifname);
    const hw = native().ifHardwareAddress(ifname);
    this.mac = hw ? MacAddress.fromBytes(hw) : MacAddress.ZERO;
  }

  onFrame(handler: (frame: Uint8Array) => void): Unsubscribe {
    return this.handlers.add(handler);
  }
}

/**
 * The tunnel's local IPv4 address (main.c get_tunnel_saddr). With --link it is that device's
 * address; otherwise the source the kernel would use towards each potential router (the
 * original's UDP connect; InterfacePort.routeSource here): the first router's decides, routers
 * reached from another source are dropped from the list, unreachable ones are tried again next
 * time. linklab also requires the device holding the address to be up with carrier, as the man
 * page says the tunnel needs ("The tunnel can only exist as long as the link device is up").
 */
import type { InterfaceInfo, InterfacePort, LogLevel } from '../ports.js';
import type { Ipv4Address } from '../wire/ipv4-address.js';
import type { PotentialRouterList } from './prl.js';

export type Emit = (level: LogLevel, event: string, msg: string, fields?: Record<string, unknown>) => void;

/** The interface holding `v4` when it is usable (up, with carrier), else undefined. */
export function usableInterfaceOf(interfaces: InterfacePort, v4: Ipv4Address): InterfaceInfo | undefined {
  return interfaces.list().find((i) => i.up && i.running && !i.loopback && i.ipv4.some((a) => a.address.value === v4.value));
}

/** The --link device's address, or null (logging why, as get_if_addr's errno did). */
export function linkSource(interfaces: InterfacePort, link: string, emit: Emit): Ipv4Address | null {
  const info = interfaces.byName(link);
  if (!info) {
    emit('error', 'link.missing', 'get_if_addr: No such device', { link });
    return null;
  }
  if (info.ipv4.length === 0) {
    emit('error', 'link.no-address', 'get_if_addr: Cannot assign requested address', { link });
    return null;
  }
  if (!info.up || !info.running) return null;
  return info.ipv4[0].address;
}

/**
 * Finds the source for the routers in `prl` (asking the kernel about each, all at once) and
 * prunes the list as the original does. `done` gets the source or null, later.
 */
export function routeSourceFor(interfaces: InterfacePort, prl: PotentialRouterList, emit: Emit, done: (src: Ipv4Address | null) => void): void {
  const routers = prl.addresses();
  const answers: Array<Ipv4Address | null | undefined> = routers.map(() => undefined);
  let pending = routers.length;
  if (pending === 0) {
    done(null);
    return;
  }
  const finish = (): void => {
    let src: Ipv4Address | null = null;
    routers.forEach((v4, i) => {
      const a = answers[i] ?? null;
      if (a === null) {
        emit('warning', 'pdr.unreachable', `PDR ${v4} unreachable. Probing again next time.`, { router: v4.toString() });
        return;
      }
      if (src === null) src = a;
      else if (src.value !== a.value) {
        emit('warning', 'pdr.other-interface', `Outgoing interface for PDR ${v4} differs from ${src}. Removing from internal PRL.`, { router: v4.toString(), source: a.toString() });
        prl.removeV4(v4);
      }
    });
    const found = src as Ipv4Address | null;
    done(found !== null && usableInterfaceOf(interfaces, found) ? found : null);
  };
  routers.forEach((v4, i) => {
    interfaces.routeSource(v4, (src) => {
      if (answers[i] !== undefined) return;
      answers[i] = src;
      if (--pending === 0) finish();
    });
  });
}

// The unprivileged half of the test daemon: everything that parses network input runs here.
// It asks the parent for kernel changes, reports the answers as JSON lines, then reports every
// test frame it receives (parsed here) with the uid it runs as.
import type { ChildContext } from '../../../src/adapters/linux/privsep/child.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { MacAddress } from '../../../src/core/wire/mac-address.js';
import * as ethernet from '../../../src/core/wire/ethernet.js';

const say = (o: unknown): boolean => process.stdout.write(JSON.stringify(o) + '\n');
const ask = <T>(f: (done: (...a: T[]) => void) => void): Promise<T[]> => new Promise((r) => f((...a) => r(a)));

export async function main(ctx: ChildContext): Promise<void> {
  const lan = ctx.frames('lan');
  say({ uid: process.getuid?.(), gid: process.getgid?.(), config: ctx.config, ifname: lan.ifname, mac: String(lan.mac) });
  const p = ctx.parent;
  say({ sysctl: await ask<string | undefined>((d) => p.write('net.ipv4.neigh.a0.app_solicit', '3', d)) });
  say({ forbiddenSysctl: await ask<string | undefined>((d) => p.write('net.ipv4.ip_forward', '1', d)) });
  say({ neighbor: await ask<string | undefined>((d) => p.installNeighbor({ ifindex: lan.ifindex, ip: Ipv4Address.parse('192.0.2.77'), mac: MacAddress.parse('02:00:5e:00:53:77'), state: 'permanent' }, d)) });
  say({ forbiddenLink: await ask<string | undefined>((d) => p.setLink('lo', { up: false }, d)) });
  const [tun, tunError] = await ask<unknown>((d) => p.createTun('llt0', 1400, d));
  say({ tun: tun ? { ifname: (tun as { ifname: string }).ifname } : null, tunError });
  say({ forbiddenTun: (await ask<unknown>((d) => p.createTun('eth9', 1400, d)))[1] });
  say({ forbiddenFrames: (await ask<unknown>((d) => p.open('a0', d)))[1] });
  lan.onFrame((f) => {
    const frame = ethernet.decode(f);
    say({ frame: new DataView(frame.payload.buffer, frame.payload.byteOffset).getUint32(0), from: String(frame.src), uid: process.getuid?.() });
  });
  process.on('SIGTERM', () => {
    say({ stopping: true });
    process.exit(0);
  });
  ctx.ready();
}

// Opens the Linux host ports in this namespace, uses a few, closes the host and ends on its own
// (nothing left open keeps it alive). Prints one JSON line.
import { openLinuxHost } from '../../../src/adapters/linux/host.js';
import { LinuxLog } from '../../../src/adapters/linux/log.js';
import type { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import type { NeighborEntry } from '../../../src/core/ports.js';

const host = await openLinuxHost({ log: new LinuxLog({ format: 'text', ident: 'test' }), resolver: { noDns: true } });
const resolved = await new Promise<Ipv4Address[]>((r) => host.resolver.resolve4('router.test', r));
const neighbors = await new Promise<NeighborEntry[]>((r) => host.neighbors.dump(r));
const t0 = host.clock.now();
await new Promise<void>((r) => host.clock.at(t0 + 20_000, r));
process.stdout.write(
  JSON.stringify({
    interfaces: host.interfaces.list().map((i) => i.name),
    appSolicit: host.sysctl.read('net.ipv4.neigh.a0.app_solicit'),
    resolved: resolved.map(String),
    neighbors: neighbors.map((n) => `${n.ip} ${n.mac} ${n.state}`),
    waited: host.clock.now() - t0 >= 20_000,
    epochPlausible: host.wall.epochSeconds() > 1_600_000_000,
    random: host.random.int(1, 6) >= 1,
  }) + '\n',
);
host.close();

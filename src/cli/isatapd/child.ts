/**
 * The unprivileged half of `linklab isatapd` (running as --user): the isatapd core with its
 * ports. Everything that parses network input runs here; the TUN device, addresses and routes
 * come from the privileged parent (ctx.parent is the InterfaceControl).
 */
import type { ChildContext } from '../../adapters/linux/privsep/child.js';
import { MonotonicClock } from '../../adapters/linux/clock.js';
import { CryptoRandom } from '../../adapters/linux/random.js';
import { LinuxLog } from '../../adapters/linux/log.js';
import { LinuxInterfacePort } from '../../adapters/linux/interface-port.js';
import { LinuxResolver } from '../../adapters/linux/resolver.js';
import { buildLinuxTunnel } from '../../adapters/linux/isatap/fast-tunnel.js';
import { PrivsepSitPort } from '../../adapters/linux/isatap/sit-client.js';
import { KernelTunnelFactory } from '../../core/isatapd/kernel.js';
import { Isatapd } from '../../core/isatapd/isatapd.js';
import { UserspaceTunnelFactory } from '../../core/isatapd/dataplane/factory.js';
import type { ChildConfig } from './run.js';

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;

export async function main(ctx: ChildContext): Promise<void> {
  const cfg = ctx.config as unknown as ChildConfig;
  const log = new LinuxLog({ format: cfg.log.format, ident: 'isatapd', minLevel: cfg.log.minLevel });
  const interfaces = await LinuxInterfacePort.open();
  const resolver = new LinuxResolver();
  // Userspace: the TUN device, addresses and routes through the parent, packets here.
  // Kernel: the SIT driver does it all; the parent makes the tunnel and fills its PRL.
  const tunnels = cfg.mode === 'userspace' ? new UserspaceTunnelFactory(ctx.parent, ctx.ip6in4('p41'), buildLinuxTunnel) : new KernelTunnelFactory(new PrivsepSitPort(ctx.parent));
  const d = new Isatapd(cfg.config, {
    clock: new MonotonicClock(),
    random: new CryptoRandom(),
    log,
    interfaces,
    resolver,
    tunnels,
    control: ctx.parent,
  });
  const exit = (code: number): void => {
    resolver.close();
    log.close();
    process.exit(code);
  };
  d.onExit((code) => exit(code));
  for (const [name, signo] of Object.entries(SIGNALS)) process.on(name, () => d.stop(signo, () => exit(0)));
  process.on('SIGHUP', () => d.hangup());
  ctx.onParentGone(() => d.stop(undefined, () => exit(1)));
  d.start();
  ctx.ready();
}

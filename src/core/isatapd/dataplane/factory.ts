/**
 * Makes userspace tunnels: a TUN device through InterfaceControl (which sets its MTU and brings it
 * up), joined to the one protocol-41 socket the daemon holds for its whole life. `build` lets an
 * adapter put a faster data plane over the same devices (the Linux batched path).
 */
import type { InterfaceControl, Ip6in4Port, TunPort } from '../../ports.js';
import type { IsatapTunnel, TunnelFactory, TunnelParams } from '../tunnel.js';
import { UserspaceTunnel, type UserspaceOptions } from './userspace.js';

export type BuildTunnel = (tun: TunPort, p41: Ip6in4Port, opts: UserspaceOptions) => IsatapTunnel;

export class UserspaceTunnelFactory implements TunnelFactory {
  readonly mode = 'userspace' as const;

  constructor(
    private readonly control: InterfaceControl,
    private readonly p41: Ip6in4Port,
    private readonly build: BuildTunnel = (tun, p41, opts) => new UserspaceTunnel(tun, p41, opts),
  ) {}

  create(p: TunnelParams, done: (tunnel: IsatapTunnel | null, error?: string) => void): void {
    this.control.createTun(p.name, p.mtu, (tun, error) => {
      if (!tun) {
        done(null, error ?? `cannot create TUN device ${p.name}`);
        return;
      }
      done(this.build(tun, this.p41, { local: p.local, ttl: p.ttl, pmtudisc: p.pmtudisc, mtu: p.mtu }));
    });
  }
}

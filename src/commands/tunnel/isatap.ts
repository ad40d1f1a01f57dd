import { Args, Flags } from '@oclif/core';
import { LinklabCommand } from '../../cli/command.js';
import { UsageError } from '../../cli/errors.js';

export default class TunnelIsatap extends LinklabCommand {
  static override summary = 'A standalone userspace ISATAP interface, without router discovery (router side).';
  static override description =
    'The userspace counterpart of `ip tunnel add NAME mode isatap local IPV4`: a TUN device NAME with fe80::5efe:V (and fe80::200:5efe:V when V is global), carrying IPv6 in protocol 41 to the IPv4 address each ISATAP destination embeds, and accepting only packets whose inner source embeds the outer source (RFC 5214 7.3). Give it its global addresses with `ip addr` and run radvd on it (UnicastOnly) to make an ISATAP router. Runs until SIGINT or SIGTERM, then removes the interface. Needs root.';
  static override examples = ['<%= config.bin %> tunnel isatap isatap0 --local 192.0.2.1', '<%= config.bin %> tunnel isatap isatap0 --local 198.51.100.1 --mtu 1400 --ttl inherit'];

  static override args = {
    name: Args.string({ description: 'the interface to create (at most 15 characters, no ":")', required: true }),
  };

  static override flags = {
    local: Flags.string({ description: 'the local IPv4 address (the tunnel endpoint)', required: true }),
    mtu: Flags.integer({ description: 'interface MTU (1280 to 65535)', default: 1480 }),
    ttl: Flags.string({ description: 'outer TTL, 1 to 255, or inherit (the inner hop limit)', default: '64' }),
    json: Flags.boolean({ description: 'log one JSON object per line' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(TunnelIsatap);
    const { parseTunnelOptions } = await import('../../cli/tunnel/isatap-options.js');
    let options;
    try {
      options = parseTunnelOptions(args.name, flags);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { runIsatapTunnel } = await import('../../cli/tunnel/isatap.js');
    this.exit(await runIsatapTunnel(options));
  }
}

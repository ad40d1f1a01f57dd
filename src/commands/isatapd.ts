import { LinklabCommand } from '../cli/command.js';
import { IsatapdUsageError, parseIsatapdArgs, USAGE } from '../cli/isatapd/options.js';

export default class Isatapd extends LinklabCommand {
  static override summary = 'ISATAP client: keep an ISATAP tunnel to the potential routers up (isatapd 0.9.7).';
  static override description =
    'Resolves the router names (default "isatap"), creates the tunnel from the IPv4 source towards them, solicits each router over the tunnel and keeps the tunnel through link, address and DNS changes. Uses the kernel\'s SIT ISATAP driver where the kernel has one, else a userspace data plane (a TUN device and a protocol-41 socket) that also configures addresses and routes from the RAs. Options are isatapd\'s own (getopt: -vv bundles, --name=is1 works), plus --dataplane kernel|userspace|auto and --json. Runs as root and drops the packet-handling half to --user. SIGHUP re-resolves and solicits again; SIGINT/SIGTERM remove the tunnel and the pidfile and exit 0. -h prints isatapd\'s usage (exit 1, as the original).';
  static override usage = 'isatapd [-n NAME] [-l LINK] [-m MTU] [-t TTL] [-N] [-r ROUTER]... [-i SEC] [-D SEC] [-d] [-p PIDFILE] [--user USER] [-v] [-q] [--dataplane kernel|userspace|auto] [--json] [ROUTER]...';
  static override examples = [
    '<%= config.bin %> isatapd',
    '<%= config.bin %> isatapd --link eth0 -p /run/isatapd.pid isatap.example.org',
    '<%= config.bin %> isatapd -d -n is1 --ttl inherit --nopmtudisc --dataplane userspace 192.0.2.1',
  ];
  // The arguments are isatapd's (read with getopt below), not oclif flags.
  static override strict = false;

  async run(): Promise<void> {
    let outcome;
    try {
      outcome = parseIsatapdArgs(this.argv);
    } catch (err) {
      if (!(err instanceof IsatapdUsageError)) throw err;
      if (err.message) process.stderr.write(`isatapd: ${err.message}\n`);
      if (err.usage) process.stderr.write(USAGE);
      this.exit(1);
    }
    if (outcome.kind === 'help') {
      process.stderr.write(USAGE);
      this.exit(1);
    }
    if (outcome.kind === 'version') {
      process.stderr.write(`isatapd (linklab ${this.config.version}), after isatapd-0.9.7\n`);
      return;
    }
    const { runIsatapd } = await import('../cli/isatapd/run.js');
    const code = await runIsatapd(outcome.options);
    this.exit(code);
  }
}

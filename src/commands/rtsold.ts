import { LinklabCommand } from '../cli/command.js';
import { helpFor, runProgram, SHARED_FLAGS } from '../cli/rtsold/command.js';

const help = helpFor('rtsold');

export default class Rtsold extends LinklabCommand {
  static override summary = help.summary;
  static override description = help.description;
  static override usage = help.usage;
  static override examples = ['<%= config.bin %> rtsold -dDf eth0', '<%= config.bin %> rtsold -m -O /etc/rtsold/dhcp6c -p /run/rtsold.pid eth0 eth1', '<%= config.bin %> rtsold -fa --json --backoff rfc7559'];
  // getopt reads the arguments (bundled short flags); these flags are for --help.
  static override strict = false;
  static override flags = SHARED_FLAGS;

  async run(): Promise<void> {
    this.parsed = true; // getopt reads this.argv (oclif would warn that parse() was not called)
    const code = await runProgram(this, 'rtsold', this.argv);
    if (code !== 0) this.exit(code);
  }
}

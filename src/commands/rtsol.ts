import { LinklabCommand } from '../cli/command.js';
import { helpFor, runProgram, SHARED_FLAGS } from '../cli/rtsold/command.js';

const help = helpFor('rtsol');

export default class Rtsol extends LinklabCommand {
  static override summary = help.summary;
  static override description = help.description;
  static override usage = help.usage;
  static override examples = ['<%= config.bin %> rtsol eth0', '<%= config.bin %> rtsol -dD -O /etc/rtsol/dhcp6c -R /sbin/resolvconf eth0'];
  // getopt reads the arguments (bundled short flags); these flags are for --help.
  static override strict = false;
  static override flags = SHARED_FLAGS;

  async run(): Promise<void> {
    this.parsed = true; // getopt reads this.argv (oclif would warn that parse() was not called)
    const code = await runProgram(this, 'rtsol', this.argv);
    if (code !== 0) this.exit(code);
  }
}

import { LinklabCommand } from '../cli/command.js';
import { DESCRIPTION, FLAGS, SUMMARY, runProgram } from '../cli/arpd/command.js';

export default class Arpd extends LinklabCommand {
  static override summary = SUMMARY;
  static override description = DESCRIPTION;
  static override usage = 'arpd [ -lkh? ] [ -a N ] [ -b dbase ] [ -B number ] [ -f file ] [ -n time ] [-p interval ] [ -R rate ] [--foreground] [--pid FILE] [--json] [--user USER] [--max-entries N] [--expire SEC] [ interfaces ]';
  static override examples = [
    '<%= config.bin %> arpd -b /var/tmp/arpd.db',
    '<%= config.bin %> arpd -l -b /var/tmp/arpd.db',
    '<%= config.bin %> arpd -b /var/tmp/arpd.db -a 3 -k eth0 eth1',
    'arpd -l -b /var/lib/arpd/arpd.db | <%= config.bin %> arpd -f - -b /var/lib/linklab/arpd.db',
  ];
  // getopt reads the arguments (bundled short flags, interfaces anywhere); these flags are for --help.
  static override strict = false;
  static override flags = FLAGS;

  async run(): Promise<void> {
    this.parsed = true; // getopt reads this.argv (oclif would warn that parse() was not called)
    const code = await runProgram(this.argv);
    if (code === 'help') {
      await this.config.runCommand('help', ['arpd']);
      return;
    }
    if (code !== 0) this.exit(code);
  }
}

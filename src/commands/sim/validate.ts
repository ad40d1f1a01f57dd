import { Args } from '@oclif/core';
import { LinklabCommand } from '../../cli/command.js';

export default class SimValidate extends LinklabCommand {
  static override summary = 'Check topology files: YAML, the schema, names and addresses, node configs.';
  static override description =
    'Loads each file as `sim run` would and builds its nodes without running them. Every problem is printed as FILE:LINE:COLUMN: PATH: MESSAGE. Exits 1 when any file has a problem.';

  static override examples = ['<%= config.bin %> sim validate sim/topologies/*.yaml'];

  static override strict = false;
  static override args = {
    file: Args.string({ description: 'topology files', required: true }),
  };

  async run(): Promise<void> {
    const { argv } = await this.parse(SimValidate);
    const { validateTopologyFile } = await import('../../adapters/sim/validate-file.js');
    const { TopologyError, problemLines } = await import('../../adapters/sim/topology/errors.js');
    let bad = 0;
    for (const file of argv as string[]) {
      try {
        const s = await validateTopologyFile(file);
        process.stdout.write(`${file}: ok (${s})\n`);
      } catch (err) {
        if (!(err instanceof TopologyError)) throw err;
        bad++;
        for (const line of problemLines(err)) this.warnLine(line);
      }
    }
    if (bad > 0) this.exit(1);
  }
}

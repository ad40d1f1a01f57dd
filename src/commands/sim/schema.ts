import { LinklabCommand } from '../../cli/command.js';

export default class SimSchema extends LinklabCommand {
  static override summary = 'Print the JSON Schema of topology files (draft 2020-12).';
  static override description =
    'The schema `sim validate` and `sim run` check files against, including every node kind\'s config and every expectation kind. Editors with YAML language support can use it for completion. schema/topology.schema.json is a copy of this output.';

  static override examples = ['<%= config.bin %> sim schema > topology.schema.json'];

  async run(): Promise<void> {
    await this.parse(SimSchema);
    const { schemaFor } = await import('../../adapters/sim/topology/load.js');
    process.stdout.write(JSON.stringify(schemaFor(), null, 2) + '\n');
  }
}

/**
 * Runs a linklab command from source (no build needed): `tsx cli-entry.ts sim:run FILE --seed 1`.
 * The same command classes bin/run.js loads from dist/, with oclif's own error handling.
 */
import { fileURLToPath } from 'node:url';
import { handle } from '@oclif/core';
import { COMMANDS } from '../../../src/commands/index.js';

const [id, ...argv] = process.argv.slice(2);
const command = COMMANDS[id as keyof typeof COMMANDS];
if (!command) {
  process.stderr.write(`cli-entry: no command ${id}\n`);
  process.exit(2);
}
try {
  await command.run(argv, fileURLToPath(new URL('../../../', import.meta.url)));
} catch (err) {
  await handle(err as Error);
}

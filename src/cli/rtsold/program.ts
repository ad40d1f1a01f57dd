/** rtsold's and rtsol's program without oclif (help is the command's): read the arguments, run. */
import { parseRtsoldArgs, RtsoldUsageError, usageText, type Program } from './options.js';

export async function runParsed(prog: Program, argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseRtsoldArgs(prog, argv);
  } catch (err) {
    if (!(err instanceof RtsoldUsageError)) throw err;
    process.stderr.write(`${err.message ? `linklab ${prog}: ${err.message}\n` : ''}${err.usage ? usageText(prog) : ''}`);
    return 1;
  }
  const { runRtsold } = await import('./main.js');
  return runRtsold(options);
}

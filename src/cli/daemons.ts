/**
 * The daemons' lean entry: `linklab rtsold|rtsol|arpd|isatapd ...` run from bin/run.js without
 * loading oclif and its command tree, which is most of a daemon's start-up time. Help and
 * --version are oclif's, so for those (and every other command) this returns undefined and the
 * caller hands over to oclif.
 */
const DAEMONS = new Set(['rtsold', 'rtsol', 'arpd', 'isatapd']);

function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const opts = end < 0 ? argv : argv.slice(0, end);
  return opts.some((a) => a === '--help' || a === '-h' || a === '--long-help' || a === '--version');
}

/** Runs the daemon named by `argv[0]` and returns its exit code, or undefined for oclif to run. */
export async function runDaemon(argv: readonly string[]): Promise<number | undefined> {
  const [name, ...rest] = argv;
  if (name === undefined || !DAEMONS.has(name) || asksForHelp(rest)) return undefined;
  if (name === 'arpd') {
    const { runProgram } = await import('./arpd/program.js');
    const code = await runProgram(rest);
    return code === 'help' ? undefined : code;
  }
  if (name === 'isatapd') {
    const { parseIsatapdArgs, IsatapdUsageError, USAGE } = await import('./isatapd/options.js');
    let outcome;
    try {
      outcome = parseIsatapdArgs(rest);
    } catch (err) {
      if (!(err instanceof IsatapdUsageError)) throw err;
      process.stderr.write(`${err.message ? `isatapd: ${err.message}\n` : ''}${err.usage ? USAGE : ''}`);
      return 1;
    }
    if (outcome.kind !== 'run') return undefined;
    const { runIsatapd } = await import('./isatapd/run.js');
    return runIsatapd(outcome.options);
  }
  const { runParsed } = await import('./rtsold/program.js');
  return runParsed(name as 'rtsold' | 'rtsol', rest);
}

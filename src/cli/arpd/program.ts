/** arpd's program without oclif: read the arguments, then list, load or run the daemon. */
import { ArpdUsageError, USAGE, parseArpdArgs } from './options.js';

/** Reads `argv` and runs arpd; returns the exit code, or 'help' for --help. */
export async function runProgram(argv: readonly string[]): Promise<number | 'help'> {
  try {
    const o = parseArpdArgs(argv);
    if (o === 'help') return 'help';
    const { interfaceIndexes } = await import('./interfaces.js');
    const ifindexes = interfaceIndexes(o.config.interfaces);
    if (o.list || o.load !== undefined) {
      const { runOffline } = await import('./offline.js');
      return await runOffline(o, ifindexes, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), now: Math.floor(Date.now() / 1000) });
    }
    // The original reports a database it cannot open before it becomes a daemon.
    const { openDatabase } = await import('./database.js');
    openDatabase(o.database, { readOnly: true }).close();
    const { runArpd } = await import('./run.js');
    return await runArpd(o);
  } catch (err) {
    if (!(err instanceof ArpdUsageError)) throw err;
    process.stderr.write(`${err.message ? `${err.message}\n` : ''}${err.usage ? USAGE : ''}`);
    return err.exitCode;
  }
}

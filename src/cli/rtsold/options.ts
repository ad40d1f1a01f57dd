/**
 * `linklab rtsold` and `linklab rtsol` command lines, read as FreeBSD's rtsold reads them (BSD
 * getopt over "adDfFm1O:p:R:u", or "adDFO:R:u" when run as rtsol), plus linklab's long options.
 * Every check and message is the original's: a bad option, no interface and no -a, or -a with
 * interfaces print the usage and exit 1; a script path that is not absolute exits 1.
 */
import type { Backoff, RtsoldConfig } from '../../core/rtsold/config.js';
import { DEFAULT_RESOLVCONF, defaultConfig } from '../../core/rtsold/config.js';
import { getopt, GetoptError, type OptionSpec } from '../getopt.js';

export type Program = 'rtsold' | 'rtsol';

export const DEFAULT_PIDFILE = '/var/run/rtsold.pid';
export const DEFAULT_DUMPFILE = '/var/run/rtsold.dump';
export const DEFAULT_USER = 'nobody';

export interface RtsoldOptions {
  prog: Program;
  config: RtsoldConfig;
  /** -f (always for rtsol): stay in the foreground and log to stderr. */
  foreground: boolean;
  /** -d counts 1, -D counts 2: 0 logs notices and up, 1 info, 2 or more debug. */
  debug: number;
  /** The pidfile to write and lock, or undefined for none. */
  pidfile: string | undefined;
  /** Where SIGUSR1 writes; rtsol has none unless --dump-file names one. */
  dumpFile: string | undefined;
  user: string;
  json: boolean;
}

/** A bad command line: print `message` (if any) and, when `usage`, the usage text; exit 1. */
export class RtsoldUsageError extends Error {
  override readonly name = 'RtsoldUsageError';

  constructor(
    message: string,
    readonly usage: boolean,
  ) {
    super(message);
  }
}

/** The original's usage text, word for word (rtsol's mentions -p though it takes none). */
export function usageText(prog: Program): string {
  if (prog === 'rtsold') {
    return (
      'usage: rtsold [-dDfFm1] [-O script-name] [-p pidfile] [-R script-name] interface ...\n' +
      'usage: rtsold [-dDfFm1] [-O script-name] [-p pidfile] [-R script-name] -a\n'
    );
  }
  return (
    'usage: rtsol [-dDF] [-O script-name] [-p pidfile] [-R script-name] interface ...\n' +
    'usage: rtsol [-dDF] [-O script-name] [-p pidfile] [-R script-name] -a\n'
  );
}

const LINKLAB_LONG: OptionSpec[] = [
  { long: 'backoff', arg: true },
  { long: 'dump-file', arg: true },
  { long: 'json', arg: false },
  { long: 'user', arg: true },
];

/** The short options of each program, with long names for people who prefer them. */
function specs(prog: Program): OptionSpec[] {
  const common: OptionSpec[] = [
    { short: 'a', long: 'auto', arg: false, key: 'a' },
    { short: 'd', long: 'debug', arg: false, key: 'd' },
    { short: 'D', long: 'more-debug', arg: false, key: 'D' },
    { short: 'F', long: 'force-sysctl', arg: false, key: 'F' },
    { short: 'O', long: 'other-script', arg: true, key: 'O' },
    { short: 'R', long: 'resolv-script', arg: true, key: 'R' },
    { short: 'u', long: 'per-source', arg: false, key: 'u' },
  ];
  const daemonOnly: OptionSpec[] = [
    { short: 'f', long: 'foreground', arg: false, key: 'f' },
    { short: 'm', long: 'mobility', arg: false, key: 'm' },
    { short: '1', long: 'once', arg: false, key: '1' },
    { short: 'p', long: 'pidfile', arg: true, key: 'p' },
  ];
  return [...common, ...(prog === 'rtsold' ? daemonOnly : []), ...LINKLAB_LONG];
}

function absolute(path: string): void {
  if (!path.startsWith('/')) throw new RtsoldUsageError(`configuration script (${path}) must be an absolute path`, false);
}

/** Reads the command line; throws RtsoldUsageError for what the original refuses. */
export function parseRtsoldArgs(prog: Program, argv: readonly string[]): RtsoldOptions {
  let parsed;
  try {
    parsed = getopt(argv, specs(prog), { style: 'bsd' });
  } catch (err) {
    if (err instanceof GetoptError) throw new RtsoldUsageError(err.message, true);
    throw err;
  }
  // rtsol is rtsold -f1.
  const once = prog === 'rtsol';
  const config = defaultConfig({ once });
  const o: RtsoldOptions = { prog, config, foreground: once, debug: 0, pidfile: undefined, dumpFile: prog === 'rtsold' ? DEFAULT_DUMPFILE : undefined, user: DEFAULT_USER, json: false };
  let pidfile = DEFAULT_PIDFILE;
  let pidfileGiven = false;
  for (const { key, value = '' } of parsed.options) {
    switch (key) {
      case 'a':
        config.auto = true;
        break;
      case 'd':
        o.debug += 1;
        break;
      case 'D':
        o.debug += 2;
        break;
      case 'f':
        o.foreground = true;
        break;
      case 'F':
        config.forceSysctl = true;
        break;
      case 'm':
        config.mobility = true;
        break;
      case '1':
        config.once = true;
        break;
      case 'O':
        config.otherScript = value;
        break;
      case 'p':
        pidfile = value;
        pidfileGiven = true;
        break;
      case 'R':
        config.resolvScript = value;
        break;
      case 'u':
        config.perSource = true;
        break;
      case 'backoff':
        if (value !== 'classic' && value !== 'rfc7559') throw new RtsoldUsageError(`--backoff: expected classic or rfc7559, got ${JSON.stringify(value)}`, true);
        config.backoff = value as Backoff;
        break;
      case 'dump-file':
        if (value === '') throw new RtsoldUsageError('--dump-file: expected a file name', true);
        o.dumpFile = value;
        break;
      case 'json':
        o.json = true;
        break;
      case 'user':
        if (value === '') throw new RtsoldUsageError('--user: expected a user name or uid', true);
        o.user = value;
        break;
    }
  }
  if ((!config.auto && parsed.operands.length === 0) || (config.auto && parsed.operands.length !== 0)) throw new RtsoldUsageError('', true);
  config.interfaces = [...parsed.operands];
  // A daemon's standard output is /dev/null: JSON lines there would be lost, and syslog skipped.
  if (o.json && !o.foreground) throw new RtsoldUsageError('--json writes to standard output, which a daemon does not have: add -f', false);
  if (config.otherScript !== undefined) absolute(config.otherScript);
  absolute(config.resolvScript);
  // A daemon writes a pidfile; in the foreground only when asked for one with -p. rtsol never.
  o.pidfile = prog === 'rtsold' && (!o.foreground || pidfileGiven) ? pidfile : undefined;
  return o;
}

export { DEFAULT_RESOLVCONF };

/**
 * `linklab rtsold` and `linklab rtsol` command lines, read as FreeBSD's rtsold reads them (BSD
 * getopt over "adDfFm1O:p:R:u", or "adDFO:R:u" when run as rtsol), plus linklab's long options.
 * Every check and message is the original's: a bad option, no interface and no -a, or -a with
 * interfaces print the usage and exit 1; a script path that is not absolute exits 1.
 */
import type { Backoff, RtsoldConfig } from '../../core/rtsold/config.js';
import { defaultConfig } from '../../core/rtsold/config.js';
import { DEFAULT_DUMPFILE, DEFAULT_PIDFILE, DEFAULT_RESOLVCONF, DEFAULT_USER, OPTIONS, SYNOPSIS, interfacesProblem, type OptionName, type Program } from '../../core/rtsold/options.js';
import { checkValue, optionNamed } from '../../core/option-table.js';
import { getopt, GetoptError } from '../getopt.js';
import { getoptSpecs } from '../option-table.js';

export type { Program };
export { DEFAULT_DUMPFILE, DEFAULT_PIDFILE, DEFAULT_RESOLVCONF, DEFAULT_USER };

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

/** The original's usage text, word for word. */
export function usageText(prog: Program): string {
  return SYNOPSIS[prog].map((l) => `usage: ${prog} ${l}\n`).join('');
}

/** A value's rule (options.ts); the original's rules print bare, linklab's name the option and show the usage. */
function check(name: OptionName, value: unknown): void {
  const d = optionNamed(OPTIONS, name);
  const why = checkValue(d, value);
  if (why === undefined) return;
  if (d.linklab) throw new RtsoldUsageError(`--${d.long}: ${why}`, true);
  throw new RtsoldUsageError(why, false);
}

/** Reads the command line; throws RtsoldUsageError for what the original refuses. */
export function parseRtsoldArgs(prog: Program, argv: readonly string[]): RtsoldOptions {
  let parsed;
  try {
    parsed = getopt(argv, getoptSpecs(OPTIONS, prog), { style: 'bsd' });
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
    switch (key as OptionName) {
      case 'auto':
        config.auto = true;
        break;
      case 'debug':
        o.debug += 1;
        break;
      case 'moreDebug':
        o.debug += 2;
        break;
      case 'foreground':
        o.foreground = true;
        break;
      case 'forceSysctl':
        config.forceSysctl = true;
        break;
      case 'mobility':
        config.mobility = true;
        break;
      case 'once':
        config.once = true;
        break;
      case 'otherScript':
        config.otherScript = value;
        break;
      case 'pidfile':
        pidfile = value;
        pidfileGiven = true;
        break;
      case 'resolvScript':
        config.resolvScript = value;
        break;
      case 'perSource':
        config.perSource = true;
        break;
      case 'backoff':
        check('backoff', value);
        config.backoff = value as Backoff;
        break;
      case 'dumpFile':
        check('dumpFile', value);
        o.dumpFile = value;
        break;
      case 'json':
        o.json = true;
        break;
      case 'user':
        check('user', value);
        o.user = value;
        break;
      case 'interfaces':
        break; // the operands
    }
  }
  if (interfacesProblem(config.auto, parsed.operands) !== undefined) throw new RtsoldUsageError('', true);
  config.interfaces = [...parsed.operands];
  // A daemon's standard output is /dev/null: JSON lines there would be lost, and syslog skipped.
  if (o.json && !o.foreground) throw new RtsoldUsageError('--json writes to standard output, which a daemon does not have: add -f', false);
  if (config.otherScript !== undefined) check('otherScript', config.otherScript);
  check('resolvScript', config.resolvScript);
  // A daemon writes a pidfile; in the foreground only when asked for one with -p. rtsol never.
  o.pidfile = prog === 'rtsold' && (!o.foreground || pidfileGiven) ? pidfile : undefined;
  return o;
}

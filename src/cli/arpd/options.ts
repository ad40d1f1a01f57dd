/**
 * `linklab arpd`'s arguments, read as iproute2's arpd reads them (glibc getopt over
 * "h?b:lf:a:n:p:kR:B:", so `-lk` bundles and interfaces may come between options), with its
 * checks, messages and exit codes: the usage text exits 1, a bad -p/-R/-B value exits 255 (the
 * original's exit(-1)). linklab's own long options: --foreground, --pid, --json, --user,
 * --max-entries, --expire.
 */
import { defaultConfig, type ArpdConfig } from '../../core/arpd/config.js';
import { getopt, GetoptError, type OptionSpec } from '../getopt.js';

export const DEFAULT_DATABASE = '/var/lib/linklab/arpd.db';
export const DEFAULT_PIDFILE = '/run/linklab/arpd.pid';
export const DEFAULT_USER = 'nobody';

export const USAGE = 'Usage: arpd [ -lkh? ] [ -a N ] [ -b dbase ] [ -B number ] [ -f file ] [ -n time ] [-p interval ] [ -R rate ] [ interfaces ]\n';

export interface ArpdOptions {
  config: ArpdConfig;
  database: string;
  /** -l: dump and exit (after -f, the resulting database). */
  list: boolean;
  /** -f FILE: load and exit; '-' and '--' are standard input. */
  load: string | undefined;
  foreground: boolean;
  pidfile: string;
  json: boolean;
  user: string;
}

/** A command line arpd refuses: `message` (may be empty), the usage text when `usage`, then exit `exitCode`. */
export class ArpdUsageError extends Error {
  override readonly name = 'ArpdUsageError';

  constructor(
    message: string,
    readonly usage: boolean,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const SPECS: OptionSpec[] = [
  { short: 'h', arg: false, key: 'help' },
  { short: '?', arg: false, key: 'help' },
  { short: 'b', arg: true },
  { short: 'l', arg: false },
  { short: 'f', arg: true },
  { short: 'a', arg: true },
  { short: 'n', arg: true },
  { short: 'p', arg: true },
  { short: 'k', arg: false },
  { short: 'R', arg: true },
  { short: 'B', arg: true },
  { long: 'foreground', arg: false },
  { long: 'pid', arg: true },
  { long: 'json', arg: false },
  { long: 'user', arg: true },
  { long: 'max-entries', arg: true },
  { long: 'expire', arg: true },
  { long: 'help', arg: false, key: 'long-help' },
];

/** C's atoi: optional blanks and sign, then digits; anything else stops it (nothing read: 0). */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  // int overflow is undefined in C; glibc's atoi (strtol) saturates
  return Math.max(-0x8000_0000, Math.min(0x7fff_ffff, n));
}

/** C's strtod for the forms a poll interval takes (decimal, exponent); nothing read: 0. */
export function strtod(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/.exec(s);
  return m ? Number(m[1]) : 0;
}

const exit255 = (message: string): ArpdUsageError => new ArpdUsageError(message, false, 255);

function count(name: string, text: string): number {
  if (!/^[0-9]+$/.test(text)) throw new ArpdUsageError(`--${name}: "${text}" is not a whole number`, false, 1);
  return Number(text);
}

/** Reads `argv` (after `arpd`); returns 'help' for `--help` (oclif's help is shown then). */
export function parseArpdArgs(argv: readonly string[]): ArpdOptions | 'help' {
  let parsed;
  try {
    parsed = getopt(argv, SPECS);
  } catch (err) {
    if (err instanceof GetoptError) throw new ArpdUsageError(`arpd: ${err.message}`, true, 1);
    throw err;
  }
  const config = defaultConfig();
  const o: ArpdOptions = { config, database: DEFAULT_DATABASE, list: false, load: undefined, foreground: false, pidfile: DEFAULT_PIDFILE, json: false, user: DEFAULT_USER };
  for (const { key, value = '' } of parsed.options) {
    switch (key) {
      case 'long-help':
        return 'help';
      case 'help':
        throw new ArpdUsageError('', true, 1);
      case 'b':
        o.database = value;
        break;
      case 'f':
        if (o.load !== undefined) throw new ArpdUsageError('Duplicate option -f', true, 1);
        o.load = value;
        break;
      case 'l':
        o.list = true;
        break;
      case 'a':
        config.activeProbes = atoi(value);
        break;
      case 'n':
        config.negativeTimeout = atoi(value);
        break;
      case 'k':
        config.suppressKernel = true;
        break;
      case 'p':
        config.pollInterval = strtod(value);
        // The original keeps milliseconds in an int: 1000 * strtod(optarg) < 100 is refused.
        if (!(Math.trunc(1000 * config.pollInterval) >= 100)) throw exit255('Invalid poll timeout');
        break;
      case 'R': {
        const rate = atoi(value);
        if (rate <= 0 || Math.trunc(1000 / rate) <= 0) throw exit255('Invalid ARP rate');
        config.rate = rate;
        break;
      }
      case 'B': {
        const burst = atoi(value);
        // ... and the burst in milliseconds too: 1000 * B must stay a positive int.
        if (burst <= 0 || 1000 * burst > 0x7fff_ffff) throw exit255('Invalid ARP burst');
        config.burst = burst;
        break;
      }
      case 'foreground':
        o.foreground = true;
        break;
      case 'pid':
        o.pidfile = value;
        break;
      case 'json':
        o.json = true;
        break;
      case 'user':
        o.user = value;
        break;
      case 'max-entries':
        config.maxEntries = count('max-entries', value);
        break;
      case 'expire':
        config.expireAfter = count('expire', value);
        break;
    }
  }
  config.interfaces = parsed.operands;
  // Values the original took without a word but cannot mean anything.
  if (config.activeProbes < 0 || config.activeProbes > 255) throw exit255(`Invalid number of probes: ${config.activeProbes} (-a takes 0 to 255)`);
  if (config.negativeTimeout < 0) throw exit255(`Invalid negative cache timeout: ${config.negativeTimeout}`);
  if (config.maxEntries < 16) throw new ArpdUsageError(`--max-entries: ${config.maxEntries} is below 16`, false, 1);
  // A daemon's standard output is /dev/null: the JSON statistics would be lost.
  if (o.json && !o.foreground && !o.list && o.load === undefined) throw new ArpdUsageError('--json writes to standard output, which a daemon does not have: add --foreground', false, 1);
  return o;
}

/** What the original's get_ifname() refuses (invarg: exit 255). */
export function badIfname(name: string): boolean {
  return name.length === 0 || name.length >= 16 || name === '.' || name === '..' || /[/:\s]/.test(name);
}

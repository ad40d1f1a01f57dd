/**
 * rtsold's and rtsol's options (rtsold.8), declared once: their flags, values, defaults and help,
 * and the rules their values follow. The command line (src/cli/rtsold), --help, the man page and
 * the simulator's `config.core: rtsold` all read them from here.
 */
import type { OptionDef } from '../option-table.js';

export const PROGRAMS = ['rtsold', 'rtsol'] as const;
export type Program = (typeof PROGRAMS)[number];

/** The original's synopsis, line by line (rtsol's mentions -p though it takes none). */
export const SYNOPSIS: Record<Program, readonly string[]> = {
  rtsold: ['[-dDfFm1] [-O script-name] [-p pidfile] [-R script-name] interface ...', '[-dDfFm1] [-O script-name] [-p pidfile] [-R script-name] -a'],
  rtsol: ['[-dDF] [-O script-name] [-p pidfile] [-R script-name] interface ...', '[-dDF] [-O script-name] [-p pidfile] [-R script-name] -a'],
};

export const DEFAULT_RESOLVCONF = '/sbin/resolvconf';
export const DEFAULT_PIDFILE = '/var/run/rtsold.pid';
export const DEFAULT_DUMPFILE = '/var/run/rtsold.dump';
export const DEFAULT_USER = 'nobody';
export const BACKOFFS = ['classic', 'rfc7559'] as const;

/** A script rtsold runs must be named by an absolute path. */
const absolute = (path: string): string | undefined => (path.startsWith('/') ? undefined : `configuration script (${path}) must be an absolute path`);
const nonEmpty =
  (what: string) =>
  (v: string): string | undefined =>
    v === '' ? `expected ${what}` : undefined;
const daemonOnly = ['rtsold'];

export const OPTIONS = [
  { name: 'auto', short: 'a', long: 'auto', type: 'flag', help: 'every up, multicast, non-loopback, non-p2p IPv6 interface' },
  { name: 'debug', short: 'd', long: 'debug', type: 'count', only: 'cli', help: 'also log info messages; -D (or -dd) debug messages too' },
  { name: 'moreDebug', short: 'D', long: 'more-debug', type: 'count', only: 'cli', unlisted: true, help: 'also log debug messages (as -dd)' },
  { name: 'foreground', short: 'f', long: 'foreground', type: 'flag', only: 'cli', programs: daemonOnly, help: 'stay in the foreground and log to stderr' },
  { name: 'forceSysctl', short: 'F', long: 'force-sysctl', type: 'flag', help: 'set accept_ra=1 and forwarding=0 (kept after exit)' },
  { name: 'mobility', short: 'm', long: 'mobility', type: 'flag', programs: daemonOnly, help: 're-check each link every 3 s; solicit again on a change' },
  { name: 'once', short: '1', long: 'once', type: 'flag', programs: daemonOnly, help: 'exit once each interface that is up has an RA, or gave up' },
  { name: 'otherScript', short: 'O', long: 'other-script', arg: 'script', type: 'text', check: absolute, help: 'run "script IFNAME" when an RA\'s O flag turns on' },
  { name: 'pidfile', short: 'p', long: 'pidfile', arg: 'pidfile', type: 'text', only: 'cli', programs: daemonOnly, default: DEFAULT_PIDFILE, help: `the daemon's locked pidfile (default ${DEFAULT_PIDFILE})` },
  { name: 'resolvScript', short: 'R', long: 'resolv-script', arg: 'script', type: 'text', default: DEFAULT_RESOLVCONF, check: absolute, help: `RDNSS/DNSSL to stdin, -a/-d IF:slaac (default ${DEFAULT_RESOLVCONF})` },
  { name: 'perSource', short: 'u', long: 'per-source', type: 'flag', help: 'one -R call per RA source: IF:slaac:[fe80::...]' },
  { name: 'backoff', long: 'backoff', type: 'choice', choices: BACKOFFS, default: 'classic', linklab: true, help: 'classic: 3 RS then give up (rtsold); rfc7559: 4 s doubling to 3600 s, ±10%, never giving up' },
  { name: 'dumpFile', long: 'dump-file', arg: 'file', type: 'text', only: 'cli', linklab: true, check: nonEmpty('a file name'), help: `where SIGUSR1 writes the state dump (rtsold: ${DEFAULT_DUMPFILE}; rtsol: none)` },
  { name: 'json', long: 'json', type: 'flag', only: 'cli', linklab: true, help: 'log one JSON object per line on stdout (time, level, event, msg, fields); with -f' },
  { name: 'user', long: 'user', arg: 'user', type: 'text', only: 'cli', default: DEFAULT_USER, linklab: true, check: nonEmpty('a user name or uid'), help: 'the account that parses RAs (privilege separation)' },
  { name: 'interfaces', type: 'list', only: 'sim', help: "the interfaces to solicit on (rtsold's operands)" },
] as const satisfies readonly OptionDef[];

export type OptionName = (typeof OPTIONS)[number]['name'];

/** rtsold's usage rule for interfaces: some, or -a, not both. */
export function interfacesProblem(auto: boolean, interfaces: readonly string[]): string | undefined {
  if (!auto && interfaces.length === 0) return "give at least one, or auto: true (rtsold's usage)";
  if (auto && interfaces.length > 0) return "not with auto: true (rtsold's usage)";
  return undefined;
}

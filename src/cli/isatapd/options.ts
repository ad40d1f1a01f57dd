/**
 * `linklab isatapd`'s arguments, read as isatapd 0.9.7 reads them (getopt_long over
 * "hn:i:r:vqd1l:p:m:t:ND:" and its long names), plus linklab's `--dataplane` and `--json`. Every
 * check and message is the original's; a bad option or value prints the usage text, exit 1.
 */
import { checkConfig, defaultConfig, IsatapdConfigError, parseCheckDns, parseInterval, parseMtu, parseTtl, type IsatapdConfig } from '../../core/isatapd/config.js';
import { DEFAULT_ROUTER_NAME, DEFAULT_TTL, DEFAULT_UNPRIV_USERNAME, DEFAULT_PRLREFRESHINTERVAL } from '../../core/isatapd/constants.js';
import { getopt, GetoptError, type OptionSpec } from '../getopt.js';

export type DataplaneChoice = 'kernel' | 'userspace' | 'auto';

export interface IsatapdOptions {
  config: IsatapdConfig;
  dataplane: DataplaneChoice;
  daemon: boolean;
  pidfile: string | undefined;
  user: string;
  /** -v adds one, -q takes one away (the original's `verbose`). */
  verbose: number;
  json: boolean;
}

export type ParseOutcome = { kind: 'run'; options: IsatapdOptions } | { kind: 'help' } | { kind: 'version' };

/** A bad command line: `message` (may be empty), then the usage text when `usage`, exit 1. */
export class IsatapdUsageError extends Error {
  override readonly name = 'IsatapdUsageError';

  constructor(
    message: string,
    readonly usage: boolean,
  ) {
    super(message);
  }
}

export const USAGE = `Usage: isatapd [OPTIONS] [ROUTER]...
       -n --name       name of the tunnel
                       default: is0
       -l --link       tunnel link device
                       default: auto
       -m --mtu        set tunnel MTU
                       default: auto
       -t --ttl        set tunnel hoplimit.
                       default: ${DEFAULT_TTL}
       -N --nopmtudisc disable ipv4 pmtu discovery.
                       default: pmtudisc enabled

       -r --router     set potential router.
                       default: '${DEFAULT_ROUTER_NAME}'.
       -i --interval   interval to perform router solicitation
                       default: auto
       -D --check-dns  interval to perform DNS resolution and
                       recreate PRL.
                       default: ${DEFAULT_PRLREFRESHINTERVAL} seconds

       -d --daemon     fork into background
       -p --pid        store pid of daemon in file
          --user       drop privileges to this user
                       default: '${DEFAULT_UNPRIV_USERNAME}'

       -v --verbose    increase verbosity
       -q --quiet      decrease verbosity

          --dataplane  kernel, userspace or auto (linklab)
                       default: auto
          --json       log one JSON object per line, not with -d (linklab)

       -h --help       display this message
          --version    display version
`;

const SPECS: OptionSpec[] = [
  { long: 'help', short: 'h', arg: false },
  { long: 'name', short: 'n', arg: true },
  { long: 'link', short: 'l', arg: true },
  { long: 'router', short: 'r', arg: true },
  { long: 'interval', short: 'i', arg: true },
  { long: 'check-dns', short: 'D', arg: true },
  { long: 'verbose', short: 'v', arg: false },
  { long: 'quiet', short: 'q', arg: false },
  { long: 'daemon', short: 'd', arg: false },
  { long: 'version', arg: false },
  { long: 'mtu', short: 'm', arg: true },
  { long: 'pid', short: 'p', arg: true },
  { long: 'ttl', short: 't', arg: true },
  { long: 'nopmtudisc', short: 'N', arg: false },
  { long: 'user', arg: true },
  { long: 'dataplane', arg: true },
  { long: 'json', arg: false },
  // In the original's short option string, but never implemented: "not implemented option".
  { short: '1', arg: false, key: 'one' },
];

export function parseIsatapdArgs(argv: readonly string[]): ParseOutcome {
  let parsed;
  try {
    parsed = getopt(argv, SPECS);
  } catch (err) {
    if (err instanceof GetoptError) throw new IsatapdUsageError(err.message, true);
    throw err;
  }
  const c = defaultConfig({ routers: [] });
  const o: IsatapdOptions = { config: c, dataplane: 'auto', daemon: false, pidfile: undefined, user: DEFAULT_UNPRIV_USERNAME, verbose: 0, json: false };
  const check = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof IsatapdConfigError) throw new IsatapdUsageError(err.message, err.usage);
      throw err;
    }
  };
  for (const { key, value } of parsed.options) {
    const v = value ?? '';
    switch (key) {
      case 'help':
        return { kind: 'help' };
      case 'version':
        return { kind: 'version' };
      case 'name':
        if (v !== 'auto') c.name = v;
        break;
      case 'link':
        if (v !== 'auto') c.link = v;
        break;
      case 'router':
        c.routers.push(v);
        break;
      case 'interval':
        c.interval = check(() => parseInterval(v));
        break;
      case 'check-dns':
        c.checkDns = check(() => parseCheckDns(v));
        break;
      case 'verbose':
        o.verbose++;
        break;
      case 'quiet':
        o.verbose--;
        break;
      case 'daemon':
        o.daemon = true;
        break;
      case 'mtu':
        c.mtu = check(() => parseMtu(v));
        break;
      case 'pid':
        o.pidfile = v;
        break;
      case 'ttl':
        c.ttl = check(() => parseTtl(v));
        break;
      case 'nopmtudisc':
        c.pmtudisc = false;
        break;
      case 'user':
        o.user = v;
        break;
      case 'dataplane':
        if (v !== 'kernel' && v !== 'userspace' && v !== 'auto') throw new IsatapdUsageError(`invalid dataplane -- ${v} (kernel, userspace or auto)`, true);
        o.dataplane = v;
        break;
      case 'json':
        o.json = true;
        break;
      case 'one':
        throw new IsatapdUsageError('not implemented option -- -1', true);
    }
  }
  c.routers.push(...parsed.operands);
  if (c.routers.length === 0) c.routers.push(DEFAULT_ROUTER_NAME);
  check(() => checkConfig(c));
  if (o.dataplane !== 'auto') c.dataplane = o.dataplane;
  // A daemon's standard output is /dev/null: JSON lines there would be lost, and syslog skipped.
  if (o.json && o.daemon) throw new IsatapdUsageError('--json writes to standard output, which a daemon (-d) does not have', false);
  return { kind: 'run', options: o };
}

/**
 * `linklab isatapd` and `linklab tunnel isatap` command lines: every flag of isatapd 0.9.7 read as
 * getopt_long reads it, the original's checks and messages, usage on stderr and exit 1, and the
 * same through the command as a user runs it.
 */
import { describe, expect, it } from 'vitest';
import { IsatapdUsageError, parseIsatapdArgs, USAGE } from '../../../src/cli/isatapd/options.js';
import { parseTunnelOptions } from '../../../src/cli/tunnel/isatap-options.js';
import { cli } from '../../sim/helpers/cli.js';

function run(argv: string[]) {
  const o = parseIsatapdArgs(argv);
  if (o.kind !== 'run') throw new Error(`expected options, got ${o.kind}`);
  return o.options;
}

function usageError(argv: string[]): { message: string; usage: boolean } {
  try {
    parseIsatapdArgs(argv);
  } catch (err) {
    if (err instanceof IsatapdUsageError) return { message: err.message, usage: err.usage };
    throw err;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('isatapd command line', () => {
  it('has the original defaults', () => {
    const o = run([]);
    expect(o.config).toMatchObject({ name: 'is0', link: undefined, mtu: 0, ttl: 64, pmtudisc: true, routers: ['isatap'], interval: 65536, checkDns: 3600 });
    expect(o).toMatchObject({ dataplane: 'auto', daemon: false, pidfile: undefined, user: 'nobody', verbose: 0, json: false });
  });

  it('reads every flag, short and long, bundled, attached and with =', () => {
    const o = run(['-dvvq', '-nis1', '--link=eth0', '-m', '1400', '--ttl', 'inherit', '-N', '-r', 'a.example', '--router=192.0.2.1', '-i', '600', '-D0', '-p', '/run/i.pid', '--user', 'daemon', '--dataplane', 'userspace', 'b.example']);
    expect(o.config).toMatchObject({ name: 'is1', link: 'eth0', mtu: 1400, ttl: 0, pmtudisc: false, routers: ['a.example', '192.0.2.1', 'b.example'], interval: 600, checkDns: 0, dataplane: 'userspace' });
    expect(o).toMatchObject({ daemon: true, verbose: 1, pidfile: '/run/i.pid', user: 'daemon', json: false, dataplane: 'userspace' });
    expect(run(['--json', 'b.example']).json).toBe(true);
  });

  it('takes unambiguous abbreviations of long options, and "auto" where the original does', () => {
    // "--name auto" sets nothing, as in the original: the earlier --na stays.
    const o = run(['--na', 'is2', '--check', '300', '--link', 'auto', '--mtu', 'auto', '--interval', 'auto', '--name', 'auto']);
    expect(o.config).toMatchObject({ name: 'is2', link: undefined, mtu: 0, interval: 65536, checkDns: 300 });
  });

  it('-h and --version', () => {
    expect(parseIsatapdArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseIsatapdArgs(['--version'])).toEqual({ kind: 'version' });
  });

  it.each([
    [['--ttl', '0'], 'invalid ttl -- 0', true],
    [['-t', '256'], 'invalid ttl -- 256', true],
    [['-m', '1000'], 'invalid mtu -- 1000', true],
    [['-i', '60'], 'interval must be greater than 120 sec', true],
    [['-i', 'soon'], 'invalid cardinal -- soon', true],
    [['-D', '30'], 'dns-check interval must be greater than 120 sec', true],
    [['-n', 'is0:1'], "no ':' in tunnel name: is0:1!", false],
    [['-N'], '--nopmtudisc depends on --ttl inherit!', false],
    [['--bogus'], "unrecognized option '--bogus'", true],
    [['-x'], "invalid option -- 'x'", true],
    [['--name'], "option '--name' requires an argument", true],
    [['-1'], 'not implemented option -- -1', true],
    [['--dataplane', 'fast'], 'invalid dataplane -- fast (kernel, userspace or auto)', true],
    [['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'], 'too many potential routers (11): at most 10', true],
    [['-d', '--json'], '--json writes to standard output, which a daemon (-d) does not have', false],
  ] as const)('%j: "%s"', (argv, message, usage) => {
    expect(usageError([...argv])).toEqual({ message, usage });
  });
});

describe('linklab isatapd, run as a user runs it', () => {
  it('a bad value: the original\'s message, then its usage, on stderr; exit 1', () => {
    const r = cli('isatapd', ['--ttl', '300']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`isatapd: invalid ttl -- 300\n${USAGE}`);
    expect(USAGE.startsWith('Usage: isatapd [OPTIONS] [ROUTER]...\n')).toBe(true);
  });

  it('a check without usage: one line, exit 1', () => {
    const r = cli('isatapd', ['-n', 'a:b']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("isatapd: no ':' in tunnel name: a:b!\n");
  });

  it('-h prints the usage and exits 1, as the original; --version exits 0', () => {
    const h = cli('isatapd', ['-h']);
    expect(h.status).toBe(1);
    expect(h.stderr).toBe(USAGE);
    const v = cli('isatapd', ['--version']);
    expect(v.status).toBe(0);
    expect(v.stderr).toMatch(/^isatapd \(linklab .+\), after isatapd-0\.9\.7$/m);
  });
});

describe('linklab tunnel isatap arguments', () => {
  const flags = { local: '192.0.2.1', mtu: 1480, ttl: '64', json: false };
  it('reads the local address, MTU and TTL', () => {
    expect(parseTunnelOptions('isatap0', flags)).toMatchObject({ name: 'isatap0', mtu: 1480, ttl: 64 });
    expect(parseTunnelOptions('isatap0', { ...flags, ttl: 'inherit' }).ttl).toBe(0);
    expect(String(parseTunnelOptions('isatap0', flags).local)).toBe('192.0.2.1');
  });

  it.each([
    ['a:b', flags, "NAME: no ':' in tunnel name: a:b"],
    ['isatap0', { ...flags, local: '192.0.2' }, '--local: "192.0.2" is not a unicast IPv4 address'],
    ['isatap0', { ...flags, local: '224.0.0.1' }, '--local: "224.0.0.1" is not a unicast IPv4 address'],
    ['isatap0', { ...flags, mtu: 1000 }, '--mtu: 1000 is not from 1280 to 65535'],
    ['isatap0', { ...flags, ttl: '0' }, '--ttl: "0" is not 1 to 255 or inherit'],
  ])('%s %j: %s', (name, f, message) => {
    expect(() => parseTunnelOptions(name, f)).toThrow(message);
  });

  it('through the command: one line naming the flag, exit 1', () => {
    const r = cli('tunnel:isatap', ['isatap0', '--local', 'nowhere']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('linklab: --local: "nowhere" is not a unicast IPv4 address\n');
  });
});

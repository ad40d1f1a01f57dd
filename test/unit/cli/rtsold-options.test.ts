/**
 * `linklab rtsold` / `linklab rtsol` command lines as FreeBSD's rtsold reads them: what each flag
 * sets, and the original's usage errors and exit codes, through the command as a user runs it.
 */
import { describe, expect, it } from 'vitest';
import { parseRtsoldArgs, RtsoldUsageError, usageText } from '../../../src/cli/rtsold/options.js';
import { cli } from '../../sim/helpers/cli.js';

const RTSOLD_USAGE =
  'usage: rtsold [-dDfFm1] [-O script-name] [-p pidfile] [-R script-name] interface ...\n' +
  'usage: rtsold [-dDfFm1] [-O script-name] [-p pidfile] [-R script-name] -a\n';
const RTSOL_USAGE =
  'usage: rtsol [-dDF] [-O script-name] [-p pidfile] [-R script-name] interface ...\n' +
  'usage: rtsol [-dDF] [-O script-name] [-p pidfile] [-R script-name] -a\n';

describe('rtsold command line', () => {
  it('reads every original flag, bundled or not', () => {
    const o = parseRtsoldArgs('rtsold', ['-dDfFm1u', '-O/etc/other', '-p', '/run/r.pid', '-R', '/etc/res', 'eth0', 'eth1']);
    expect(o.config).toMatchObject({
      interfaces: ['eth0', 'eth1'],
      auto: false,
      once: true,
      mobility: true,
      forceSysctl: true,
      otherScript: '/etc/other',
      resolvScript: '/etc/res',
      perSource: true,
      backoff: 'classic',
    });
    expect(o).toMatchObject({ prog: 'rtsold', foreground: true, debug: 3, pidfile: '/run/r.pid' });
  });

  it('has the original defaults: daemon, /var/run/rtsold.pid, /sbin/resolvconf, notices only', () => {
    const o = parseRtsoldArgs('rtsold', ['eth0']);
    expect(o).toMatchObject({ foreground: false, debug: 0, pidfile: '/var/run/rtsold.pid', dumpFile: '/var/run/rtsold.dump', user: 'nobody', json: false });
    expect(o.config).toMatchObject({ once: false, resolvScript: '/sbin/resolvconf', backoff: 'classic' });
    expect(o.config.otherScript).toBeUndefined();
  });

  it('-f writes no pidfile unless -p asks for one', () => {
    expect(parseRtsoldArgs('rtsold', ['-f', 'eth0']).pidfile).toBeUndefined();
    expect(parseRtsoldArgs('rtsold', ['-f', '-p', '/tmp/x.pid', 'eth0']).pidfile).toBe('/tmp/x.pid');
  });

  it('rtsol is rtsold -f1 without a pidfile', () => {
    const o = parseRtsoldArgs('rtsol', ['-dF', 'eth0']);
    expect(o).toMatchObject({ prog: 'rtsol', foreground: true, pidfile: undefined, dumpFile: undefined, debug: 1 });
    expect(o.config).toMatchObject({ once: true, forceSysctl: true, interfaces: ['eth0'] });
  });

  it('takes linklab\'s long options', () => {
    const o = parseRtsoldArgs('rtsold', ['--backoff', 'rfc7559', '--dump-file=/tmp/d', '-f', '--json', '--user', 'daemon', '-a']);
    expect(o).toMatchObject({ dumpFile: '/tmp/d', json: true, user: 'daemon' });
    expect(o.config).toMatchObject({ backoff: 'rfc7559', auto: true, interfaces: [] });
  });

  it.each([
    ['rtsold', [], ''],
    ['rtsold', ['-a', 'eth0'], ''],
    ['rtsold', ['-x', 'eth0'], 'illegal option -- x'],
    ['rtsol', ['-m', 'eth0'], 'illegal option -- m'],
    ['rtsol', ['-p', '/x', 'eth0'], 'illegal option -- p'],
    ['rtsold', ['-dO'], 'option requires an argument -- O'],
  ] as const)('%s %j is a usage error', (prog, argv, message) => {
    let err: unknown;
    try {
      parseRtsoldArgs(prog, argv);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RtsoldUsageError);
    expect((err as RtsoldUsageError).message).toBe(message);
    expect((err as RtsoldUsageError).usage).toBe(true);
  });

  it('--json without -f: a daemon has no standard output, so it is refused (no usage), exit 1', () => {
    expect(() => parseRtsoldArgs('rtsold', ['--json', 'eth0'])).toThrow(new RtsoldUsageError('--json writes to standard output, which a daemon does not have: add -f', false));
    expect(parseRtsoldArgs('rtsol', ['--json', 'eth0']).json).toBe(true);
  });

  it('with the operand first, the rest are interfaces (BSD getopt stops there)', () => {
    expect(parseRtsoldArgs('rtsold', ['eth0', '-d']).config.interfaces).toEqual(['eth0', '-d']);
  });

  it('usage text is the original\'s', () => {
    expect(usageText('rtsold')).toBe(RTSOLD_USAGE);
    expect(usageText('rtsol')).toBe(RTSOL_USAGE);
  });
});

describe('linklab rtsold / rtsol, run as a user runs them', () => {
  it('no interface and no -a: the usage on stderr, exit 1', () => {
    const r = cli('rtsold', []);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(RTSOLD_USAGE);
  });

  it('-a with an interface: usage, exit 1', () => {
    const r = cli('rtsol', ['-a', 'eth0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(RTSOL_USAGE);
  });

  it('an unknown flag inside a bundle: getopt\'s words, then the usage, exit 1', () => {
    const r = cli('rtsold', ['-dDq', 'eth0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`linklab rtsold: illegal option -- q\n${RTSOLD_USAGE}`);
  });

  it('a relative -O or -R: the original\'s message and exit 1, no usage', () => {
    const o = cli('rtsol', ['-O', 'dhcp6c', 'eth0']);
    expect(o.status).toBe(1);
    expect(o.stderr).toBe('linklab rtsol: configuration script (dhcp6c) must be an absolute path\n');
    const r = cli('rtsold', ['-fR./resolvconf', 'eth0']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('linklab rtsold: configuration script (./resolvconf) must be an absolute path\n');
  });

  it('--help shows the usage lines and the options', () => {
    const r = cli('rtsold', ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('$ linklab rtsold [-dDfFm1] [-O script-name] [-p pidfile] [-R');
    for (const flag of ['-a ', '-d ', '-f ', '-F ', '-m ', '-1 ', '-O script', '-p pidfile', '-R script', '-u ', '--backoff', '--dump-file', '--json', '--user']) {
      expect(r.stdout).toContain(flag);
    }
  });
});

/** `linklab arpd`'s command line, read as glibc getopt and the original's atoi/strtod read it. */
import { describe, expect, it } from 'vitest';
import { atoi, parseArpdArgs, strtod, ArpdUsageError, type ArpdOptions } from '../../../src/cli/arpd/options.js';

const parse = (...a: string[]) => parseArpdArgs(a) as ArpdOptions;

function refused(args: string[]): ArpdUsageError {
  try {
    parseArpdArgs(args);
  } catch (err) {
    if (err instanceof ArpdUsageError) return err;
    throw err;
  }
  throw new Error(`${args.join(' ')} was accepted`);
}

describe('arpd options', () => {
  it('bundles short flags and takes interfaces anywhere, as glibc getopt permutes them', () => {
    const o = parse('-lkb', '/tmp/a.db', 'eth0', '-a', '3', 'eth1', '-R5', '-B', '7', '-n', '20', '-p', '2.5');
    expect(o).toMatchObject({ list: true, database: '/tmp/a.db', load: undefined });
    expect(o.config).toMatchObject({ interfaces: ['eth0', 'eth1'], activeProbes: 3, suppressKernel: true, rate: 5, burst: 7, negativeTimeout: 20, pollInterval: 2.5 });
    expect(parse('-f', '-', '--', '-l').config.interfaces).toEqual(['-l']);
  });

  it('has the documented defaults', () => {
    expect(parse()).toMatchObject({ database: '/var/lib/linklab/arpd.db', pidfile: '/run/linklab/arpd.pid', user: 'nobody', foreground: false, json: false, list: false });
    expect(parse().config).toMatchObject({ activeProbes: 0, suppressKernel: false, negativeTimeout: 60, pollInterval: 30, rate: 1, burst: 3, interfaces: [] });
  });

  it('reads numbers the way atoi and strtod do', () => {
    expect([atoi('12abc'), atoi(' -4'), atoi('x'), atoi('1.9'), atoi('99999999999')]).toEqual([12, -4, 0, 1, 0x7fffffff]);
    expect([strtod('0.1'), strtod('1e2s'), strtod('.5'), strtod('x')]).toEqual([0.1, 100, 0.5, 0]);
    expect(parse('-a', 'many').config.activeProbes).toBe(0);
    expect(parse('-p', '0.1').config.pollInterval).toBe(0.1);
  });

  it("refuses what the original refuses, with its exit codes", () => {
    expect(refused(['-p', '0.0999'])).toMatchObject({ message: 'Invalid poll timeout', exitCode: 255, usage: false });
    expect(refused(['-B', '2147484'])).toMatchObject({ message: 'Invalid ARP burst', exitCode: 255 });
    expect(parse('-B', '2147483').config.burst).toBe(2147483);
    expect(refused(['-R', '1001'])).toMatchObject({ message: 'Invalid ARP rate', exitCode: 255 });
    expect(parse('-R', '1000').config.rate).toBe(1000);
    expect(refused(['-h'])).toMatchObject({ message: '', usage: true, exitCode: 1 });
    expect(refused(['-la'])).toMatchObject({ message: "arpd: option requires an argument -- 'a'", usage: true, exitCode: 1 });
  });

  it('takes linklab long options and gives --help to oclif', () => {
    expect(parse('--foreground', '--pid', '/tmp/p.pid', '--json', '--user', 'arpd', '--max-entries', '5000', '--expire', '3600')).toMatchObject({ foreground: true, pidfile: '/tmp/p.pid', json: true, user: 'arpd' });
    expect(parse('--max-entries=5000').config.maxEntries).toBe(5000);
    expect(refused(['--json', 'eth0'])).toMatchObject({ exitCode: 1, usage: false, message: '--json writes to standard output, which a daemon does not have: add --foreground' });
    expect(parse('-l', '--json').json).toBe(true);
    expect(parseArpdArgs(['-l', '--help'])).toBe('help');
    expect(refused(['-a', '300'])).toMatchObject({ exitCode: 255, message: 'Invalid number of probes: 300 (-a takes 0 to 255)' });
  });
});

/**
 * The getopt the rtsold and isatapd commands read their argv with: bundles, attached and
 * separate values, `--`, and each flavour's own ordering rule and messages.
 */
import { describe, expect, it } from 'vitest';
import { getopt, GetoptError, type OptionSpec } from '../../../src/cli/getopt.js';

const SPECS: OptionSpec[] = [
  { short: 'd', arg: false },
  { short: 'D', arg: false },
  { short: 'f', arg: false },
  { short: 'O', long: 'other-script', arg: true },
  { short: '1', arg: false, key: 'once' },
  { long: 'json', arg: false },
  { long: 'user', arg: true },
];

const bsd = (argv: string[]) => getopt(argv, SPECS, { style: 'bsd' });
const gnu = (argv: string[]) => getopt(argv, SPECS);

describe('getopt', () => {
  it('splits a bundle of flags, in order', () => {
    expect(bsd(['-dDf', 'eth0'])).toEqual({ options: [{ key: 'd' }, { key: 'D' }, { key: 'f' }], operands: ['eth0'] });
  });

  it('takes a value attached, separate, or at the end of a bundle', () => {
    expect(bsd(['-O/x', 'eth0']).options).toEqual([{ key: 'other-script', value: '/x' }]);
    expect(bsd(['-O', '/x', 'eth0']).options).toEqual([{ key: 'other-script', value: '/x' }]);
    expect(bsd(['-dO/x', 'eth0']).options).toEqual([{ key: 'd' }, { key: 'other-script', value: '/x' }]);
    expect(bsd(['-dO', '/x', 'eth0']).options).toEqual([{ key: 'd' }, { key: 'other-script', value: '/x' }]);
    // What follows the letter is its value, even when it looks like flags.
    expect(bsd(['-Odf', 'eth0']).options).toEqual([{ key: 'other-script', value: 'df' }]);
    expect(bsd(['-O', '-d', 'eth0']).options).toEqual([{ key: 'other-script', value: '-d' }]);
  });

  it('names options by key, long name or letter; digits are letters too', () => {
    expect(bsd(['-1d', 'x']).options).toEqual([{ key: 'once' }, { key: 'd' }]);
    expect(bsd(['--other-script=/y', '--user', 'nobody', '--json', 'x']).options).toEqual([
      { key: 'other-script', value: '/y' },
      { key: 'user', value: 'nobody' },
      { key: 'json' },
    ]);
  });

  it('bsd: the first operand ends the options; gnu: options and operands mix', () => {
    expect(bsd(['-d', 'eth0', '-f'])).toEqual({ options: [{ key: 'd' }], operands: ['eth0', '-f'] });
    expect(gnu(['-d', 'eth0', '-f'])).toEqual({ options: [{ key: 'd' }, { key: 'f' }], operands: ['eth0'] });
  });

  it('-- ends the options and a lone - is an operand', () => {
    expect(gnu(['-d', '--', '-f', 'x'])).toEqual({ options: [{ key: 'd' }], operands: ['-f', 'x'] });
    expect(bsd(['-', '-d'])).toEqual({ options: [], operands: ['-', '-d'] });
  });

  it('gnu accepts a unique prefix of a long name and names the candidates of an ambiguous one', () => {
    expect(gnu(['--other', '/z']).options).toEqual([{ key: 'other-script', value: '/z' }]);
    const specs: OptionSpec[] = [...SPECS, { long: 'other-thing', arg: false }];
    expect(() => getopt(['--other'], specs)).toThrow("option '--other' is ambiguous; possibilities: '--other-script' '--other-thing'");
    expect(() => bsd(['--other', '/z'])).toThrow("unrecognized option `--other'");
  });

  it.each([
    [['-x'], 'illegal option -- x', "invalid option -- 'x'"],
    [['-dO'], 'option requires an argument -- O', "option requires an argument -- 'O'"],
    [['--nope'], "unrecognized option `--nope'", "unrecognized option '--nope'"],
    [['--user'], "option `--user' requires an argument", "option '--user' requires an argument"],
    [['--json=1'], "option `--json' doesn't allow an argument", "option '--json' doesn't allow an argument"],
  ])('%j fails with getopt\'s words', (argv, bsdMessage, gnuMessage) => {
    expect(() => bsd(argv)).toThrow(new GetoptError(bsdMessage));
    expect(() => gnu(argv)).toThrow(new GetoptError(gnuMessage));
  });
});

/** Flag errors as a user sees them: the whole reason on one `linklab:` line, and exit 1. */
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';

describe('linklab flag errors', () => {
  it('say what was wrong with a flag value, not just "Parsing --seed"', () => {
    const r = cli('sim:run', ['--seed', 'abc']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('linklab: --seed: expected an integer but received: abc\n');
    const neg = cli('sim:run', ['--seed', '-3']);
    expect(neg.stderr).toBe('linklab: --seed: expected an integer greater than or equal to 0 but received: -3\n');
  });

  it('name a missing required flag instead of "The following error occurred:"', () => {
    const r = cli('sim:explore', ['sim/topologies/ra-lossy.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('linklab: --seeds: required (how many seeds to run)\n');
  });

  it('name an unknown flag and an extra argument', () => {
    expect(cli('sim:run', ['--bogus']).stderr).toBe('linklab: Nonexistent flag: --bogus\n');
    expect(cli('sim:run', ['a.yaml', 'b.yaml']).stderr).toBe('linklab: Unexpected argument: b.yaml\n');
  });
});

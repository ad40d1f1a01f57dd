/**
 * One table per daemon (core/<daemon>/options.ts): the command line, the simulator topology's
 * schema and its config check all read it, so they take the same options and say the same thing.
 */
import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../../../src/core/rtsold/options.js';
import { optionsSchema } from '../../../src/core/option-table.js';
import { getoptSpecs, shortOptionList } from '../../../src/cli/option-table.js';
import { parseRtsoldArgs } from '../../../src/cli/rtsold/options.js';
import { rtsoldCore } from '../../../src/adapters/sim/nodes/rtsold-core.js';
import { newAjv } from '../../../src/adapters/sim/topology/validate.js';

describe('rtsold option table', () => {
  it('gives rtsol only the flags rtsol.8 lists', () => {
    const shorts = (p: string) => getoptSpecs(OPTIONS, p).flatMap((s) => (s.short ? [s.short] : []));
    expect(shorts('rtsold').sort()).toEqual(['1', 'D', 'F', 'O', 'R', 'a', 'd', 'f', 'm', 'p', 'u']);
    expect(shorts('rtsol').sort()).toEqual(['D', 'F', 'O', 'R', 'a', 'd', 'u']);
    expect(shortOptionList(OPTIONS, 'rtsol', 12).map((l) => l.trim().slice(0, 2))).toEqual(['-a', '-d', '-F', '-O', '-R', '-u']);
  });

  it('the command line and the topology check refuse a relative script in the same words', () => {
    let cliMessage = '';
    try {
      parseRtsoldArgs('rtsold', ['-O', 'dhcp6c', 'eth0']);
    } catch (e) {
      cliMessage = (e as Error).message;
    }
    expect(cliMessage).toBe('configuration script (dhcp6c) must be an absolute path');
    expect(() => rtsoldCore.validate!({ interfaces: ['eth0'], otherScript: 'dhcp6c' })).toThrow(`otherScript: ${cliMessage}`);
  });

  it('its topology schema takes the simulator settings and no command-line-only ones', () => {
    const validate = newAjv().compile(optionsSchema(OPTIONS));
    expect(validate({ interfaces: ['eth0'], once: true, backoff: 'rfc7559', resolvScript: '/sbin/r' }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ interfaces: ['eth0'], backoff: 'fast' })).toBe(false);
    expect(validate({ interfaces: ['eth0'], pidfile: '/run/x' })).toBe(false);
    expect(validate({ interfaces: ['eth0'], once: 1 })).toBe(false);
  });
});

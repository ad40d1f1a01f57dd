import { describe, expect, it } from 'vitest';
import { setup, deliverRa, raBytes, ROUTER } from './harness.js';
import { SECOND } from '../../../src/core/time.js';
import { Ipv6Address } from '../../../src/core/wire/ipv6-address.js';

const dnsRa = {
  options: [
    { kind: 'rdnss' as const, lifetime: 600, servers: ['2001:db8::53', 'fe80::53'] },
    { kind: 'dnssl' as const, lifetime: 300, domains: ['lab.intra', 'example.org'] },
  ],
};

describe('rtsold RA acceptance', () => {
  const cases: Array<[string, Parameters<typeof deliverRa>[2], string, string]> = [
    ['hop limit', { hopLimit: 64 }, 'hop-limit', 'invalid RA with hop limit(64) from fe80::1 on eth0'],
    ['source', { src: Ipv6Address.parse('2001:db8::1') }, 'source-not-link-local', 'invalid RA with non link-local source from 2001:db8::1 on eth0'],
    ['interface', { ifindex: 9 }, 'unexpected-interface', 'received RA from fe80::1 on an unexpected IF(#9)'],
    ['length', { message: raBytes().subarray(0, 12) }, 'too-short', 'packet size(12) is too short'],
  ];
  for (const [what, over, reason, msg] of cases) {
    it(`drops an RA with a bad ${what}, counts it and keeps probing`, () => {
      const h = setup();
      h.rtsold.start();
      h.clock.runUntil(2 * SECOND);
      deliverRa(h, { other: true, ...dnsRa }, over);
      expect(h.rtsold.stats.raDropped[reason as keyof typeof h.rtsold.stats.raDropped]).toBe(1);
      expect(h.log.messages('ra.dropped')).toEqual([msg]);
      expect(h.rtsold.interfaceState('eth0')).toMatchObject({ status: 'PROBE', racnt: 0, otherconfig: false });
      expect(h.scripts.runs).toEqual([]);
      h.clock.runUntil(20 * SECOND);
      expect(h.icmp.sent).toHaveLength(3);
    });
  }

  it('drops an RA with a nonzero code', () => {
    const h = setup();
    h.rtsold.start();
    const bytes = raBytes();
    bytes[1] = 1;
    deliverRa(h, {}, { message: bytes });
    expect(h.log.messages('ra.dropped')).toEqual(['invalid icmp code(1) from fe80::1 on eth0']);
  });

  it('checks in rtsol_input\'s order: the length first, so a short RA with a bad code counts as too short', () => {
    const h = setup();
    h.rtsold.start();
    const bytes = raBytes().slice(0, 10);
    bytes[1] = 7;
    deliverRa(h, {}, { message: bytes });
    const wrongType = raBytes();
    wrongType[0] = 133;
    wrongType[1] = 7;
    deliverRa(h, {}, { message: wrongType });
    expect(h.log.messages('ra.dropped')).toEqual(['packet size(10) is too short', 'invalid icmp type(133) from fe80::1 on eth0']);
    expect(h.rtsold.stats.raDropped).toMatchObject({ 'too-short': 1, 'not-ra': 1, code: 0 });
  });
});

describe('rtsold and sd-ndisc\'s option limits', () => {
  it('takes the first 128 options of an RA; a later RDNSS is left out and counted, as is a repeated link-layer address', () => {
    const h = setup();
    h.rtsold.start();
    const filler = Array.from({ length: 125 }, () => ({ kind: 'unknown' as const, type: 200, data: '000000000000' }));
    const lla = { kind: 'source-lla' as const, address: '02:00:00:00:00:01' };
    deliverRa(h, {
      options: [lla, lla, { kind: 'rdnss', lifetime: 600, servers: ['2001:db8::53'] }, ...filler, { kind: 'rdnss', lifetime: 600, servers: ['2001:db8::54'] }],
    });
    expect(h.rtsold.stats.raAccepted).toBe(1);
    expect(h.rtsold.stats.optionsIgnored).toMatchObject({ 'too-many-options': 1, 'duplicate-option': 1 });
    expect(h.rtsold.resolvconfText('eth0')).toBe('nameserver 2001:db8::53\n');
  });
});

describe('rtsold O flag', () => {
  it('runs -O IFNAME once when the flag turns on, and again only after a new probe cycle', () => {
    const h = setup({ otherScript: '/etc/rtsold/other', mobility: true });
    h.rtsold.start();
    h.clock.runUntil(2 * SECOND);
    deliverRa(h, { other: true });
    deliverRa(h, { other: true });
    expect(h.scripts.runs.map((r) => [r.path, r.args])).toEqual([['/etc/rtsold/other', ['eth0']]]);
    h.ifs.update('eth0', { running: false });
    h.clock.runUntil(10 * SECOND);
    deliverRa(h, { other: true });
    expect(h.scripts.runs.filter((r) => r.path === '/etc/rtsold/other')).toHaveLength(2);
  });

  it('does not run -O for an RA without the O flag', () => {
    const h = setup({ otherScript: '/etc/rtsold/other' });
    h.rtsold.start();
    deliverRa(h, { managed: true });
    expect(h.scripts.runs.filter((r) => r.path === '/etc/rtsold/other')).toEqual([]);
  });
});

describe('rtsold RDNSS and DNSSL', () => {
  it('hands the live servers and domains to the -R script with -a IFNAME:slaac', () => {
    const h = setup({ resolvScript: '/sbin/resolvconf' });
    h.rtsold.start();
    deliverRa(h, dnsRa);
    expect(h.scripts.runs).toEqual([
      {
        path: '/sbin/resolvconf',
        args: ['-a', 'eth0:slaac'],
        stdin: 'nameserver 2001:db8::53\nnameserver fe80::53%eth0\nsearch lab.intra example.org \n',
        at: 0,
      },
    ]);
  });

  it('drops expired entries, updates the script, and calls -d once nothing is left', () => {
    const h = setup();
    h.rtsold.start();
    deliverRa(h, dnsRa);
    h.clock.runUntil(300 * SECOND);
    expect(h.scripts.runs[1]).toMatchObject({ args: ['-a', 'eth0:slaac'], stdin: 'nameserver 2001:db8::53\nnameserver fe80::53%eth0\n', at: 300 * SECOND });
    h.clock.runUntil(600 * SECOND);
    expect(h.scripts.runs[2]).toMatchObject({ args: ['-d', 'eth0:slaac'], at: 600 * SECOND });
    expect(h.scripts.runs[2].stdin).toBeUndefined();
    h.clock.runUntil(2000 * SECOND);
    expect(h.scripts.runs).toHaveLength(3);
    expect(h.log.messages('dns.expired')).toEqual(['expired dnssl entry: lab.intra', 'expired dnssl entry: example.org', 'expired rdnss entry: 2001:db8::53', 'expired rdnss entry: fe80::53%eth0']);
  });

  it('refreshes on a repeated RA and withdraws with lifetime 0', () => {
    const h = setup();
    h.rtsold.start();
    deliverRa(h, dnsRa);
    h.clock.runUntil(200 * SECOND);
    deliverRa(h, dnsRa);
    h.clock.runUntil(450 * SECOND);
    expect(h.rtsold.resolvconfText('eth0')).toContain('search lab.intra example.org ');
    deliverRa(h, { options: [{ kind: 'rdnss', lifetime: 0, servers: ['2001:db8::53'] }] });
    expect(h.scripts.runs.at(-1)?.stdin).toBe('nameserver fe80::53%eth0\nsearch lab.intra example.org \n');
  });

  it('keeps at most six search domains and a 256-byte line', () => {
    const h = setup();
    h.rtsold.start();
    const domains = ['a.example', 'b.example', 'c.example', 'd.example', 'e.example', 'f.example', 'g.example'];
    deliverRa(h, { options: [{ kind: 'dnssl', lifetime: 100, domains }] });
    expect(h.scripts.runs[0].stdin).toBe('search a.example b.example c.example d.example e.example f.example \n');
    expect(h.log.messages('dns.skipped')).toEqual(['dnssl entry exceeding maximum count (7>6): g.example']);
    const long = setup();
    long.rtsold.start();
    const big = Array.from({ length: 4 }, (_, i) => `${String.fromCharCode(97 + i).repeat(60)}.${'x'.repeat(20)}`);
    deliverRa(long, { options: [{ kind: 'dnssl', lifetime: 100, domains: big }] });
    const line = long.scripts.runs[0].stdin!;
    expect(line.length).toBeLessThanOrEqual(256);
    expect(line.split(' ').length - 2).toBe(3);
  });

  it('with -u, calls the script once per RA source as IFNAME:slaac:[source]', () => {
    const h = setup({ perSource: true });
    h.rtsold.start();
    deliverRa(h, { options: [{ kind: 'rdnss', lifetime: 600, servers: ['2001:db8::1'] }] });
    deliverRa(h, { options: [{ kind: 'rdnss', lifetime: 600, servers: ['2001:db8::2'] }] }, { src: Ipv6Address.parse('fe80::2') });
    expect(h.scripts.runs.map((r) => [r.args, r.stdin])).toEqual([
      [['-a', 'eth0:slaac:[fe80::1]'], 'nameserver 2001:db8::1\n'],
      [['-a', 'eth0:slaac:[fe80::1]'], 'nameserver 2001:db8::1\n'],
      [['-a', 'eth0:slaac:[fe80::2]'], 'nameserver 2001:db8::2\n'],
    ]);
  });

  it('ignores a too-short RDNSS or DNSSL and stops at a zero-length option, keeping the RA', () => {
    const h = setup();
    h.rtsold.start();
    h.clock.runUntil(2 * SECOND);
    deliverRa(h, {
      options: [
        { kind: 'malformed', bytes: '19020000000002580000000000000000' }, // RDNSS of even length 2 (16 bytes)
        { kind: 'rdnss', lifetime: 600, servers: ['2001:db8::53'] },
        { kind: 'malformed', bytes: '1f010000000002' + '58' }, // DNSSL of length 1
        { kind: 'malformed', bytes: '1900' }, // length 0 ends the option area
      ],
    });
    expect(h.log.messages('ra.option')).toEqual([
      'too short RDNSS option in RA from fe80::1 was ignored.',
      'too short DNSSL option in RA from fe80::1 was ignored.',
      'invalid option length 0.',
    ]);
    expect(h.scripts.runs[0].stdin).toBe('nameserver 2001:db8::53\n');
    expect(h.rtsold.interfaceState('eth0')).toMatchObject({ status: 'IDLE', racnt: 1 });
  });
});

describe('rtsold state dump', () => {
  it('shows each interface, its state and timers, and per RA source its options with expiry', () => {
    const h = setup();
    h.rtsold.start();
    h.clock.runUntil(2 * SECOND);
    deliverRa(h, { other: true, ...dnsRa });
    h.clock.runUntil(62 * SECOND);
    expect(h.rtsold.dump()).toBe(
      [
        'Interface eth0',
        '  probe interval: infinity',
        '  no probe timer',
        '  interface status: active',
        '  other config: on',
        '  rtsold status: IDLE',
        '  carrier detection: available',
        '  probes: 0, dadcount = 0',
        '  no timer',
        '  number of valid RAs: 1',
        `   RA from ${ROUTER}`,
        '    option: RDNSS: 2001:db8::53 (expire: 9m0s)',
        '    option: RDNSS: fe80::53%eth0 (expire: 9m0s)',
        '    option: DNSSL: lab.intra (expire: 4m0s)',
        '    option: DNSSL: example.org (expire: 4m0s)',
        '',
        '',
      ].join('\n'),
    );
  });

  it('shows the probe timer while probing', () => {
    const h = setup();
    h.rtsold.start();
    h.clock.runUntil(1 * SECOND);
    expect(h.rtsold.dump()).toContain('  rtsold status: PROBE');
    expect(h.rtsold.dump()).toMatch(/ {2}timer: interval=4:0, expire=[34]s/);
  });
});

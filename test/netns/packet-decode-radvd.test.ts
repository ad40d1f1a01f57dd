/**
 * `linklab packet decode` on a Router Advertisement that a real radvd sent: a router namespace
 * runs radvd (prefix 2001:db8:dead:beef::/64, RDNSS, DNSSL "lab.intra", O flag), a host
 * namespace captures the RA with tcpdump, and the decoder must show every field as radvd was
 * configured and as tshark reads it. Uses the built CLI (npm run build).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, cleanupAll, tsharkFields } from './harness.js';

const runs = tierAvailable('test/netns/packet-decode-radvd.test.ts', { root: true, commands: ['ip', 'radvd', 'tcpdump', 'tshark'] });
const CLI = join(import.meta.dirname, '..', '..', 'bin', 'run.js');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!runs)('linklab packet decode on radvd\'s RA', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llp-'));
  afterAll(() => {
    cleanupAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows every field of the captured RA as radvd was told to send it, and as tshark reads it', async () => {
    const host = Netns.create('llp');
    const router = Netns.create('llp');
    host.veth('hv0', 'rv0', router);
    await host.operUp('hv0');
    await router.operUp('rv0');
    for (let i = 0; i < 100 && (!router.ip('-6', 'addr', 'show', 'dev', 'rv0').includes('fe80::') || router.ip('-6', 'addr', 'show', 'dev', 'rv0').includes('tentative')); i++) await sleep(50);
    router.sysctl('net.ipv6.conf.all.forwarding', 1);
    const conf = join(dir, 'radvd.conf');
    writeFileSync(
      conf,
      [
        'interface rv0 {',
        '  AdvSendAdvert on;',
        '  MinRtrAdvInterval 3;',
        '  MaxRtrAdvInterval 4;',
        '  AdvDefaultLifetime 1800;',
        '  AdvCurHopLimit 64;',
        '  AdvOtherConfigFlag on;',
        '  prefix 2001:db8:dead:beef::/64 { AdvOnLink on; AdvAutonomous on; AdvValidLifetime 86400; AdvPreferredLifetime 14400; };',
        '  RDNSS 2001:db8::53 { AdvRDNSSLifetime 600; };',
        '  DNSSL lab.intra { AdvDNSSLLifetime 600; };',
        '};',
        '',
      ].join('\n'),
    );
    const capture = await host.capture('hv0', ['icmp6 and ip6[40] == 134']);
    const radvd = router.spawn(['radvd', '-n', '-C', conf, '-p', join(dir, 'radvd.pid'), '-m', 'stderr']);
    await radvd.waitFor(/version .* started/, 10_000);
    const seen = await (async () => {
      for (let i = 0; i < 200; i++) {
        if (host.ip('-6', 'addr', 'show', 'dev', 'hv0').includes('2001:db8:dead:beef:')) return true;
        await sleep(50);
      }
      return false;
    })();
    expect(seen, `no RA arrived:\n${radvd.stderr}`).toBe(true);
    // The RA that configured the address may have passed before the capture was live: wait until
    // the capture file holds one (radvd repeats every 3 to 4 s).
    for (let i = 0; i < 200 && statSync(capture.file).size <= 24; i++) await sleep(50);
    const pcapBytes = await capture.stop();
    radvd.kill();
    const file = join(dir, 'ra.pcap');
    writeFileSync(file, pcapBytes);

    const routerMac = router.mac('rv0');
    const routerLl = /inet6 (fe80::[0-9a-f:]+)\/64/.exec(router.ip('-6', 'addr', 'show', 'dev', 'rv0'))![1];
    const out = execFileSync('node', [CLI, 'packet', 'decode', '--read', file, '--json'], { encoding: 'utf8' });
    const packets = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(packets.length).toBeGreaterThan(0);
    const p = packets[0];
    expect(p.ethernet).toMatchObject({ src: routerMac, etherType: 0x86dd });
    expect(p.ipv6).toMatchObject({ src: routerLl, hopLimit: 255, nextHeader: 58 });
    expect(p.icmpv6ChecksumOk).toBe(true);
    expect(p.icmpv6).toMatchObject({
      kind: 'router-advert',
      code: 0,
      curHopLimit: 64,
      managed: false,
      other: true,
      homeAgent: false,
      preference: 'medium',
      routerLifetime: 1800,
    });
    const byKind = Object.fromEntries(p.icmpv6.options.map((o: { kind: string }) => [o.kind, o]));
    expect(p.icmpv6.options.every((o: { kind: string }) => o.kind !== 'malformed')).toBe(true);
    expect(byKind['source-lla']).toEqual({ kind: 'source-lla', address: routerMac });
    expect(byKind['prefix-info']).toMatchObject({
      prefix: '2001:db8:dead:beef::',
      prefixLength: 64,
      onLink: true,
      autonomous: true,
      validLifetime: 86400,
      preferredLifetime: 14400,
    });
    expect(byKind.rdnss).toMatchObject({ lifetime: 600, servers: ['2001:db8::53'] });
    expect(byKind.dnssl).toMatchObject({ lifetime: 600, domains: ['lab.intra'] });

    // The same fields as tshark reads them from the same file.
    const [t] = tsharkFields(file, 'icmpv6.type == 134', [
      'icmpv6.checksum',
      'icmpv6.nd.ra.cur_hop_limit',
      'icmpv6.nd.ra.router_lifetime',
      'icmpv6.opt.prefix',
      'icmpv6.opt.prefix.length',
      'icmpv6.opt.rdnss',
      'icmpv6.opt.dnssl',
      'icmpv6.opt.linkaddr',
    ]);
    expect(t).toEqual([
      '0x' + p.icmpv6.checksum.toString(16).padStart(4, '0'),
      '64',
      '1800',
      '2001:db8:dead:beef::',
      '64',
      '2001:db8::53',
      'lab.intra',
      routerMac,
    ]);

    // And the human summary names them.
    const text = execFileSync('node', [CLI, 'packet', 'decode', '--read', file], { encoding: 'utf8' });
    expect(text).toContain('icmpv6 router advertisement code 0');
    expect(text).toContain('prefix-info 2001:db8:dead:beef::/64 flags LA- valid 86400s preferred 14400s');
    expect(text).toContain('rdnss lifetime 600s 2001:db8::53');
    expect(text).toContain('dnssl lifetime 600s lab.intra');
    expect(text).toContain(`source-lla ${routerMac}`);
  }, 60_000);
});

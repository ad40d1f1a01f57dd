/**
 * `linklab rtsol` and `linklab rtsold` on real links, in namespaces this test makes: a "host"
 * namespace (its kernel sends no RS of its own, so every RS on the wire is linklab's) joined by a
 * veth to a "router" namespace. Against radvd (prefix, RDNSS, DNSSL, O flag): rtsol exits 0 within
 * 10 s and both scripts get exactly the original's arguments, stdin and an empty environment.
 * Without a router: 3 RS on the wire (tcpdump), 4 s apart, and exit 0 after 9 to 10 s. rtsold as
 * a daemon: the pidfile lock, 10,000 malformed RAs (linklab's encoder, sent through an AF_PACKET
 * socket from the router side) each counted by reason or by the kernel's socket drops, the next
 * valid RA still taken, the SIGUSR1 dump, SIGTERM. In the foreground: the RA parser's uid in
 * /proc, --json events, -a and -F. Uses the built CLI (npm run build).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, cleanupAll, rawIcmpv6, sleep, until } from './harness.js';
import { LinuxFramePort } from '../../src/adapters/linux/frame-port.js';
import * as icmpv6 from '../../src/core/wire/icmpv6.js';
import * as ethernet from '../../src/core/wire/ethernet.js';
import * as ipv6 from '../../src/core/wire/ipv6.js';
import { Ipv6Address } from '../../src/core/wire/ipv6-address.js';
import { MacAddress } from '../../src/core/wire/mac-address.js';
import { readCapture } from '../../src/core/wire/pcap.js';
import { ethernetFrame, icmpv6PacketFromBytes, ipv6MulticastMac } from '../../src/adapters/sim/nodes/kernel/frames.js';
import type { RouterAdvertInput } from '../../src/core/wire/ndisc/router-advert.js';

const runs = tierAvailable('test/netns/rtsold.test.ts', { root: true, commands: ['ip', 'radvd', 'tcpdump'] });
const REPO = join(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'bin', 'run.js');
const ETHERTYPE_IPV6 = 0x86dd;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Pids in `ns` whose command line contains `text`, with their real uid. */
function processes(ns: Netns, text: string): Array<{ pid: number; uid: number }> {
  const out: Array<{ pid: number; uid: number }> = [];
  for (const pid of ns.pids({ cmdline: text })) {
    try {
      const m = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m && new Set(m.slice(1)).size === 1) out.push({ pid, uid: Number(m[1]) });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** A script that records its arguments, its standard input and the environment it was given. */
function recorder(dir: string, name: string): string {
  const path = join(dir, name);
  const out = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$@" >> ${out}.args\n/bin/cat >> ${out}.stdin\n/bin/cat /proc/$$/environ >> ${out}.env\necho x >> ${out}.runs\n`);
  chmodSync(path, 0o755);
  return path;
}

/** The "Statistics" counters of a dump, by name. */
function counters(dump: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of dump.matchAll(/^ {2}(.+): (\d+)$/gm)) out[m[1]] = Number(m[2]);
  return out;
}

class Link {
  host!: Netns;
  router!: Netns;
  hostMac = '';

  async make(): Promise<void> {
    this.host = Netns.create('llr');
    this.router = Netns.create('llr');
    // New interfaces copy `default`: the host's kernel sends no RS, the router's forwards.
    this.host.sysctl('net.ipv6.conf.default.router_solicitations', 0);
    this.router.sysctl('net.ipv6.conf.all.forwarding', 1);
    this.host.veth('hv0', 'rv0', this.router);
    await this.host.operUp('hv0');
    await this.router.operUp('rv0');
    this.hostMac = this.host.mac('hv0');
    // rtsold (and radvd) wait while a link-local address is tentative; start once both are usable.
    for (const [ns, ifname] of [[this.host, 'hv0'], [this.router, 'rv0']] as const) {
      const ready = await until(() => {
        const a = ns.ip('-6', 'addr', 'show', 'dev', ifname);
        return a.includes('fe80::') && !a.includes('tentative');
      }, 10_000);
      if (!ready) throw new Error(`${ifname}'s link-local address is still tentative:\n${ns.ip('-6', 'addr', 'show', 'dev', ifname)}`);
    }
  }
}

/** An RA from the router side as the wire carries it (the ICMPv6 checksum always right). */
function raFrame(from: { mac: string; src: string; hopLimit?: number }, message: Uint8Array): Uint8Array {
  const dst = Ipv6Address.ALL_NODES;
  const packet = icmpv6PacketFromBytes(Ipv6Address.parse(from.src), dst, from.hopLimit ?? 255, message);
  return ethernetFrame(ipv6MulticastMac(dst), MacAddress.parse(from.mac), ETHERTYPE_IPV6, packet);
}

function ra(input: Partial<RouterAdvertInput> = {}): Uint8Array {
  return icmpv6.encode({ kind: 'router-advert', curHopLimit: 64, routerLifetime: 0, ...input } as RouterAdvertInput);
}

describe.skipIf(!runs)('linklab rtsol / rtsold on real links', () => {
  let dir: string;

  beforeAll(() => {
    const built = join(REPO, 'dist', 'cli', 'rtsold', 'main.js');
    if (!existsSync(built) || statSync(built).mtimeMs < statSync(join(REPO, 'src', 'cli', 'rtsold', 'main.ts')).mtimeMs) {
      throw new Error('the CLI is not built or older than src/cli/rtsold: run `npm run build` first');
    }
    dir = mkdtempSync(join(tmpdir(), 'llr-'));
    chmodSync(dir, 0o755);
  });

  afterEach(cleanupAll);
  afterAll(() => {
    cleanupAll();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('rtsol -O -R against radvd: exit 0 within 10 s; each script gets the original\'s arguments and stdin, empty environment', async () => {
    const link = new Link();
    await link.make();
    const conf = join(dir, 'radvd.conf');
    writeFileSync(
      conf,
      [
        'interface rv0 {',
        '  AdvSendAdvert on;',
        '  MinRtrAdvInterval 200;',
        '  MaxRtrAdvInterval 600;',
        '  AdvOtherConfigFlag on;',
        '  prefix 2001:db8:1::/64 { };',
        '  RDNSS 2001:db8::53 { AdvRDNSSLifetime 900; };',
        '  DNSSL lab.example { AdvDNSSLLifetime 900; };',
        '};',
        '',
      ].join('\n'),
    );
    const radvd = link.router.spawn(['radvd', '-n', '-C', conf, '-p', join(dir, 'radvd.pid'), '-m', 'stderr']);
    await radvd.waitFor(/version .* started/, 10_000);
    // radvd's first unsolicited RA goes out as it starts (the host's kernel configures an address
    // from it); the next is 16 s later, so what rtsol sees is the answer to its RS.
    const configured = await until(() => link.host.ip('-6', 'addr', 'show', 'dev', 'hv0').includes('2001:db8:1:'), 10_000);
    expect(configured, `radvd's first RA did not arrive:\n${radvd.stderr}`).toBe(true);
    const other = recorder(dir, 'other');
    const resolv = recorder(dir, 'resolv');
    const capture = await link.host.capture('hv0', ['--immediate-mode', 'icmp6']);
    const started = Date.now();
    const rtsol = link.host.spawn(['node', CLI, 'rtsol', '-D', '-O', other, '-R', resolv, '--dump-file', join(dir, 'rtsol.dump'), 'hv0']);
    const r = await rtsol.exited;
    const took = Date.now() - started;
    const pcap = readCapture(await capture.stop());
    expect(r.code, r.stderr).toBe(0);
    expect(took).toBeLessThan(10_000);
    expect(r.stderr).toContain('OtherConfigFlag on hv0 is turned on');

    expect(read(`${other}.args`)).toBe('hv0\n');
    expect(read(`${other}.stdin`)).toBe('');
    expect(read(`${other}.runs`)).toBe('x\n');
    expect(read(`${resolv}.args`)).toBe('-a\nhv0:slaac\n');
    expect(read(`${resolv}.stdin`)).toBe('nameserver 2001:db8::53\nsearch lab.example \n');
    expect(read(`${resolv}.runs`)).toBe('x\n');
    // The scripts' environment as exec'd (before the shell adds anything): empty, as the original.
    expect(read(`${other}.env`)).toBe('');
    expect(read(`${resolv}.env`)).toBe('');

    // On the wire: linklab's RS (hop limit 255, SLLA), then radvd's answer.
    const kinds = pcap.packets.map((p) => {
      const ip = ipv6.decode(ethernet.decode(p.data).payload);
      return { hopLimit: ip.hopLimit, m: icmpv6.decode(ip.payload) };
    });
    const rsIndex = kinds.findIndex((k) => k.m.kind === 'router-solicit');
    expect(rsIndex, JSON.stringify(kinds.map((k) => k.m.kind))).toBeGreaterThanOrEqual(0);
    expect(kinds[rsIndex].hopLimit).toBe(255);
    expect(kinds.slice(rsIndex + 1).some((k) => k.m.kind === 'router-advert')).toBe(true);
    radvd.kill('SIGTERM');
    await radvd.exited;
  }, 60_000);

  it('rtsol without a router: 3 RS on the wire, 4 s apart, then exit 0 after 9 to 10 s', async () => {
    const link = new Link();
    await link.make();
    const capture = await link.host.capture('hv0', ['--immediate-mode', 'icmp6']);
    const started = Date.now();
    const rtsol = link.host.spawn(['node', CLI, 'rtsol', '-d', '--dump-file', join(dir, 'rtsol.dump'), 'hv0']);
    const r = await rtsol.exited;
    const exitedAt = Date.now();
    const pcap = readCapture(await capture.stop());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('No answer after sending 3 RSs');

    const rs = pcap.packets
      .map((p) => ({ at: p.timestamp / 1000, frame: ethernet.decode(p.data) }))
      .map((p) => ({ ...p, ip: ipv6.decode(p.frame.payload) }))
      .map((p) => ({ ...p, m: icmpv6.decode(p.ip.payload) }))
      .filter((p) => p.m.kind === 'router-solicit');
    expect(rs).toHaveLength(3);
    for (const p of rs) {
      expect(p.ip.hopLimit).toBe(255);
      expect(String(p.ip.dst)).toBe('ff02::2');
      expect(String(p.frame.src)).toBe(link.hostMac);
      expect(p.m.kind === 'router-solicit' && p.m.options.map((o) => [o.kind, String((o as { address?: unknown }).address)])).toEqual([['source-lla', link.hostMac]]);
    }
    expect(rs[1].at - rs[0].at).toBeGreaterThan(3_900);
    expect(rs[1].at - rs[0].at).toBeLessThan(4_200);
    expect(rs[2].at - rs[1].at).toBeGreaterThan(3_900);
    expect(rs[2].at - rs[1].at).toBeLessThan(4_200);
    // The first RS within the initial delay (up to 1 s, after start-up); the exit 1 s after the last.
    expect(rs[0].at - started).toBeLessThan(1_000 + 3_000);
    expect(exitedAt - rs[2].at).toBeGreaterThan(900);
    expect(exitedAt - rs[2].at).toBeLessThan(1_800);
    expect(exitedAt - started).toBeGreaterThanOrEqual(9_000);
  }, 60_000);

  it('rtsold -m: when the carrier returns, probes the default router (an empty packet, next header 59), then solicits', async () => {
    const link = new Link();
    await link.make();
    const routerLl = /inet6 (fe80::[0-9a-f:]+)\//.exec(link.router.ip('-6', 'addr', 'show', 'dev', 'rv0'))![1];
    link.host.ip('-6', 'route', 'add', 'default', 'via', routerLl, 'dev', 'hv0');
    const port = link.router.enter(() => LinuxFramePort.open('rv0'));
    const answer = (): void => port.send(raFrame({ mac: link.router.mac('rv0'), src: routerLl }, ra()));
    const d = link.host.spawn(['node', CLI, 'rtsold', '-f', '-D', '-m', '--dump-file', join(dir, 'mobility.dump'), 'hv0']);
    try {
      await d.waitFor(/send RS on hv0/, 15_000);
      answer(); // the first cycle ends: idle, the link checked every 3 s
      await d.waitFor(/received RA from .* on hv0, state is PROBE/, 5_000);
      // The peer drops the carrier (the host keeps its route) and brings it back.
      link.router.ip('link', 'set', 'rv0', 'down');
      await d.waitFor(/hv0 status is changed from 1 to 0/, 5_000);
      link.router.ip('link', 'set', 'rv0', 'up');
      await link.router.operUp('rv0');
      const capture = await link.router.capture('rv0', ['--immediate-mode', 'ip6 and ip6[6] == 59']);
      answer(); // ends the cycle the carrier loss started, so the idle check sees it back
      await d.waitFor(/hv0 status is changed from 0 to 1/, 10_000);
      await d.waitFor(new RegExp(`probe a router ${routerLl} on hv0`), 3_000);
      await d.waitFor(/send RS on hv0, whose state is PROBE/, 3_000);
      await sleep(300);
      const probes = readCapture(await capture.stop()).packets.map((p) => ipv6.decode(ethernet.decode(p.data).payload));
      expect(probes.map((p) => [String(p.dst), p.nextHeader, p.payload.length, p.hopLimit])).toEqual([[routerLl, 59, 0, 255]]);
      expect(String(probes[0].src)).toMatch(/^fe80::/);
    } finally {
      port.close();
      d.kill('SIGTERM');
      await d.exited;
    }
  }, 60_000);

  it('rtsold as a daemon: pidfile lock, 10,000 malformed RAs counted, the next valid RA taken, SIGUSR1 dump, SIGTERM', async () => {
    const link = new Link();
    await link.make();
    const pidfile = join(dir, 'rtsold.pid');
    const dumpFile = join(dir, 'rtsold.dump');
    const resolv = recorder(dir, 'flood-resolv');
    const start = link.host.spawn(['node', CLI, 'rtsold', '-p', pidfile, '--dump-file', dumpFile, '-R', resolv, 'hv0']);
    const s = await start.exited;
    expect(s.code, s.stderr).toBe(0); // the command returns once the daemon is up
    const pid = Number(read(pidfile)?.trim());
    expect(pid).toBeGreaterThan(1);
    expect(processes(link.host, 'run.js rtsold').map((p) => p.pid)).toContain(pid);
    const [parser] = processes(link.host, 'child-main');
    expect(parser.uid).not.toBe(0);
    expect(processes(link.host, 'run.js rtsold').find((p) => p.pid === pid)?.uid).toBe(0);

    // A second instance with the same pidfile: the original's message, exit 1, the file intact.
    const second = link.host.spawn(['node', CLI, 'rtsold', '-p', pidfile, '--dump-file', join(dir, 'other.dump'), 'hv0']);
    const r2 = await second.exited;
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`rtsold already running, pid: ${pid}`);
    expect(read(pidfile)?.trim()).toBe(String(pid));

    const dump = async (): Promise<string> => {
      writeFileSync(dumpFile, '');
      process.kill(pid, 'SIGUSR1');
      return (await until(() => read(dumpFile)?.includes('scripts run:') && read(dumpFile), 5_000)) || '';
    };
    // Three unanswered RSs (up to 1 + 8 + 1 s), then idle.
    await sleep(10_500);
    const before = await dump();
    expect(before).toContain('Interface hv0\n');
    expect(before).toContain('  rtsold status: IDLE\n');
    expect(counters(before)['RS sent']).toBe(3);

    // 10,000 malformed RAs, six kinds, each caught by one of rtsold's checks.
    const routerMac = link.router.mac('rv0');
    const ll = 'fe80::5054:ff:fe00:99';
    const base = ra({ options: [{ kind: 'rdnss', lifetime: 600, servers: ['2001:db8::66'] }] });
    const withCode = Uint8Array.from(base);
    withCode[1] = 7;
    const shortRdnss = ra({ options: [{ kind: 'unknown', type: 25, data: new Uint8Array(6) }] }); // RDNSS of length 1
    const zeroLength = Uint8Array.from([...ra(), 31, 0, 0, 0, 0, 0, 0, 0]);
    const kinds: Array<{ name: string; frame: Uint8Array }> = [
      { name: 'RA dropped (hop-limit)', frame: raFrame({ mac: routerMac, src: ll, hopLimit: 64 }, base) },
      { name: 'RA dropped (code)', frame: raFrame({ mac: routerMac, src: ll }, withCode) },
      { name: 'RA dropped (source-not-link-local)', frame: raFrame({ mac: routerMac, src: '2001:db8::1' }, base) },
      { name: 'RA dropped (too-short)', frame: raFrame({ mac: routerMac, src: ll }, base.subarray(0, 8)) },
      { name: 'option ignored (rdnss-too-short)', frame: raFrame({ mac: routerMac, src: ll }, shortRdnss) },
      { name: 'option ignored (length-zero)', frame: raFrame({ mac: routerMac, src: ll }, zeroLength) },
    ];
    const TOTAL = 10_000;
    const sent: Record<string, number> = Object.fromEntries(kinds.map((k) => [k.name, 0]));
    const port = link.router.enter(() => LinuxFramePort.open('rv0'));
    try {
      for (let i = 0; i < TOTAL; i++) {
        const k = kinds[i % kinds.length];
        port.send(k.frame);
        sent[k.name]++;
        // Paced by the daemon's receive queue, so the kernel seldom has to drop any.
        if (i % 100 === 99) await until(() => rawIcmpv6(parser.pid).queued < 32_768, 10_000, 2);
      }
      expect(port.stats.sent).toBe(TOTAL);
    } finally {
      port.close();
    }
    // Every one is accounted for: counted by rtsold under its reason, or dropped by the kernel
    // because the socket's queue was full.
    let after = '';
    for (let tries = 0; tries < 40; tries++) {
      after = await dump();
      const c = counters(after);
      const counted = kinds.reduce((n, k) => n + c[k.name], 0);
      if (counted + rawIcmpv6(parser.pid).drops >= TOTAL) break;
      await sleep(250);
    }
    const c = counters(after);
    const kernelDrops = rawIcmpv6(parser.pid).drops;
    expect(kinds.reduce((n, k) => n + c[k.name], 0) + kernelDrops).toBe(TOTAL);
    for (const k of kinds) {
      expect(c[k.name], k.name).toBeLessThanOrEqual(sent[k.name]);
      expect(c[k.name], k.name).toBeGreaterThanOrEqual(sent[k.name] - kernelDrops);
    }
    expect(kernelDrops).toBeLessThan(TOTAL / 100);
    // Malformed options left no DNS information behind, so no script ran.
    expect(read(`${resolv}.runs`)).toBeUndefined();
    expect(processes(link.host, 'child-main').map((p) => p.pid)).toEqual([parser.pid]);

    // The next valid RA is taken: RDNSS handed to -R, the dump shows it.
    const valid = raFrame({ mac: routerMac, src: 'fe80::99' }, ra({ other: true, options: [{ kind: 'rdnss', lifetime: 900, servers: ['2001:db8::99'] }, { kind: 'dnssl', lifetime: 900, domains: ['flood.example'] }] }));
    const p2 = link.router.enter(() => LinuxFramePort.open('rv0'));
    try {
      p2.send(valid);
    } finally {
      p2.close();
    }
    expect(await until(() => read(`${resolv}.stdin`) === 'nameserver 2001:db8::99\nsearch flood.example \n', 5_000)).toBe(true);
    expect(read(`${resolv}.args`)).toBe('-a\nhv0:slaac\n');
    const last = await dump();
    const validRas = c['option ignored (rdnss-too-short)'] + c['option ignored (length-zero)'] + 1;
    expect(last).toContain(`  number of valid RAs: ${validRas}\n`);
    expect(last).toContain('  other config: on\n');
    expect(last).toMatch(/ {3}RA from fe80::99\n {4}option: RDNSS: 2001:db8::99 \(expire: 1[45]m\d+s\)\n {4}option: DNSSL: flood\.example \(expire: 1[45]m\d+s\)\n/);
    expect(counters(last)['RA accepted']).toBe(validRas);

    // SIGTERM: the daemon and its child end, the pidfile goes.
    process.kill(pid, 'SIGTERM');
    expect(await until(() => !existsSync(pidfile) && processes(link.host, 'rtsold').length === 0 && processes(link.host, 'child-main').length === 0, 10_000)).toBe(true);
  }, 120_000);

  it('rtsold -f -F -a --json: picks the veth, sets its sysctls, parses RAs as nobody, one JSON event per line', async () => {
    const link = new Link();
    await link.make();
    link.host.sysctl('net.ipv6.conf.hv0.accept_ra', 0);
    link.host.sysctl('net.ipv6.conf.hv0.forwarding', 1);
    const dumpFile = join(dir, 'fg.dump');
    const d = link.host.spawn(['node', CLI, 'rtsold', '-fFa', '--json', '--user', 'nobody', '--dump-file', dumpFile]);
    try {
      await d.waitFor(/"event":"rs.sent"/, 15_000);
      const events = d.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { time: string; level: string; event: string; msg: string; fields: Record<string, unknown> });
      for (const e of events) {
        expect(Object.keys(e)).toEqual(['time', 'level', 'event', 'msg', 'fields']);
        expect(Number.isNaN(Date.parse(e.time))).toBe(false);
      }
      // -a: the veth and nothing else (lo is loopback).
      expect(events.filter((e) => e.event === 'autoprobe.found').map((e) => e.fields.ifname)).toEqual(['hv0']);
      expect(events.find((e) => e.event === 'rs.sent')).toMatchObject({ level: 'debug', msg: 'send RS on hv0, whose state is PROBE', fields: { ifname: 'hv0', probe: 1 } });
      // -F, applied by the root parent for the child.
      expect(link.host.readSysctl('net.ipv6.conf.hv0.accept_ra')).toBe('1');
      expect(link.host.readSysctl('net.ipv6.conf.hv0.forwarding')).toBe('0');
      // The process that parses RAs is nobody's; the one holding the sockets is root's.
      const [parser] = processes(link.host, 'child-main');
      const nobody = Number(link.host.exec(['id', '-u', 'nobody']).trim());
      expect(parser.uid).toBe(nobody);
      expect(processes(link.host, 'run.js rtsold')[0].uid).toBe(0);

      process.kill(d.pid, 'SIGUSR1');
      const text = await until(() => read(dumpFile)?.includes('Statistics') && read(dumpFile), 5_000);
      expect(text).toMatch(/^Interface hv0\n {2}probe interval: infinity\n {2}no probe timer\n {2}interface status: active\n {2}other config: off\n {2}rtsold status: PROBE\n/);

      d.kill('SIGTERM');
      const r = await d.exited;
      expect(r.code, r.stderr).toBe(0);
      // -F's settings stay, as the original leaves them.
      expect(link.host.readSysctl('net.ipv6.conf.hv0.accept_ra')).toBe('1');
    } finally {
      d.kill('SIGKILL');
    }
  }, 60_000);
});

/**
 * isatapd end to end on real kernels: a router namespace runs `linklab tunnel isatap` and radvd
 * (UnicastOnly, prefix 2001:db8:5::/64, MTU 1400, hop limit 33), a client namespace resolves
 * "isatap" through its own hosts file and runs `linklab isatapd --link vethC`. Within 5 s it has
 * 2001:db8:5::5efe:c000:202 and pings the router's global address (protocol 41 with the right TTL
 * and DF on the wire); SIGHUP solicits again; the packet-handling half runs as nobody; a second
 * instance with the same pidfile exits 1; SIGTERM removes the TUN device and the pidfile and exits
 * 0. Daemon mode, --mtu, --ttl inherit and --nopmtudisc too. Uses the built CLI (npm run build).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tierAvailable } from '../helpers/tier.js';
import { kernelIsatapSupport } from '../../src/adapters/linux/isatap/kernel-support.js';
import { Netns, cleanupAll, sleep, tsharkFields, until, type NsProcess } from './harness.js';

const runs = tierAvailable('test/netns/isatapd.test.ts', { root: true, commands: ['ip', 'radvd', 'ping', 'tcpdump', 'tshark'] });
const REPO = join(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'bin', 'run.js');
const ROUTER_GLOBAL = '2001:db8:5::5efe:c000:201';
const CLIENT_GLOBAL = '2001:db8:5::5efe:c000:202';

/** Uid of the processes in `ns` whose command line contains `text`. */
function uidsOf(ns: Netns, text: string): number[] {
  const uids: number[] = [];
  for (const pid of ns.pids({ cmdline: text })) {
    try {
      const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) uids.push(Number(m[1]));
    } catch {
      // gone meanwhile
    }
  }
  return uids;
}

describe.skipIf(!runs)('isatapd between network namespaces (userspace data plane, radvd)', () => {
  let router: Netns;
  let client: Netns;
  let dir: string;
  let tunnel: NsProcess;
  let radvd: NsProcess;

  beforeAll(async () => {
    if (!existsSync(join(REPO, 'dist', 'commands', 'isatapd.js'))) throw new Error('the CLI is not built: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'lli-'));
    [router, client] = await Netns.linked('lli', { ifname: 'vethR', cidr: '192.0.2.1/24' }, { ifname: 'vethC', cidr: '192.0.2.2/24' });
    router.sysctl('net.ipv6.conf.all.forwarding', 1);
    client.hosts('127.0.0.1 localhost\n192.0.2.1 isatap\n');

    tunnel = router.spawn(['node', CLI, 'tunnel', 'isatap', 'isatap0', '--local', '192.0.2.1']);
    await tunnel.waitFor(/isatap0 up/, 15_000);
    router.addr('isatap0', `${ROUTER_GLOBAL}/64`);
    const conf = join(dir, 'radvd.conf');
    writeFileSync(conf, 'interface isatap0 {\n  AdvSendAdvert on;\n  UnicastOnly on;\n  AdvLinkMTU 1400;\n  AdvCurHopLimit 33;\n  prefix 2001:db8:5::/64 {\n    AdvOnLink on;\n    AdvAutonomous on;\n  };\n};\n');
    radvd = router.spawn(['radvd', '-n', '-C', conf, '-p', join(dir, 'radvd.pid'), '-m', 'stderr', '-d', '1']);
    await radvd.waitFor(/version .* started|polling/, 10_000);
  }, 60_000);

  afterAll(() => {
    cleanupAll();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('configures 2001:db8:5::5efe:<IPv4> within 5 s and reaches the router; pidfile lock; SIGTERM cleans up', async () => {
    const pidfile = join(dir, 'isatapd.pid');
    const d = client.spawn(['node', CLI, 'isatapd', '--link', 'vethC', '-p', pidfile, '-v']);
    try {
      await d.waitFor(/interface is0 up/, 15_000);
      const started = Date.now();
      const addr = await until(() => client.ip('-6', 'addr', 'show', 'dev', 'is0').includes(`${CLIENT_GLOBAL}/64`), 5_000);
      const took = Date.now() - started;
      expect(addr, `no ${CLIENT_GLOBAL} on is0 within 5 s:\n${client.ip('-6', 'addr', 'show', 'dev', 'is0')}\n${d.stdout}${d.stderr}\n${radvd.stderr}`).toBe(true);
      expect(took).toBeLessThan(5_000);
      // The log line was written before the address was asked for, but may still sit in the pipe.
      await d.waitFor(/Advertisement from fe80::5efe:c000:201/, 2_000);
      expect(client.ip('-6', 'route', 'show', 'default')).toContain('via fe80::5efe:c000:201 dev is0');

      // The tunnel's MTU is the link's minus the IPv4 header; the RA's MTU (1400) and hop limit
      // (33) are the interface's IPv6 MTU and hop limit, as the kernel sets them from an RA.
      expect(client.ip('-o', 'link', 'show', 'is0')).toMatch(/ mtu 1480 /);
      expect(await until(() => client.readSysctl('net.ipv6.conf.is0.hop_limit') === '33', 2_000)).toBe(true);
      expect(client.readSysctl('net.ipv6.conf.is0.mtu')).toBe('1400');

      // Through the tunnel, both ways: the router's kernel answers. On the wire: protocol 41
      // from 192.0.2.2 to 192.0.2.1, TTL 64 (the default --ttl) and DF set (pmtudisc); inside,
      // the hop limit the RA set.
      const cap = await client.capture('vethC', ['--immediate-mode', 'ip', 'proto', '41']);
      const ping = client.exec(['ping', '-6', '-c', '3', '-i', '0.2', '-W', '2', ROUTER_GLOBAL]);
      expect(ping).toMatch(/3 packets transmitted, 3 received/);
      await sleep(300); // let tcpdump write what it read before it is stopped
      await cap.stop();
      const out = tsharkFields(cap.file, 'ip.src == 192.0.2.2 && icmpv6.type == 128', ['ip.dst', 'ip.ttl', 'ip.flags.df', 'ipv6.src', 'ipv6.dst', 'ipv6.hlim']);
      rmSync(cap.file, { force: true });
      expect(out).toHaveLength(3);
      expect(out[0]).toEqual(['192.0.2.1', '64', '1', CLIENT_GLOBAL, ROUTER_GLOBAL, '33']);

      // SIGHUP: re-resolve and solicit again; the tunnel stays.
      d.kill('SIGHUP');
      await d.waitFor(/SIGHUP received\.[\s\S]*Soliciting fe80::5efe:c000:201[\s\S]*Advertisement from fe80::5efe:c000:201/, 5_000);
      expect(d.stderr.match(/interface is0 up/g)).toHaveLength(1);

      // The half that parses packets runs as nobody; the privileged half as root.
      const uids = uidsOf(client, 'child-main');
      expect(uids).toEqual([65534]);

      // The pidfile holds the running instance; a second one exits 1 and leaves it alone.
      const pid = Number(readFileSync(pidfile, 'utf8').trim());
      expect(pid).toBeGreaterThan(1);
      const second = client.spawn(['node', CLI, 'isatapd', '--link', 'vethC', '-p', pidfile, '--json']);
      const r2 = await second.exited;
      expect(r2.code).toBe(1);
      const line = JSON.parse(r2.stderr.trim().split('\n').at(-1)!) as Record<string, unknown>;
      expect(line).toMatchObject({ level: 'error', event: 'pidfile.locked' });
      expect(String(line.msg)).toMatch(/^Cannot lock pid file, terminating: .*another instance is running \(pid \d+\)/);
      expect(readFileSync(pidfile, 'utf8').trim()).toBe(String(pid));

      // SIGTERM to the pid in the pidfile: the tunnel and the pidfile go, exit 0.
      process.kill(pid, 'SIGTERM');
      const r = await d.exited;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('signal 15 received, going down.');
      expect(r.stderr).toContain('interface is0 down');
      expect(client.ip('-o', 'link', 'show')).not.toContain('is0');
      expect(existsSync(pidfile)).toBe(false);
    } finally {
      d.kill('SIGKILL');
    }
  }, 60_000);

  it('-d: returns once the daemon is up (exit 0); --mtu, --ttl inherit and --nopmtudisc reach the wire; SIGTERM stops it', async () => {
    const pidfile = join(dir, 'daemon.pid');
    const start = client.spawn(['node', CLI, 'isatapd', '-d', '--link', 'vethC', '-p', pidfile, '-n', 'isa1', '--mtu', '1400', '--ttl', 'inherit', '--nopmtudisc']);
    const r = await start.exited;
    expect(r.code, r.stderr).toBe(0);
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    try {
      expect(await until(() => client.ip('-o', 'link', 'show').includes('isa1'), 10_000)).toBe(true);
      expect(client.ip('-o', 'link', 'show', 'isa1')).toMatch(/ mtu 1400 /);
      expect(await until(() => client.ip('-6', 'addr', 'show', 'dev', 'isa1').includes(`${CLIENT_GLOBAL}/64`), 5_000)).toBe(true);
      // ttl inherit: the outer TTL is the inner hop limit (33, from the RA); nopmtudisc: DF clear.
      expect(await until(() => client.readSysctl('net.ipv6.conf.isa1.hop_limit') === '33', 2_000)).toBe(true);
      const cap = await client.capture('vethC', ['--immediate-mode', 'ip', 'proto', '41']);
      expect(client.exec(['ping', '-6', '-c', '2', '-i', '0.2', '-W', '2', ROUTER_GLOBAL])).toMatch(/2 received/);
      await sleep(300);
      await cap.stop();
      const out = tsharkFields(cap.file, 'ip.src == 192.0.2.2 && icmpv6.type == 128', ['ip.ttl', 'ip.flags.df', 'ipv6.hlim']);
      rmSync(cap.file, { force: true });
      expect(out).toEqual([
        ['33', '0', '33'],
        ['33', '0', '33'],
      ]);
    } finally {
      process.kill(pid, 'SIGTERM');
    }
    expect(await until(() => !existsSync(pidfile) && !client.ip('-o', 'link', 'show').includes('isa1'), 10_000)).toBe(true);
  }, 60_000);

  it('an unknown --user: the original\'s message, exit 1, no tunnel', async () => {
    const d = client.spawn(['node', CLI, 'isatapd', '--link', 'vethC', '-n', 'isa2', '--user', 'no-such-user-lli']);
    const r = await d.exited;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('User "no-such-user-lli": User not found');
    expect(client.ip('-o', 'link', 'show')).not.toContain('isa2');
  }, 30_000);

  // On a kernel with SIT, isatapd-kernel.test.ts runs the kernel data plane instead.
  it.skipIf(kernelIsatapSupport().supported)('--dataplane kernel on a kernel without SIT ISATAP: a clear message, exit 1, no tunnel', async () => {
    const d = client.spawn(['node', CLI, 'isatapd', '--link', 'vethC', '--dataplane', 'kernel']);
    const r = await d.exited;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--dataplane kernel: this kernel .* has no SIT\/ISATAP driver/);
    expect(client.ip('-o', 'link', 'show')).not.toContain('is0');
  }, 30_000);
});

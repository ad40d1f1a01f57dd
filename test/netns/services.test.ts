// Host services that depend on the namespace or on root: per-namespace hosts files for the
// resolver, and syslog(3) with facility LOG_DAEMON (caught on a private /dev/log).
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, cleanupAll } from './harness.js';
import { LinuxResolver } from '../../src/adapters/linux/resolver.js';
import type { Ipv4Address } from '../../src/core/wire/ipv4-address.js';

const runs = tierAvailable('test/netns/services.test.ts', { root: true, commands: ['ip', 'unshare', 'mount', 'mknod'] });
const programs = join(import.meta.dirname, 'programs');

describe.skipIf(!runs)('host services', () => {
  afterAll(cleanupAll);

  it('resolves from /etc/netns/NAME/hosts, under ip netns exec and after setns alike', async () => {
    const ns = Netns.create();
    try {
      ns.hosts('192.0.2.5 isatap\n198.51.100.5 ISATAP.example isatap\n');
      const viaExec = JSON.parse(ns.exec([process.execPath, '--import', 'tsx', join(programs, 'resolve.ts'), 'isatap'])) as { addresses: string[] };
      expect(viaExec.addresses).toEqual(['192.0.2.5', '198.51.100.5']);
      const resolver = ns.enter(() => new LinuxResolver({ noDns: true }));
      const found = await new Promise<Ipv4Address[]>((r) => resolver.resolve4('isatap.example', r));
      expect(found.map(String)).toEqual(['198.51.100.5']);
      // Outside the namespace that file does not count.
      const outside = await new Promise<Ipv4Address[]>((r) => new LinuxResolver({ noDns: true }).resolve4('isatap.example', r));
      expect(outside.map(String)).not.toContain('198.51.100.5');
    } finally {
      ns.delete();
    }
  });

  it('opens the whole host (openLinuxHost) in a namespace, and closing it lets the program end', async () => {
    const ns = Netns.create();
    try {
      ns.veth('a0', 'b0');
      ns.addr('a0', '192.0.2.1/24');
      ns.ip('neigh', 'add', '192.0.2.50', 'lladdr', '02:00:5e:00:53:50', 'dev', 'a0', 'nud', 'permanent');
      ns.hosts('192.0.2.1 router.test\n');
      const p = ns.spawn([process.execPath, '--import', 'tsx', join(programs, 'host-ports.ts')]);
      const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
      const r = await p.exited;
      clearTimeout(timer);
      expect(r.signal, 'the program did not end by itself after host.close()').toBeNull();
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({
        interfaces: ['lo', 'a0', 'b0'].sort((x, y) => ns.ifindex(x) - ns.ifindex(y)),
        appSolicit: '0',
        resolved: ['192.0.2.1'],
        neighbors: ['192.0.2.50 02:00:5e:00:53:50 permanent'],
        waited: true,
        epochPlausible: true,
        random: true,
      });
    } finally {
      ns.delete();
    }
  });

  it('logs to syslog with facility daemon and the right severities', () => {
    // A private mount namespace with its own /dev, so /dev/log is a socket this test owns.
    const script = [
      'mount -t tmpfs tmpfs /dev',
      'for d in "null c 1 3" "zero c 1 5" "random c 1 8" "urandom c 1 9"; do set -- $d; mknod -m 666 /dev/$1 $2 $3 $4; done',
      `exec "${process.execPath}" --import tsx "${join(programs, 'syslog-capture.ts')}"`,
    ].join(' && ');
    const out = execFileSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8' });
    const { messages, pid } = JSON.parse(out) as { messages: string[]; pid: number };
    expect(messages).toHaveLength(2);
    // <30> = LOG_DAEMON (3 << 3) | LOG_INFO (6); <28> = LOG_DAEMON | LOG_WARNING (4).
    expect(messages[0]).toMatch(new RegExp(`^<30>.* testd\\[${pid}\\]: sending RS on eth0 \\(probe=1\\)$`));
    expect(messages[1]).toMatch(new RegExp(`^<28>.* testd\\[${pid}\\]: RA dropped$`));
  });
});

/**
 * isatapd with the kernel data plane, on a kernel that has the SIT driver: the router namespace
 * has a kernel ISATAP tunnel (`ip tunnel add isatap0 mode isatap`) and radvd, the client runs
 * `linklab isatapd --dataplane kernel`; the kernel forms the address from the RA and carries the
 * ping. On a kernel without SIT (such as the ones this project is developed on) this file says so
 * loudly and does not run: there is nothing to run it against. Uses the built CLI.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tierAvailable } from '../helpers/tier.js';
import { kernelIsatapSupport } from '../../src/adapters/linux/isatap/kernel-support.js';
import { Netns, cleanupAll } from './harness.js';

const runs = tierAvailable('test/netns/isatapd-kernel.test.ts', { root: true, commands: ['ip', 'radvd', 'ping'] });
const support = kernelIsatapSupport();
if (runs && !support.supported) process.stderr.write(`\n!!!!! NOT RUN test/netns/isatapd-kernel.test.ts: ${support.reason}; the kernel data plane cannot be exercised here !!!!!\n\n`);
const REPO = join(import.meta.dirname, '..', '..');
const CLI = join(REPO, 'bin', 'run.js');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!runs || !support.supported)('isatapd with the kernel SIT ISATAP driver', () => {
  let router: Netns;
  let client: Netns;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lli-'));
    [router, client] = await Netns.linked('lli', { ifname: 'vethR', cidr: '192.0.2.1/24' }, { ifname: 'vethC', cidr: '192.0.2.2/24' });
    router.sysctl('net.ipv6.conf.all.forwarding', 1);
    client.hosts('127.0.0.1 localhost\n192.0.2.1 isatap\n');
    router.ip('tunnel', 'add', 'isatap0', 'mode', 'isatap', 'local', '192.0.2.1');
    router.ip('link', 'set', 'isatap0', 'up');
    router.addr('isatap0', '2001:db8:5::5efe:c000:201/64');
    const conf = join(dir, 'radvd.conf');
    writeFileSync(conf, 'interface isatap0 {\n  AdvSendAdvert on;\n  UnicastOnly on;\n  prefix 2001:db8:5::/64 { };\n};\n');
    const radvd = router.spawn(['radvd', '-n', '-C', conf, '-p', join(dir, 'radvd.pid'), '-m', 'stderr']);
    await sleep(500);
    expect(radvd.running).toBe(true);
  }, 60_000);

  afterAll(() => {
    cleanupAll();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('makes a SIT ISATAP tunnel, fills its PRL, and the kernel configures the address from the RA', async () => {
    const d = client.spawn(['node', CLI, 'isatapd', '--link', 'vethC', '--dataplane', 'kernel', '-v']);
    try {
      await d.waitFor(/interface is0 up/, 15_000);
      expect(client.ip('-d', 'link', 'show', 'is0')).toMatch(/isatap/);
      const end = Date.now() + 10_000;
      while (!client.ip('-6', 'addr', 'show', 'dev', 'is0').includes('2001:db8:5::5efe:c000:202') && Date.now() < end) await sleep(100);
      expect(client.ip('-6', 'addr', 'show', 'dev', 'is0')).toContain('2001:db8:5::5efe:c000:202');
      expect(client.ip('tunnel', 'prl', 'dev', 'is0')).toContain('192.0.2.1');
      expect(client.exec(['ping', '-6', '-c', '2', '-W', '2', '2001:db8:5::5efe:c000:201'])).toMatch(/2 received/);
      d.kill('SIGTERM');
      const r = await d.exited;
      expect(r.code).toBe(0);
      expect(client.ip('-o', 'link', 'show')).not.toMatch(/: is0[@:]/);
    } finally {
      d.kill('SIGKILL');
    }
  }, 60_000);
});

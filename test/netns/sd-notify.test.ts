/**
 * Type=notify readiness, as systemd sees it: each daemon started with NOTIFY_SOCKET pointing at a
 * real datagram socket sends READY=1, once, with its own pid as MAINPID, and is then up (arpd's
 * parser running, rtsold soliciting).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tierAvailable } from '../helpers/tier.js';
import { NotifySocket } from '../helpers/notify-socket.js';
import { Netns, cleanupAll, until } from './harness.js';

const runs = tierAvailable('test/netns/sd-notify.test.ts', { root: true, commands: ['ip'] });
const CLI = join(import.meta.dirname, '..', '..', 'bin', 'run.js');

afterAll(() => cleanupAll());

describe.runIf(runs)('sd_notify READY=1 from the daemons', () => {
  const cases: Array<{ daemon: string; args: (dir: string) => string[]; up: RegExp }> = [
    { daemon: 'arpd', args: (dir) => ['arpd', '--foreground', '--pid', join(dir, 'arpd.pid'), '-b', join(dir, 'arpd.db'), 'a0'], up: /parser pid \d+/ },
    { daemon: 'rtsold', args: (dir) => ['rtsold', '-f', '-D', '-p', join(dir, 'rtsold.pid'), '--dump-file', join(dir, 'rtsold.dump'), 'a0'], up: /send RS on a0/ },
  ];
  for (const c of cases) {
    it(`${c.daemon} notifies once it is up, with its own pid`, async () => {
      const [ns] = await Netns.linked('llsd', { ifname: 'a0', cidr: '192.0.2.1/24' }, { ifname: 'b0', cidr: '192.0.2.2/24' });
      const dir = mkdtempSync(join(tmpdir(), 'linklab-sd-'));
      const sock = new NotifySocket();
      try {
        const p = ns.spawn(['node', CLI, ...c.args(dir)], { env: { ...process.env, NOTIFY_SOCKET: sock.name } });
        const got: string[] = [];
        const ready = await until(() => {
          got.push(...sock.take());
          return got.find((m) => m.split('\n').includes('READY=1'));
        }, 30_000);
        expect(ready, `no READY=1 (stderr: ${p.stderr})`).toBeDefined();
        // `ip netns exec` execs the program, so the pid spawned is the daemon's.
        expect(ready!.split('\n')).toContain(`MAINPID=${p.pid}`);
        await p.waitFor(c.up, 10_000);
        expect(p.running).toBe(true);
        expect(got).toHaveLength(1);
        p.child.kill('SIGTERM');
        await p.exited;
      } finally {
        sock.close();
        rmSync(dir, { recursive: true, force: true });
        cleanupAll();
      }
    }, 60_000);
  }
});

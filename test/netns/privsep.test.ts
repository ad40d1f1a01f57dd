// Privilege separation in a namespace: the child that parses packets runs as nobody (checked in
// /proc/PID/status), gets its packet socket from the root parent, and has kernel changes made for
// it only within the daemon's policy; when it ends the parent restores the sysctls it changed.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, cleanupAll, listNamespaces } from './harness.js';
import { LinuxFramePort } from '../../src/adapters/linux/frame-port.js';
import * as ethernet from '../../src/core/wire/ethernet.js';
import { MacAddress } from '../../src/core/wire/mac-address.js';

const runs = tierAvailable('test/netns/privsep.test.ts', { root: true, commands: ['ip'] });
const PROGRAM = join(import.meta.dirname, 'programs', 'privsep-daemon.ts');

function uids(pid: number): number[] {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Uid:'))!;
  return line.split(/\s+/).slice(1, 5).map(Number);
}

describe.skipIf(!runs)('privilege separation', () => {
  afterEach(cleanupAll);
  afterAll(cleanupAll);

  it('parses packets as nobody and changes the kernel only through the checked parent', async () => {
    const ns = Netns.create();
    const peer = Netns.create();
    const dir = mkdtempSync(join(tmpdir(), 'll-privsep-'));
    try {
      ns.veth('a0', 'b0', peer);
      await ns.operUp('a0');
      await peer.operUp('b0');
      ns.addr('a0', '192.0.2.1/24');
      const original = ns.readSysctl('net.ipv4.neigh.a0.app_solicit');
      const daemon = ns.spawn([process.execPath, '--import', 'tsx', PROGRAM, 'nobody', join(dir, 'test.sysctl')]);
      const started = JSON.parse(await daemon.waitFor(/\{"parent".*\}/, 30_000)) as { parent: number; child: number; user: { uid: number } };
      const lines = (): Array<Record<string, unknown>> =>
        daemon.stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>);
      const line = (key: string): Record<string, unknown> | undefined => lines().find((l) => key in l);

      // The parser runs as nobody, every uid field; the parent is root.
      expect(started.user.uid).not.toBe(0);
      expect(uids(started.child)).toEqual([started.user.uid, started.user.uid, started.user.uid, started.user.uid]);
      expect(uids(started.parent)[0]).toBe(0);
      expect(line('uid')).toMatchObject({ uid: started.user.uid, ifname: 'a0', config: { note: 'hello' } });

      // Allowed changes happened; the others were refused with a reason.
      expect(line('sysctl')).toEqual({ sysctl: [null] });
      expect(ns.readSysctl('net.ipv4.neigh.a0.app_solicit')).toBe('3');
      expect((line('forbiddenSysctl')!.forbiddenSysctl as string[])[0]).toBe('denied: sysctl net.ipv4.ip_forward is not one this daemon may change');
      expect(line('neighbor')).toEqual({ neighbor: [null] });
      expect(ns.ip('neigh', 'show', 'dev', 'a0')).toContain('192.0.2.77 lladdr 02:00:5e:00:53:77 PERMANENT');
      expect((line('forbiddenLink')!.forbiddenLink as string[])[0]).toBe('denied: interface lo is not one this daemon manages');
      expect(line('tun')).toMatchObject({ tun: { ifname: 'llt0' } });
      expect(ns.ip('link', 'show', 'llt0')).toMatch(/mtu 1400 .*UP|<[^>]*UP[^>]*> mtu 1400/);
      expect(line('forbiddenTun')!.forbiddenTun).toBe('denied: this daemon may not create a TUN device named eth9');
      // Only a daemon watching every interface (arpd with none named) opens sockets after start.
      expect(line('forbiddenFrames')!.forbiddenFrames).toBe('denied: this daemon opens no frame sockets after start');

      // A frame from the peer reaches the nobody child through the socket root opened.
      const port = peer.enter(() => LinuxFramePort.open('b0'));
      const payload = new Uint8Array(46);
      new DataView(payload.buffer).setUint32(0, 4242);
      port.send(ethernet.encode({ dst: MacAddress.BROADCAST, src: port.mac, etherType: 0x88b5, payload }));
      await daemon.waitFor(/"frame":4242/);
      expect(line('frame')).toEqual({ frame: 4242, from: String(port.mac), uid: started.user.uid });
      port.close();

      // SIGTERM to the parent (the pidfile's pid) reaches the child; the sysctl comes back.
      daemon.kill('SIGTERM');
      const end = await daemon.exited;
      expect(end.code).toBe(0);
      expect(line('stopping')).toEqual({ stopping: true });
      expect(ns.readSysctl('net.ipv4.neigh.a0.app_solicit')).toBe(original);
    } finally {
      ns.delete();
      peer.delete();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(listNamespaces()).not.toContain(ns.name);
  });

  it('says which user is unknown', async () => {
    const ns = Netns.create();
    try {
      ns.veth('a0', 'b0');
      const daemon = ns.spawn([process.execPath, '--import', 'tsx', PROGRAM, 'no-such-user-ll', join(tmpdir(), 'unused.sysctl')]);
      const r = await daemon.exited;
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('unknown user \\"no-such-user-ll\\"');
    } finally {
      ns.delete();
    }
  });
});

/**
 * `linklab arpd` on real namespaces: a veth pair between this host (a0, 192.0.2.1) and a peer
 * (b0, 192.0.2.2). Gratuitous ARP from arping is learned and listed; as the kernel's helper it
 * resolves a ping with no broadcast of its own on the wire; a storm of kernel misses stays within
 * B + R*T broadcasts; a concurrent -l sees a committed prefix no older than -p; and SIGKILL in the
 * middle of heavy learning, twenty times over, never costs a synced entry or the database.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, cleanupAll, running, type NsProcess } from './harness.js';
import { readCapture } from '../../src/core/wire/pcap.js';
import { LmdbStore } from '../../src/adapters/linux/store.js';
import { ArpDatabase } from '../../src/core/arpd/database.js';

const runs = tierAvailable('test/netns/arpd.test.ts', { root: true, commands: ['ip', 'arping', 'tcpdump'] });
const REPO = join(import.meta.dirname, '..', '..');
const ENTRY = join(REPO, 'test', 'sim', 'helpers', 'cli-entry.ts');
const FLOOD = join(import.meta.dirname, 'programs', 'arp-flood.ts');
const linklab = (...args: string[]): string[] => [process.execPath, '--import', 'tsx', ENTRY, 'arpd', ...args];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Lab {
  ns: Netns;
  peer: Netns;
  dir: string;
  db: string;
  pidfile: string;
  ourMac: string;
  peerMac: string;
  ifindex: number;
}

async function lab(): Promise<Lab> {
  const [ns, peer] = await Netns.linked('lla', { ifname: 'a0', cidr: '192.0.2.1/24' }, { ifname: 'b0', cidr: '192.0.2.2/24' });
  const dir = mkdtempSync(join(tmpdir(), 'lla-arpd-'));
  return { ns, peer, dir, db: join(dir, 'arpd.db'), pidfile: join(dir, 'arpd.pid'), ourMac: ns.mac('a0'), peerMac: peer.mac('b0'), ifindex: ns.ifindex('a0') };
}

/** Starts arpd in the foreground and waits for it to say it runs; returns it and its parser's pid. */
async function startArpd(l: Lab, ...args: string[]): Promise<{ p: NsProcess; child: number }> {
  const p = l.ns.spawn(linklab('--foreground', '--pid', l.pidfile, '-b', l.db, ...args));
  const line = await p.waitFor(/parser pid (\d+) as (\S+)/, 60_000);
  return { p, child: Number(/parser pid (\d+)/.exec(line)![1]) };
}

/** `linklab arpd -l` rows as {ifindex, ip, mac}. */
function listRows(l: Lab, ...extra: string[]): Array<{ ifindex: number; ip: string; mac: string }> {
  // Not ns.exec: a big database lists more than its 1 MiB output buffer.
  const out = execFileSync('ip', ['netns', 'exec', l.ns.name, ...linklab('-l', '-b', l.db, ...extra)], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const lines = out.split('\n').filter((x) => x !== '');
  expect(lines[0]).toBe('#Ifindex IP              MAC');
  return lines.slice(1).map((x) => {
    const [ifindex, ip, mac] = x.split(/\s+/);
    return { ifindex: Number(ifindex), ip, mac };
  });
}

/** Times (seconds) of broadcast ARP requests from `mac` in a pcap. */
function broadcastRequestsFrom(pcap: Uint8Array, mac: string): number[] {
  const src = mac.split(':').map((h) => parseInt(h, 16));
  return readCapture(pcap)
    .packets.filter(({ data: f }) => f.length >= 22 && f.subarray(0, 6).every((b) => b === 0xff) && src.every((b, i) => f[6 + i] === b) && f[12] === 0x08 && f[13] === 0x06 && f[21] === 1)
    .map((p) => p.timestamp / 1e6);
}

function uid(pid: number): number {
  return Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
}

/** The ARP generator's address for sender i (198.18.0.1 + i) and its MAC (02:00 + the address). */
const floodIp = (i: number): string => {
  const v = 0xc6120001 + i;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
};
const floodMac = (ip: string): string => ['02', '00', ...ip.split('.').map((x) => Number(x).toString(16).padStart(2, '0'))].join(':');

describe.skipIf(!runs)('linklab arpd on real namespaces', () => {
  const dirs: string[] = [];
  afterEach(() => {
    cleanupAll();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  afterAll(cleanupAll);

  it('learns a gratuitous ARP from arping, lists it with -l, reports counters on SIGUSR1, and exits 0 on SIGTERM', async () => {
    const l = await lab();
    dirs.push(l.dir);
    const { p, child } = await startArpd(l, '--json', '-p', '0.3', 'a0');
    expect(uid(child)).not.toBe(0); // the parser is not root
    expect(uid(p.pid)).toBe(0);
    l.peer.exec(['arping', '-U', '-c', '2', '-I', 'b0', '192.0.2.2']);
    // Durable within -p: poll -l, as a user would.
    let rows = listRows(l);
    for (let i = 0; i < 20 && rows.length === 0; i++) {
      await sleep(200);
      rows = listRows(l);
    }
    expect(rows).toEqual([{ ifindex: l.ifindex, ip: '192.0.2.2', mac: l.peerMac }]);
    expect(listRows(l, 'a0')).toHaveLength(1);
    expect(listRows(l, 'lo')).toHaveLength(0);

    process.kill(p.pid, 'SIGUSR1');
    await p.waitFor(/kern: n\d+ c\d+ neg \d+ arp_send: \d+ rlim \d+/);
    expect(p.stderr).toMatch(/arpd: arp_rcv: n1 c0 app_rcv: tot 0 hits 0 bad 0 neg 0 sup 0\n/);
    const stats = JSON.parse(await p.waitFor(/\{"event":"stats".*\}/)) as Record<string, number>;
    expect(stats).toMatchObject({ arpNew: 1, arpChange: 0, entries: 1 });

    process.kill(p.pid, 'SIGTERM');
    expect((await p.exited).code).toBe(0);
    expect(listRows(l)).toHaveLength(1);
  });

  it('without --foreground: returns once the daemon is up, holds its pidfile, syncs on SIGHUP, ends on SIGTERM', async () => {
    const l = await lab();
    dirs.push(l.dir);
    const original = l.ns.readSysctl('net.ipv4.neigh.a0.app_solicit');
    const start = await l.ns.spawn(linklab('--pid', l.pidfile, '-b', l.db, 'a0')).exited;
    expect(start.code, start.stderr).toBe(0);
    const pid = Number(readFileSync(l.pidfile, 'utf8').trim());
    expect(running(pid)).toBe(true);
    const second = await l.ns.spawn(linklab('--pid', l.pidfile, '-b', l.db, 'a0')).exited;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`another instance is running (pid ${pid})`);
    expect(Number(readFileSync(l.pidfile, 'utf8').trim())).toBe(pid);

    l.peer.exec(['arping', '-U', '-c', '1', '-I', 'b0', '192.0.2.2']);
    await sleep(500);
    expect(listRows(l)).toEqual([]); // -p 30: nothing synced yet
    process.kill(pid, 'SIGHUP');
    for (let i = 0; i < 30 && listRows(l).length === 0; i++) await sleep(200);
    expect(listRows(l)).toEqual([{ ifindex: l.ifindex, ip: '192.0.2.2', mac: l.peerMac }]);

    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && running(pid); i++) await sleep(100);
    expect(running(pid)).toBe(false);
    expect(existsSync(l.pidfile)).toBe(false);
    expect(l.ns.readSysctl('net.ipv4.neigh.a0.app_solicit')).toBe(original);
  });

  it('as the kernel helper (-a 1 -k), resolves a ping from its database with no broadcast ARP from this host', async () => {
    const l = await lab();
    dirs.push(l.dir);
    const before = { app: l.ns.readSysctl('net.ipv4.neigh.a0.app_solicit'), mcast: l.ns.readSysctl('net.ipv4.neigh.a0.mcast_solicit') };
    const { p } = await startArpd(l, '-a', '1', '-k', '-p', '0.3', 'a0');
    // Sysctls are set once arpd has mirrored the kernel's table.
    for (let i = 0; i < 50 && l.ns.readSysctl('net.ipv4.neigh.a0.app_solicit') !== '1'; i++) await sleep(100);
    expect([l.ns.readSysctl('net.ipv4.neigh.a0.app_solicit'), l.ns.readSysctl('net.ipv4.neigh.a0.mcast_solicit')]).toEqual(['1', '0']);

    // The peer announces itself: arpd records it, the kernel does not (arp_accept 0).
    l.peer.exec(['arping', '-U', '-c', '1', '-I', 'b0', '192.0.2.2']);
    for (let i = 0; i < 30 && listRows(l).length === 0; i++) await sleep(200);
    expect(listRows(l)).toEqual([{ ifindex: l.ifindex, ip: '192.0.2.2', mac: l.peerMac }]);
    expect(l.ns.ip('neigh', 'show', '192.0.2.2').trim()).toBe('');

    const cap = await l.ns.capture('a0', ['arp']);
    const ping = await l.ns.spawn(['ping', '-c', '3', '-i', '0.3', '-W', '2', '192.0.2.2']).exited;
    await sleep(300);
    const pcap = await cap.stop();
    rmSync(cap.file, { force: true });
    expect(ping.code, ping.stdout + ping.stderr).toBe(0);
    expect(ping.stdout).toMatch(/3 received/);
    expect(broadcastRequestsFrom(pcap, l.ourMac)).toEqual([]);
    expect(l.ns.ip('neigh', 'show', '192.0.2.2')).toContain(`lladdr ${l.peerMac}`);

    process.kill(p.pid, 'SIGUSR1');
    await p.waitFor(/app_rcv: tot [1-9]\d* hits [1-9]/);
    process.kill(p.pid, 'SIGTERM');
    expect((await p.exited).code).toBe(0);
    expect({ app: l.ns.readSysctl('net.ipv4.neigh.a0.app_solicit'), mcast: l.ns.readSysctl('net.ipv4.neigh.a0.mcast_solicit') }).toEqual(before);
  });

  it('with no interface named, also watches one that appears after start: learns there and answers the kernel there', async () => {
    const l = await lab();
    dirs.push(l.dir);
    const { p } = await startArpd(l, '-p', '0.3');
    expect(p.stderr).toContain('watching a0;');
    l.ns.veth('a1', 'b1', l.peer);
    l.ns.addr('a1', '198.51.100.1/24');
    l.peer.addr('b1', '198.51.100.2/24');
    await l.ns.operUp('a1');
    await l.peer.operUp('b1');
    const a1 = l.ns.ifindex('a1');
    await p.waitFor(new RegExp(`watching a1 \\(index ${a1}\\), which appeared after start`));

    l.peer.exec(['arping', '-U', '-c', '2', '-I', 'b1', '198.51.100.2']);
    const peerMac = l.peer.mac('b1');
    let rows = listRows(l);
    for (let i = 0; i < 30 && !rows.some((r) => r.ifindex === a1); i++) {
      await sleep(200);
      rows = listRows(l);
    }
    expect(rows).toContainEqual({ ifindex: a1, ip: '198.51.100.2', mac: peerMac });

    // With none named the sysctls are the operator's (as the original's man page says); with
    // app_solicit on and no broadcast, the kernel gets the peer's address from arpd alone.
    l.ns.sysctl('net.ipv4.neigh.a1.app_solicit', 1);
    l.ns.sysctl('net.ipv4.neigh.a1.mcast_solicit', 0);
    const ping = await l.ns.spawn(['ping', '-c', '2', '-i', '0.3', '-W', '2', '198.51.100.2']).exited;
    expect(ping.code, ping.stdout + ping.stderr).toBe(0);
    expect(l.ns.ip('neigh', 'show', '198.51.100.2')).toContain(`lladdr ${peerMac}`);

    l.ns.ip('link', 'del', 'a1');
    await p.waitFor(/a1 is gone; no longer watching it/);
    process.kill(p.pid, 'SIGTERM');
    expect((await p.exited).code).toBe(0);
    expect(listRows(l)).toContainEqual({ ifindex: a1, ip: '198.51.100.2', mac: peerMac });
  });

  it('keeps its broadcasts within B + R*T under a storm of kernel misses', async () => {
    const l = await lab();
    dirs.push(l.dir);
    const B = 3;
    const R = 2;
    const { p } = await startArpd(l, '-a', '3', '-k', '-B', String(B), '-R', String(R), '--json', 'a0');
    for (let i = 0; i < 50 && l.ns.readSysctl('net.ipv4.neigh.a0.mcast_solicit') !== '0'; i++) await sleep(100);
    const cap = await l.ns.capture('a0', ['arp']);
    // Six rounds of datagrams to 100 addresses nobody has: 600 resolutions, app_solicit 3 each.
    const storm = `const s = require('dgram').createSocket('udp4'); let r = 0;
      const t = setInterval(() => { for (let i = 10; i < 110; i++) s.send('x', 9, '192.0.2.' + i); if (++r === 6) { clearInterval(t); setTimeout(() => process.exit(0), 3500); } }, 1000);`;
    expect((await l.ns.spawn([process.execPath, '-e', storm]).exited).code).toBe(0);
    const pcap = await cap.stop();
    rmSync(cap.file, { force: true });
    const times = broadcastRequestsFrom(pcap, l.ourMac);
    expect(times.length).toBeGreaterThan(B + 5); // arpd did query, at its rate
    // Every interval [t_i, t_j]: at most B + R*T. The capture stamps frames when they reach the
    // wire, not when arpd's bucket let them go; on a loaded machine that lag reached 11 ms, so 50 ms
    // of slack. One broadcast too many is 1/R = 500 ms of interval: the slack cannot hide it.
    const slack = 0.05;
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length; j++) expect(j - i + 1, `${j - i + 1} broadcasts in ${(times[j] - times[i]).toFixed(3)} s`).toBeLessThanOrEqual(B + R * (times[j] - times[i] + slack));
    }
    process.kill(p.pid, 'SIGUSR1');
    const stats = JSON.parse(await p.waitFor(/\{"event":"stats".*\}/)) as Record<string, number>;
    expect(stats.probesSuppressed).toBeGreaterThan(100);
    expect(stats.probesSent).toBeGreaterThanOrEqual(times.length);
    process.kill(p.pid, 'SIGTERM');
    expect((await p.exited).code).toBe(0);
  });

  it('a concurrent -l under an ARP flood sees a whole committed prefix, no older than -p', async () => {
    const l = await lab();
    dirs.push(l.dir);
    const { p } = await startArpd(l, '-p', '1', 'a0');
    const RATE = 2000;
    const flood = l.peer.spawn([process.execPath, '--import', 'tsx', FLOOD, 'b0', String(RATE * 10), String(RATE)]);
    const start = Date.now();
    const seen: number[] = [];
    for (let round = 0; round < 5; round++) {
      await sleep(1200);
      const asked = Date.now();
      const rows = listRows(l);
      // A prefix of the generator's sequence, with nothing missing inside it: one sync, whole.
      expect(rows.map((r) => r.ip).sort()).toEqual(Array.from({ length: rows.length }, (_, i) => floodIp(i)).sort());
      for (const r of rows) expect(r.mac).toBe(floodMac(r.ip));
      // No older than -p (1 s) and the time a commit takes (1 s of slack on a busy machine).
      const sentThen = Math.min(RATE * 10, Math.floor(((asked - start) / 1000) * RATE));
      expect(rows.length).toBeGreaterThanOrEqual(sentThen - RATE * (1 + 0.5));
      seen.push(rows.length);
    }
    expect((await flood.exited).code).toBe(0);
    expect(seen.at(-1)).toBeGreaterThan(seen[0]);
    process.kill(p.pid, 'SIGTERM');
    expect((await p.exited).code).toBe(0);
    expect(listRows(l)).toHaveLength(RATE * 10);
  });

  it('SIGKILL during heavy learning, 20 times: the database opens every time and keeps every synced entry', async () => {
    const l = await lab();
    dirs.push(l.dir);
    const original = l.ns.readSysctl('net.ipv4.neigh.a0.app_solicit');
    // A paced flood of gratuitous ARP from 131,070 senders, running through all the rounds.
    const flood = l.peer.spawn([process.execPath, '--import', 'tsx', FLOOD, 'b0', '0', '4000']);
    let synced = new Map<string, string>();
    for (let round = 0; round < 20; round++) {
      const { p, child } = await startArpd(l, '-p', '0.2', 'a0');
      await sleep(400 + ((round * 137) % 900));
      // What a reader sees now has been committed: it must survive the kill.
      const reader = new LmdbStore(l.db, { readOnly: true });
      const db = new ArpDatabase(reader, { maxEntries: 1 << 20, expireAfter: 0 });
      const committed = new Map<string, string>();
      for (const e of db.entries()) if (e.entry.kind === 'positive') committed.set(e.ip.toString(), e.entry.mac.toString());
      reader.close();
      await sleep((round * 71) % 300);
      // Even rounds: the pid in the pidfile only (the parser follows); odd rounds: both at once.
      process.kill(p.pid, 'SIGKILL');
      if (round % 2 === 1) process.kill(child, 'SIGKILL');
      await p.exited;
      for (let i = 0; i < 50 && running(child); i++) await sleep(100);
      expect(running(child)).toBe(false);

      const rows = listRows(l); // opens, or this throws with the command's error
      const after = new Map(rows.map((r) => [r.ip, r.mac]));
      for (const [ip, mac] of [...synced, ...committed]) expect(after.get(ip), `${ip} (round ${round})`).toBe(mac);
      for (const r of rows) expect(r.mac).toBe(floodMac(r.ip));
      expect(after.size).toBeGreaterThanOrEqual(committed.size);
      synced = after;
    }
    flood.kill('SIGTERM');
    await flood.exited;
    expect(synced.size).toBeGreaterThan(20_000);
    // The crashes left app_solicit changed; the next start put it back, and a clean stop too.
    const { p } = await startArpd(l, 'a0');
    process.kill(p.pid, 'SIGTERM');
    expect((await p.exited).code).toBe(0);
    expect(l.ns.readSysctl('net.ipv4.neigh.a0.app_solicit')).toBe(original);
    expect(listRows(l).length).toBeGreaterThanOrEqual(synced.size);
  }, 900_000);
});


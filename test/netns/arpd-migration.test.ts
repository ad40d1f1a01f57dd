/**
 * Migration from Debian's arpd: its database is made the honest way, by running it (its own -f
 * stores garbage MACs): the peer announces five addresses with arping, and a ping to an address
 * nobody has leaves a negative entry. Then `arpd -l -b OLD.db | linklab arpd -f - -b NEW.db`, and
 * `linklab arpd -l` must list exactly the original's positive rows (negative ones are skipped, as
 * the original's -f skips them).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, cleanupAll } from './harness.js';

const runs = tierAvailable('test/netns/arpd-migration.test.ts', { root: true, commands: ['ip', 'arping', 'arpd'] });
const ENTRY = join(import.meta.dirname, '..', 'sim', 'helpers', 'cli-entry.ts');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!runs)("migrating Debian arpd's database", () => {
  const dirs: string[] = [];
  afterEach(() => {
    cleanupAll();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  afterAll(cleanupAll);

  it('arpd -l -b OLD.db | linklab arpd -f - -b NEW.db keeps every binding the original learned', async () => {
    const ns = Netns.create('lla');
    const peer = Netns.create('lla');
    const dir = mkdtempSync(join(tmpdir(), 'lla-arpd-mig-'));
    dirs.push(dir);
    ns.veth('a0', 'b0', peer);
    ns.addr('a0', '192.0.2.1/24');
    const announced = ['192.0.2.2', '192.0.2.3', '192.0.2.4', '198.51.100.7', '203.0.113.9'];
    for (const a of announced) peer.addr('b0', `${a}/${a.startsWith('192.0.2.') ? 24 : 32}`);
    await ns.operUp('a0');
    await peer.operUp('b0');
    const old = join(dir, 'old.db');

    // Debian's arpd daemonizes at once; it watches a0 and is the kernel's helper there.
    ns.exec(['arpd', '-b', old, 'a0']);
    let [pid] = ns.pids({ comm: 'arpd' });
    for (let i = 0; !pid && i < 50; i++) {
      await sleep(100);
      [pid] = ns.pids({ comm: 'arpd' });
    }
    expect(pid).toBeGreaterThan(0);
    await sleep(500);
    for (const a of announced) peer.exec(['arping', '-U', '-c', '1', '-I', 'b0', '-s', a, a]);
    // A host that is not there: the kernel's FAILED report becomes a negative entry.
    await ns.spawn(['ping', '-c', '1', '-W', '4', '192.0.2.99']).exited;
    await sleep(500);
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50 && ns.pids({ comm: 'arpd' }).length > 0; i++) await sleep(100);

    const dump = execFileSync('arpd', ['-l', '-b', old], { encoding: 'utf8' });
    const lines = dump.split('\n').filter((l) => l !== '');
    expect(lines[0]).toBe('#Ifindex IP              MAC');
    const positive = lines.slice(1).filter((l) => !/FAILED:/.test(l));
    const negative = lines.slice(1).filter((l) => /FAILED:/.test(l));
    // The original really learned them (and the dead host), with the peer's MAC.
    const peerMac = peer.mac('b0');
    const ifindex = ns.ifindex('a0');
    expect(positive.map((l) => l.split(/\s+/)[1]).sort()).toEqual([...announced].sort());
    for (const l of positive) expect(l).toMatch(new RegExp(`^${ifindex}\\s+\\S+\\s+${peerMac}$`));
    expect(negative.map((l) => l.split(/\s+/)[1])).toEqual(['192.0.2.99']);

    // The migration, as a user types it.
    const fresh = join(dir, 'new.db');
    execFileSync('sh', ['-c', `arpd -l -b "$1" | "$2" --import tsx "$3" arpd -f - -b "$4"`, 'sh', old, process.execPath, ENTRY, fresh], { encoding: 'utf8' });
    const mine = execFileSync(process.execPath, ['--import', 'tsx', ENTRY, 'arpd', '-l', '-b', fresh], { encoding: 'utf8' });
    const mineLines = mine.split('\n').filter((l) => l !== '');
    expect(mineLines[0]).toBe(lines[0]);
    // Byte for byte the original's rows; linklab lists in key order, the original in hash order.
    expect(mineLines.slice(1)).toEqual([...positive].sort((a, b) => rowOrder(a) - rowOrder(b)));
  });
});

function rowOrder(line: string): number {
  const [ifindex, ip] = line.split(/\s+/);
  return Number(ifindex) * 2 ** 32 + ip.split('.').reduce((v, p) => v * 256 + Number(p), 0);
}

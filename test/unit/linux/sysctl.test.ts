// The sysctl port on a directory standing in for /proc/sys: originals are journalled before a
// change, restore() puts them back, and an instance that died without restoring is undone by the
// next start. (test/netns/sysctl-crash.test.ts does the same with real sysctls and SIGKILL.)
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinuxSysctl, SysctlError } from '../../../src/adapters/linux/sysctl.js';

const dirs: string[] = [];
function tree(): { root: string; journal: string; file: (k: string) => string } {
  const d = mkdtempSync(join(tmpdir(), 'll-sysctl-'));
  dirs.push(d);
  const root = join(d, 'sys');
  for (const [k, v] of [
    ['net/ipv4/neigh/eth0/app_solicit', '0'],
    ['net/ipv4/neigh/eth0/mcast_solicit', '3'],
    ['net/ipv4/neigh/eth0.100/app_solicit', '0'],
  ]) {
    mkdirSync(join(root, k, '..'), { recursive: true });
    writeFileSync(join(root, k), v + '\n');
  }
  return { root, journal: join(d, 'run', 'arpd.sysctl'), file: (k) => readFileSync(join(root, k), 'utf8').trim() };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('LinuxSysctl', () => {
  it('reads, writes, and restores the values it changed', () => {
    const t = tree();
    const s = new LinuxSysctl({ root: t.root, journal: t.journal });
    expect(s.read('net.ipv4.neigh.eth0.app_solicit')).toBe('0');
    s.write('net.ipv4.neigh.eth0.app_solicit', '1');
    s.write('net.ipv4.neigh.eth0.app_solicit', '2'); // the original stays the first one
    s.write('net.ipv4.neigh.eth0.mcast_solicit', '0');
    expect(t.file('net/ipv4/neigh/eth0/app_solicit')).toBe('2');
    expect(existsSync(t.journal)).toBe(true);
    s.restore();
    expect(t.file('net/ipv4/neigh/eth0/app_solicit')).toBe('0');
    expect(t.file('net/ipv4/neigh/eth0/mcast_solicit')).toBe('3');
    expect(existsSync(t.journal)).toBe(false);
  });

  it('undoes at the next start what an instance that died changed', () => {
    const t = tree();
    const crashed = new LinuxSysctl({ root: t.root, journal: t.journal });
    crashed.write('net.ipv4.neigh.eth0.app_solicit', '1');
    crashed.write('net/ipv4/neigh/eth0.100/app_solicit', '5');
    // ... and it never calls restore().
    const next = new LinuxSysctl({ root: t.root, journal: t.journal });
    expect(t.file('net/ipv4/neigh/eth0/app_solicit')).toBe('0');
    expect(t.file('net/ipv4/neigh/eth0.100/app_solicit')).toBe('0');
    expect(next.recovered.map((r) => r.key).sort()).toEqual(['net.ipv4.neigh.eth0.app_solicit', 'net/ipv4/neigh/eth0.100/app_solicit']);
    expect(existsSync(t.journal)).toBe(false);
  });

  it('reports keys it cannot restore (the interface went away) and goes on', () => {
    const t = tree();
    const s = new LinuxSysctl({ root: t.root, journal: t.journal });
    s.write('net.ipv4.neigh.eth0.app_solicit', '1');
    s.write('net.ipv4.neigh.eth0.mcast_solicit', '0');
    rmSync(join(t.root, 'net/ipv4/neigh/eth0/app_solicit'));
    mkdirSync(join(t.root, 'net/ipv4/neigh/eth0/app_solicit')); // writing there now fails
    s.restore();
    expect(s.restoreFailures.map((f) => f.key)).toEqual(['net.ipv4.neigh.eth0.app_solicit']);
    expect(t.file('net/ipv4/neigh/eth0/mcast_solicit')).toBe('3');
  });

  it('rejects unknown and malformed keys by name', () => {
    const t = tree();
    const s = new LinuxSysctl({ root: t.root });
    expect(s.read('net.ipv4.neigh.eth9.app_solicit')).toBeNull();
    expect(() => s.write('net.ipv4.neigh.eth9.app_solicit', '1')).toThrowError('sysctl net.ipv4.neigh.eth9.app_solicit: no such key');
    expect(() => s.read('../../etc/passwd')).toThrowError(SysctlError);
    expect(() => s.write('net.ipv4 neigh', '1')).toThrowError('sysctl key "net.ipv4 neigh" is not a valid name');
  });
});

/**
 * What an operator does on a fresh machine: `npm pack`, then `npm install -g` of the tarball into a
 * temporary prefix. The installed `linklab` runs, its native addon was built during the install,
 * the installed arpd starts in a namespace and tells a real NOTIFY_SOCKET it is ready, and the
 * shipped systemd units, pointed at the installed binary, pass `systemd-analyze verify` and carry
 * command lines the daemons accept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tierAvailable } from '../helpers/tier.js';
import { NotifySocket } from '../helpers/notify-socket.js';
import { Netns, cleanupAll, until } from '../netns/harness.js';
import { parseArpdArgs } from '../../src/cli/arpd/options.js';
import { parseRtsoldArgs } from '../../src/cli/rtsold/options.js';
import { parseIsatapdArgs } from '../../src/cli/isatapd/options.js';

const REPO = join(import.meta.dirname, '..', '..');
const runs = tierAvailable('test/install/npm-global.test.ts', { root: true, commands: ['npm', 'ip', 'systemd-analyze'] });
const UNITS = join(REPO, 'systemd');

let work = '';
let linklab = '';

beforeAll(() => {
  if (!runs) return;
  work = mkdtempSync(join(tmpdir(), 'linklab-install-'));
  // As /usr/local is: the parser runs as nobody and loads its code from the prefix.
  chmodSync(work, 0o755);
  // --ignore-scripts would skip prepare: pack builds dist/ as a publish does.
  const packed = execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n').pop()!;
  const prefix = join(work, 'prefix');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(work, packed)], { cwd: work, stdio: 'pipe' });
  linklab = join(prefix, 'bin', 'linklab');
}, 300_000);

afterAll(() => {
  cleanupAll();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The ExecStart= argv of a shipped unit. */
function execStart(unit: string): string[] {
  const line = readFileSync(join(UNITS, unit), 'utf8').split('\n').find((l) => l.startsWith('ExecStart='));
  return line!.slice('ExecStart='.length).split(/\s+/);
}

describe.runIf(runs)('npm install -g of the packed tarball', () => {
  it('installs a linklab that runs, with the native addon built at install time', () => {
    expect(execFileSync(linklab, ['--version'], { encoding: 'utf8' })).toMatch(/^linklab\/0\.\d+\.\d+ /);
    const root = join(linklab, '..', '..', 'lib', 'node_modules', 'linklab');
    expect(existsSync(join(root, 'src', 'adapters', 'linux', 'native', 'build', 'Release', 'linklab_native.node'))).toBe(true);
    // The packet codecs run from the installed dist/.
    const out = execFileSync(linklab, ['packet', 'decode', '--json', 'ffffffffffff02000000000108060001080006040001020000000001c0000201000000000000c0000202'], { encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({ ethernet: { etherType: 0x0806 }, arp: { op: 1, senderIp: '192.0.2.1', targetIp: '192.0.2.2' } });
  });

  it('runs the installed arpd, which notifies systemd once it is up', async () => {
    const [ns] = await Netns.linked('llin', { ifname: 'a0', cidr: '192.0.2.1/24' }, { ifname: 'b0', cidr: '192.0.2.2/24' });
    const sock = new NotifySocket();
    try {
      const p = ns.spawn([linklab, 'arpd', '--foreground', '--pid', join(work, 'arpd.pid'), '-b', join(work, 'arpd.db'), 'a0'], { env: { ...process.env, NOTIFY_SOCKET: sock.name } });
      const got: string[] = [];
      const ready = await until(() => (got.push(...sock.take()), got.find((m) => m.includes('READY=1'))), 30_000);
      expect(ready, `no READY=1 (stderr: ${p.stderr})`).toBeDefined();
      await p.waitFor(/parser pid \d+/, 10_000);
      p.child.kill('SIGTERM');
      expect((await p.exited).code).toBe(0);
    } finally {
      sock.close();
      cleanupAll();
    }
  }, 60_000);

  it('ships units that systemd-analyze verifies against the installed binary', () => {
    const units = readdirSync(UNITS).filter((f) => f.endsWith('.service'));
    expect(units.sort()).toEqual(['linklab-arpd.service', 'linklab-isatapd.service', 'linklab-rtsold.service']);
    for (const unit of units) {
      const text = readFileSync(join(UNITS, unit), 'utf8');
      for (const key of ['Type=notify', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'CapabilityBoundingSet=CAP_']) expect(text, unit).toContain(key);
      const file = join(work, unit);
      writeFileSync(file, text.replaceAll('/usr/local/bin/linklab', linklab));
      const r = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', timeout: 60_000 });
      expect({ unit, code: r.status, stderr: r.stderr }).toEqual({ unit, code: 0, stderr: '' });
    }
    expect(readFileSync(join(UNITS, 'linklab-arpd.service'), 'utf8')).toMatch(/^StateDirectory=linklab-arpd$/m);
  });

});

describe('the shipped units', () => {
  it('have ExecStart= lines the daemons accept, in the foreground (Type=notify needs that)', () => {
    const arpd = parseArpdArgs(execStart('linklab-arpd.service').slice(2));
    expect(arpd).toMatchObject({ foreground: true, database: '/var/lib/linklab-arpd/arpd.db' });
    expect(parseRtsoldArgs('rtsold', execStart('linklab-rtsold.service').slice(2))).toMatchObject({ foreground: true });
    expect(parseIsatapdArgs(execStart('linklab-isatapd.service').slice(2))).toMatchObject({ kind: 'run', options: { daemon: false } });
  });
});


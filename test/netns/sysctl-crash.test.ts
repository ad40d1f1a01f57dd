// A daemon killed with SIGKILL cannot restore its sysctls; the next start of the same instance
// (same journal) does, before anything else. Real sysctls, inside a test namespace.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, cleanupAll } from './harness.js';

const runs = tierAvailable('test/netns/sysctl-crash.test.ts', { root: true, commands: ['ip'] });
const PROGRAM = join(import.meta.dirname, 'programs', 'sysctl-holder.ts');
const KEY = 'net.ipv4.neigh.a0.app_solicit';

describe.skipIf(!runs)('sysctl journal', () => {
  afterAll(cleanupAll);

  it('restores at the next start what a SIGKILLed instance changed', async () => {
    const ns = Netns.create();
    const dir = mkdtempSync(join(tmpdir(), 'll-journal-'));
    const journal = join(dir, 'arpd-a0.sysctl');
    try {
      ns.veth('a0', 'b0');
      const original = ns.readSysctl(KEY);
      const first = ns.spawn([process.execPath, '--import', 'tsx', PROGRAM, journal, KEY, '7']);
      await first.waitFor(/"written"/);
      expect(ns.readSysctl(KEY)).toBe('7');
      first.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      expect(ns.readSysctl(KEY)).toBe('7'); // nobody restored it
      expect(existsSync(journal)).toBe(true);

      const next = ns.spawn([process.execPath, '--import', 'tsx', PROGRAM, journal]);
      const r = await next.exited;
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout.split('\n')[0])).toEqual({ recovered: [{ key: KEY, value: original }], failures: [] });
      expect(ns.readSysctl(KEY)).toBe(original);
      expect(existsSync(journal)).toBe(false);
    } finally {
      ns.delete();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// `linklab sim run --bridge SEGMENT=TAP`: a simulated radvd-like router advertises 2001:db8:77::/64
// through a TAP device into a namespace, and the real kernel there autoconfigures an address in
// it. The run's pcapng holds the kernel's RS and the router's RA (read by linklab and by tshark).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, cleanupAll, tsharkFields } from './harness.js';
import * as pcapng from '../../src/core/wire/pcapng.js';
import * as packet from '../../src/core/wire/packet.js';

const runs = tierAvailable('test/netns/tap-bridge.test.ts', { root: true, commands: ['ip', 'tshark'] });
const ENTRY = join(import.meta.dirname, '..', 'sim', 'helpers', 'cli-entry.ts');

const TOPOLOGY = `
name: bridge-ra
duration: 12s
segments:
  lan: {}
nodes:
  r1:
    kind: router
    interfaces:
      eth0: {segment: lan, mac: "02:00:5e:00:53:01", ipv6: ["2001:db8:77::1/64"]}
    config:
      maxInterval: 4
      prefixes: [{prefix: "2001:db8:77::/64"}]
`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!runs)('TAP bridge', () => {
  afterAll(cleanupAll);

  it('lets a real kernel autoconfigure from a simulated router', async () => {
    const ns = Netns.create();
    const dir = mkdtempSync(join(tmpdir(), 'll-bridge-'));
    try {
      const topo = join(dir, 'bridge-ra.yaml');
      const pcap = join(dir, 'bridged.pcapng');
      writeFileSync(topo, TOPOLOGY);
      const run = ns.spawn([process.execPath, '--import', 'tsx', ENTRY, 'sim:run', topo, '--bridge', 'lan=llb0', '--pcap', pcap, '--json']);

      // While the run goes on, the kernel forms an address in the advertised prefix.
      let global = '';
      for (let i = 0; i < 200 && !global && run.running; i++) {
        await sleep(50);
        try {
          global = /inet6 (2001:db8:77:[0-9a-f:]+)\/64 scope global/.exec(ns.ip('-6', 'addr', 'show', 'dev', 'llb0'))?.[1] ?? '';
        } catch {
          // llb0 is not there yet
        }
      }
      expect(global, `no address from the simulated router; output so far:\n${run.stdout}${run.stderr}`).toMatch(/^2001:db8:77:/);
      const mac = ns.mac('llb0');

      const end = await run.exited;
      expect(end.code, end.stderr).toBe(0);
      const result = JSON.parse(end.stdout) as { passed: boolean; frames: { sent: number } };
      expect(result.passed).toBe(true);

      // The capture: the kernel's RS (from its MAC) and the router's RA with the prefix.
      const cap = pcapng.read(new Uint8Array(readFileSync(pcap)));
      const decoded = cap.packets.map((p) => packet.decode(p.data));
      const rs = decoded.filter((p) => p.icmpv6?.kind === 'router-solicit' && String(p.ethernet?.src) === mac);
      const ra = decoded.filter((p) => p.icmpv6?.kind === 'router-advert' && String(p.ethernet?.src) === '02:00:5e:00:53:01');
      expect(rs.length).toBeGreaterThan(0);
      expect(ra.length).toBeGreaterThan(0);
      expect(JSON.stringify(ra[0].icmpv6)).toContain('2001:db8:77::');
      // The same seen by tshark.
      expect(tsharkFields(pcap, `icmpv6.type == 133 && eth.src == ${mac}`, ['ipv6.src']).length).toBeGreaterThan(0);
      const prefixes = tsharkFields(pcap, 'icmpv6.type == 134', ['icmpv6.opt.prefix']).map((f) => f[0]);
      expect(prefixes).toContain('2001:db8:77::');
      // linklab created llb0 (it did not exist) and it went away with linklab.
      expect(() => ns.ip('link', 'show', 'llb0')).toThrowError(/does not exist/);
    } finally {
      ns.delete();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a bad --bridge value and an unknown segment', async () => {
    const ns = Netns.create();
    const dir = mkdtempSync(join(tmpdir(), 'll-bridge-'));
    try {
      const topo = join(dir, 'bridge-ra.yaml');
      writeFileSync(topo, TOPOLOGY);
      const bad = await ns.spawn([process.execPath, '--import', 'tsx', ENTRY, 'sim:run', topo, '--bridge', 'lan']).exited;
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('--bridge: expected SEGMENT=TAPNAME, got "lan"');
      const unknown = await ns.spawn([process.execPath, '--import', 'tsx', ENTRY, 'sim:run', topo, '--bridge', 'wan=llb0']).exited;
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('--bridge wan=llb0: no segment "wan" in the topology (segments: lan)');
    } finally {
      ns.delete();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

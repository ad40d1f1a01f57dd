/**
 * `linklab sim` as a user runs it: separate processes, files on disk, exit codes, and captures
 * that tshark reads.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, REPO } from './helpers/cli.js';
import { tierAvailable } from '../helpers/tier.js';

const dir = mkdtempSync(join(tmpdir(), 'linklab-sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('linklab sim run', () => {
  it('gives byte-identical pcapng and trace for the same file and seed, in two processes', () => {
    const out = ['a', 'b'].map((n) => {
      const pcap = join(dir, `ra-${n}.pcapng`);
      const trace = join(dir, `ra-${n}.jsonl`);
      const r = cli('sim:run', ['sim/topologies/ra-lossy.yaml', '--seed', '3', '--pcap', pcap, '--trace', trace]);
      expect(r.stderr).toBe('');
      return { pcap: sha256(pcap), trace: sha256(trace), stdout: r.stdout, status: r.status };
    });
    expect(out[1]).toEqual(out[0]);
    expect(out[0].status).toBe(0);
    const other = join(dir, 'ra-seed4.jsonl');
    cli('sim:run', ['sim/topologies/ra-lossy.yaml', '--seed', '4', '--trace', other]);
    expect(sha256(other)).not.toBe(out[0].trace);
  });

  it('writes a capture in which tshark shows the hosts\' RS and DAD NS and the router\'s RA, per node:iface', () => {
    if (!tierAvailable('test/sim/cli.test.ts (tshark)', { commands: ['tshark'] })) return;
    const pcap = join(dir, 'ra-basic.pcapng');
    const r = cli('sim:run', ['sim/topologies/ra-basic.yaml', '--seed', '1', '--pcap', pcap]);
    expect(r.status).toBe(0);
    const rows = execFileSync('tshark', ['-r', pcap, '-Y', 'icmpv6', '-T', 'fields', '-E', 'separator=|', '-e', 'frame.interface_name', '-e', 'ipv6.src', '-e', 'icmpv6.type'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split('\n')
      .map((l) => l.split('|'));
    const sent = (iface: string, type: string, src?: string) => rows.some((x) => x[0] === iface && x[2] === type && (src === undefined || x[1] === src));
    for (const h of ['h1', 'h2', 'h3']) {
      expect(sent(`${h}:eth0`, '133'), `${h} RS`).toBe(true);
      expect(sent(`${h}:eth0`, '135', '::'), `${h} DAD NS (from ::)`).toBe(true);
      expect(sent(`${h}:eth0`, '134', 'fe80::ff:fe00:1'), `${h} hears the RA`).toBe(true);
    }
    expect(sent('r1:eth0', '134', 'fe80::ff:fe00:1')).toBe(true);
    const names = execFileSync('tshark', ['-r', pcap, '-T', 'fields', '-e', 'frame.interface_name'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect([...new Set(names.trim().split('\n'))].sort()).toEqual(['h1:eth0', 'h2:eth0', 'h3:eth0', 'r1:eth0']);
  });

  it('without a file runs the built-in RA topology and says how each expectation went', () => {
    const r = cli('sim:run', []);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^linklab sim: ra-basic \(built-in\), seed 1, 30s of virtual time\n/);
    expect(r.stdout).toContain('  PASS  h* each have an address in 2001:db8:1::/64 by 10s: all 3');
    expect(r.stdout).toContain('5 of 5 expectations passed');
  });

  it('exits 1 when an expectation fails, and --json reports why', () => {
    const r = cli('sim:run', ['test/sim/fixtures/flaky-ra.yaml', '--seed', '1', '--json', '--until', '3s']);
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.until).toBe(3_000_000);
    expect(j.passed).toBe(false);
    expect(j.expectations[0]).toMatchObject({ kind: 'address', pass: false });
  });

  it('names the file, line and column of each problem in a malformed topology, and exits 1', () => {
    const r = cli('sim:run', ['test/sim/fixtures/broken.yaml']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('linklab: test/sim/fixtures/broken.yaml:2:24: segments.lan.faults.loss: expected a probability from 0 to 1, or a range {min, max} picked per seed, got "30%"\n');
  });

  it('names a bad flag value', () => {
    const r = cli('sim:run', ['sim/topologies/ra-basic.yaml', '--until', 'soon']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('linklab: --until: expected a duration such as "30s" or "500ms", got "soon"\n');
    const z = cli('sim:run', ['sim/topologies/ra-basic.yaml', '--zero', 'lan.loss']);
    expect(z.status).toBe(1);
    expect(z.stderr).toBe('linklab: there is no fault "lan.loss" to zero (the file sets none)\n');
  });
});

describe('linklab sim validate and schema', () => {
  it('validates every shipped topology', () => {
    const files = ['ra-basic', 'ra-lossy', 'two-routers', 'link-flap', 'arp-1000-hosts'].map((f) => `sim/topologies/${f}.yaml`);
    const r = cli('sim:validate', files);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(files.length);
    expect(r.stdout).toContain('sim/topologies/arp-1000-hosts.yaml: ok (1 segment, 1001 nodes (host), 0 timed events, 4 expectations)');
  });

  it('reports each problem of a bad file after checking the schema and the names', () => {
    const bad = join(dir, 'refs.yaml');
    const text = readFileSync(join(REPO, 'test/sim/fixtures/broken.yaml'), 'utf8').replace('30%', '0.3');
    execFileSync('sh', ['-c', `cat > ${bad}`], { input: text });
    const r = cli('sim:validate', [bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`linklab: ${bad}:8:21: events[0].crash: no node "h2"\n`);
  });

  it('prints the schema that is shipped', () => {
    const r = cli('sim:schema', []);
    expect(r.stdout).toBe(readFileSync(join(REPO, 'schema/topology.schema.json'), 'utf8'));
  });
});

describe('linklab sim explore', () => {
  it('lists failing seeds with replay commands, shrinks the first, and the replay reproduces it', () => {
    const r = cli('sim:explore', ['test/sim/fixtures/flaky-ra.yaml', '--seeds', '8', '--workers', '2']);
    expect(r.status).toBe(1);
    const m = /^explored 8 seeds of flaky-ra \(test\/sim\/fixtures\/flaky-ra.yaml\): (\d+) passed, (\d+) failed\n/.exec(r.stdout);
    expect(m).not.toBeNull();
    expect(Number(m![1]) + Number(m![2])).toBe(8);
    expect(Number(m![2])).toBeGreaterThan(0);
    const replays = [...r.stdout.matchAll(/^ {4}replay: (linklab sim run .*)$/gm)].map((x) => x[1]);
    expect(replays.length).toBe(Number(m![2]));
    const shrunk = /^shrunk seed (\d+) in \d+ runs; the minimal fault schedule that still fails:\n((?: {2}.*\n)+)/m.exec(r.stdout);
    expect(shrunk, r.stdout).not.toBeNull();
    expect(shrunk![2]).toContain('  fault lan.loss\n');
    expect(shrunk![2]).not.toMatch(/^ {2}event /m);
    const replay = /^ {2}replay: linklab sim run (.*)$/m.exec(shrunk![2])![1].split(' ');
    expect(replay).toEqual(['test/sim/fixtures/flaky-ra.yaml', '--seed', shrunk![1], '--drop-event', '1', '--drop-event', '2']);
    const again = cli('sim:run', replay);
    expect(again.status).toBe(1);
    expect(again.stdout).toContain('FAIL  h* each have an address in 2001:db8:1::/64 by 6s');
  });

  it('runs only its shard of the seeds, and one worker finds what two find', () => {
    const json = (args: string[]) => JSON.parse(cli('sim:explore', ['test/sim/fixtures/flaky-ra.yaml', '--json', '--no-shrink', '--seeds', '10', '--shard', '2/3', ...args]).stdout);
    const two = json(['--workers', '2']);
    expect(two.outcomes.map((o: { seed: number }) => o.seed)).toEqual([2, 5, 8]);
    const one = json(['--workers', '1']);
    expect(one.outcomes).toEqual(two.outcomes);
  });
});

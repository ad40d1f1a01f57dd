/**
 * Every file in sim/topologies runs (seed 1, its own duration) and meets every expectation it
 * states. One test per file, so a failure names the file and the expectation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTopology } from '../../src/adapters/sim/topology/load.js';
import { runSimulation } from '../../src/adapters/sim/run.js';
import { formatReport } from '../../src/adapters/sim/report.js';
import { DEFAULT_TOPOLOGY } from '../../src/adapters/sim/default-topology.js';
import { REPO } from './helpers/cli.js';

const DIR = join(REPO, 'sim', 'topologies');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('sim/topologies', () => {
  it('has the topologies the project promises', () => {
    for (const name of ['ra-basic', 'ra-lossy', 'two-routers', 'link-flap', 'arp-1000-hosts', 'isatap-underlay-basic']) expect(files).toContain(`${name}.yaml`);
    for (const name of ['arpd-gratuitous-1000', 'arpd-kernel-helper', 'arpd-negative-cache', 'arpd-miss-storm']) expect(files).toContain(`${name}.yaml`);
    for (const name of ['isatap-basic', 'isatap-failover', 'isatap-dns-change', 'isatap-link-flap', 'isatap-fuzz']) expect(files).toContain(`${name}.yaml`);
  });

  for (const f of files) {
    it(`${f}: every expectation passes (seed 1)`, () => {
      const t = loadTopology(readFileSync(join(DIR, f), 'utf8'), { file: `sim/topologies/${f}` });
      expect(t.expectations.length, 'a topology in sim/topologies states what it expects').toBeGreaterThan(0);
      const r = runSimulation(t, { seed: 1 });
      const failed = r.expectations.filter((e) => !e.pass);
      expect(failed, formatReport(r)).toEqual([]);
    });
  }

  it('the built-in topology of `linklab sim run` is ra-basic.yaml', () => {
    expect(readFileSync(join(DIR, 'ra-basic.yaml'), 'utf8')).toBe(DEFAULT_TOPOLOGY);
  });
});

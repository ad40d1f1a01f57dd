/**
 * `sim explore --report FILE`: the explore report, and beside it a run report of each failing seed
 * (FILE without .html, then `-seed-N.html`; `-seed-N-shrunk.html` for the shrunk schedule), up to a
 * limit, replayed here in the main thread (a run is a function of its seed, so it is the same run).
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Micros } from '../core/time.js';
import type { ExploreResult } from '../adapters/sim/explore/explore.js';
import { applyOverrides, describeSchedule, overrideFlags } from '../adapters/sim/overrides.js';
import type { Topology } from '../adapters/sim/topology/types.js';
import { runAndReport } from './run-report.js';
import { reportHtml } from './html.js';
import { linklabVersion } from './version.js';
import type { ExploreReportData, ExploreSeed } from './data.js';

export interface ExploreReportInput {
  path: string;
  topology: Topology;
  result: ExploreResult;
  workers: number;
  until?: Micros;
  /** The command that replays a seed (with extra flags for a shrunk schedule). */
  replay: (seed: number, extra?: string[]) => string;
  /** Run reports written for failing seeds at most. */
  runReports: number;
}

/** The file names the run reports get: beside the explore report, named by seed. */
export function runReportName(path: string, seed: number, shrunk = false): string {
  return `${basename(path).replace(/\.html?$/i, '')}-seed-${seed}${shrunk ? '-shrunk' : ''}.html`;
}

export function writeExploreReport(o: ExploreReportInput): { runReports: string[] } {
  const dir = dirname(o.path);
  const written: string[] = [];
  const notes: string[] = [];
  const t = o.topology;
  const report = (seed: number, topology: Topology, name: string, command: string): string | undefined => {
    try {
      runAndReport(topology, { seed, until: o.until }, join(dir, name), { command });
      written.push(join(dir, name));
      return name;
    } catch (err) {
      notes.push(`No run report of seed ${seed}: the run failed again (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).`);
      return undefined;
    }
  };
  const failing = o.result.failed;
  const withReport = new Set(failing.slice(0, o.runReports).map((f) => f.seed));
  if (failing.length > o.runReports) {
    notes.push(`${failing.length} seeds failed; run reports were written for the first ${o.runReports} (--report-runs). Add --report FILE to a seed's replay command for one of any other.`);
  }
  const seeds: ExploreSeed[] = o.result.outcomes.map((s) => {
    const failed = new Set(s.failures.map((f) => f.index));
    const command = o.replay(s.seed);
    const out: ExploreSeed = {
      seed: s.seed,
      passed: s.passed,
      pass: t.expectations.map((_, i) => s.error === undefined && !failed.has(i)),
      values: t.expectations.map((_, i) => s.values?.[i] ?? null),
      failures: s.failures.map((f) => ({ index: f.index, why: f.why })),
      ...(s.error ? { error: s.error } : {}),
      ...(s.passed ? {} : { command }),
    };
    if (withReport.has(s.seed)) {
      const name = report(s.seed, t, runReportName(o.path, s.seed), command);
      if (name) out.report = name;
    }
    return out;
  });
  let shrunk: ExploreReportData['shrunk'];
  if (o.result.shrunk) {
    const s = o.result.shrunk;
    const flags = overrideFlags(s.overrides);
    const command = o.replay(s.seed, flags);
    const name = report(s.seed, applyOverrides(t, s.overrides), runReportName(o.path, s.seed, true), command);
    shrunk = { seed: s.seed, runs: s.runs, schedule: describeSchedule(t, s.overrides), command, ...(name ? { report: name } : {}) };
  }
  const data: ExploreReportData = {
    report: 'explore',
    linklab: linklabVersion(),
    topology: { name: t.name, ...(t.description ? { description: t.description } : {}), file: t.file ?? t.name },
    seeds,
    expectations: t.expectations.map((e) => ({ kind: e.kind, text: e.text, ...(e.figure ? { figure: e.figure } : {}) })),
    workers: Math.min(o.workers, Math.max(1, seeds.length)),
    ...(shrunk ? { shrunk } : {}),
    notes: [...notes, ...(written.length ? [`Run reports are separate files beside this one, named by seed (${runReportName(o.path, failing[0]?.seed ?? 0)}, ...): keep them together.`] : [])],
  };
  writeFileSync(o.path, reportHtml(data, `linklab sim explore: ${t.name}`));
  return { runReports: written };
}

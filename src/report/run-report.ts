/**
 * `sim run --report FILE`: a run recorded for its report, and the page written. The run itself is
 * the same run (same events, same pcapng, same trace): the recorder only watches.
 */
import { writeFileSync } from 'node:fs';
import { Simulation, type RunOptions, type RunResult } from '../adapters/sim/run.js';
import type { Topology } from '../adapters/sim/topology/types.js';
import { RunRecorder } from './recorder.js';
import { buildRunData, type ReportLimits } from './run-data.js';
import { reportHtml } from './html.js';
import { linklabVersion } from './version.js';
import type { RunReportData } from './data.js';

export interface RunReportMeta {
  /** The command that replays the run, shown in the page. */
  command: string;
  limits?: Partial<ReportLimits>;
}

/** A Simulation whose report can be had when it is done (`report()`). */
export class ReportedSimulation {
  readonly sim: Simulation;
  private readonly recorder = new RunRecorder();

  constructor(topology: Topology, options: RunOptions) {
    this.sim = new Simulation(topology, this.recorder.options(options));
    this.recorder.attach(this.sim);
  }

  data(result: RunResult, meta: RunReportMeta): RunReportData {
    return buildRunData(this.sim, result, this.recorder, { command: meta.command, linklab: linklabVersion(), limits: meta.limits });
  }
}

export function runReportHtml(data: RunReportData): string {
  return reportHtml(data, `linklab sim run: ${data.topology.name}, seed ${data.seed}`);
}

/** Runs `topology` to the end and writes its report to `path`; returns the run's result. */
export function runAndReport(topology: Topology, options: RunOptions, path: string, meta: RunReportMeta): RunResult {
  const r = new ReportedSimulation(topology, options);
  const result = r.sim.run();
  writeFileSync(path, runReportHtml(r.data(result, meta)));
  return result;
}

import { Args, Flags } from '@oclif/core';
import { LinklabCommand } from '../../cli/command.js';
import { UsageError } from '../../cli/errors.js';
import { replayCommand } from '../../adapters/sim/replay.js';
import type { Simulation, RunOptions, RunResult } from '../../adapters/sim/run.js';
import type { FileSink } from '../../adapters/sim/output.js';

export default class SimRun extends LinklabCommand {
  static override summary = 'Run a topology in the deterministic simulator and check its expectations.';
  static override description =
    'Builds the network a topology file describes (segments, an IPv4 underlay, nodes, faults, timed events), runs it in virtual time with a seeded random source, and reports the traffic, each node and each expectation. The same file and seed give the same run, byte for byte. Without FILE, runs a built-in topology: hosts autoconfiguring IPv6 addresses from a router. Exits 1 when an expectation fails.';

  static override examples = [
    '<%= config.bin %> sim run',
    '<%= config.bin %> sim run sim/topologies/ra-basic.yaml --seed 1 --pcap out.pcapng',
    '<%= config.bin %> sim run sim/topologies/ra-lossy.yaml --seed 17 --trace run.jsonl --json',
    '<%= config.bin %> sim run sim/topologies/rtsold-basic.yaml --report run.html',
    'ip netns exec lab <%= config.bin %> sim run sim/topologies/ra-basic.yaml --bridge lan=tap0 --pcap bridged.pcapng',
  ];

  static override args = {
    file: Args.string({ description: 'topology file (YAML); default: the built-in RA topology', required: false }),
  };

  static override flags = {
    seed: Flags.integer({ description: 'the run\'s seed', default: 1, min: 0 }),
    until: Flags.string({ description: 'virtual time to run for, such as "30s" (default: the topology\'s duration)' }),
    pcap: Flags.string({ description: 'write every attachment\'s frames to this pcapng file' }),
    trace: Flags.string({ description: 'write one JSON line per event to this file' }),
    report: Flags.string({ description: 'write an HTML report of the run to this file: topology, message sequence chart, state timelines, expectations (one self-contained page)' }),
    json: Flags.boolean({ description: 'print the result as JSON instead of the summary' }),
    'drop-event': Flags.integer({ description: 'leave out timed event N (1-based, as explore prints)', multiple: true, min: 1 }),
    zero: Flags.string({ description: 'set a fault probability to zero, such as "lan.loss" (as explore prints)', multiple: true }),
    bridge: Flags.string({
      description: 'attach a real TAP device to a segment, SEGMENT=TAPNAME, and run in wall-clock mode (root; the TAP is created if missing and set up)',
      multiple: true,
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SimRun);
    // The simulator loads only when a command needs it: every linklab command shares this start-up.
    const { parseDuration } = await import('../../adapters/sim/topology/durations.js');
    const { loadTopology, loadTopologyFile } = await import('../../adapters/sim/topology/load.js');
    const { TopologyError, problemLines } = await import('../../adapters/sim/topology/errors.js');
    const { DEFAULT_TOPOLOGY } = await import('../../adapters/sim/default-topology.js');
    const { Simulation, runSimulation } = await import('../../adapters/sim/run.js');
    const { formatReport } = await import('../../adapters/sim/report.js');
    const { applyOverrides, OverrideError, overrideFlags } = await import('../../adapters/sim/overrides.js');
    const { FileSink, OutputFileError } = await import('../../adapters/sim/output.js');
    let until: number | undefined;
    if (flags.until !== undefined) {
      const d = parseDuration(flags.until);
      if (d === null || d <= 0) throw new UsageError(`--until: expected a duration such as "30s" or "500ms", got ${JSON.stringify(flags.until)}`);
      until = d;
    }
    let topology;
    try {
      topology = args.file === undefined ? loadTopology(DEFAULT_TOPOLOGY, { file: 'built-in' }) : await loadTopologyFile(args.file);
      topology = applyOverrides(topology, { dropEvents: flags['drop-event'], zero: flags.zero });
    } catch (err) {
      if (err instanceof TopologyError) throw new UsageError(problemLines(err).join('\nlinklab: '));
      if (err instanceof OverrideError) throw new UsageError(err.message);
      throw err;
    }
    let pcap: FileSink | undefined;
    let trace: FileSink | undefined;
    let report: FileSink | undefined;
    let opening = 'pcap';
    try {
      pcap = flags.pcap ? new FileSink(flags.pcap) : undefined;
      opening = 'trace';
      trace = flags.trace ? new FileSink(flags.trace) : undefined;
      opening = 'report';
      report = flags.report ? new FileSink(flags.report) : undefined;
    } catch (err) {
      if (err instanceof OutputFileError) throw new UsageError(`--${opening} ${err.message}`);
      throw err;
    }
    let result;
    const options: RunOptions = {
      seed: flags.seed,
      until,
      pcap: pcap ? (c) => pcap.write(c) : undefined,
      trace: trace ? (l) => trace.line(l) : undefined,
    };
    try {
      if (report) {
        // The report watches the same run: its pcapng and trace are those of a run without it.
        const { ReportedSimulation, runReportHtml } = await import('../../report/run-report.js');
        const reported = new ReportedSimulation(topology, options);
        result = flags.bridge?.length ? await this.bridged(reported.sim, flags.bridge) : reported.sim.run();
        const command = replayCommand({ file: args.file, seed: flags.seed, until: flags.until, extra: overrideFlags({ dropEvents: flags['drop-event'], zero: flags.zero }) });
        report.write(new TextEncoder().encode(runReportHtml(reported.data(result, { command }))));
      } else {
        result = flags.bridge?.length ? await this.bridged(new Simulation(topology, options), flags.bridge) : runSimulation(topology, options);
      }
    } catch (err) {
      if (err instanceof TopologyError) throw new UsageError(problemLines(err).join('\nlinklab: '));
      throw err;
    } finally {
      pcap?.close();
      trace?.close();
      report?.close();
    }
    process.stdout.write(flags.json ? JSON.stringify(result) + '\n' : formatReport(result));
    if (!result.passed) this.exit(1);
  }

  /** Wall-clock mode with TAP devices bridged in (the Linux adapter is loaded only for this). */
  private async bridged(sim: Simulation, specs: string[]): Promise<RunResult> {
    const { runBridged, parseBridge, BridgeError } = await import('../../adapters/linux/tap-bridge.js');
    try {
      const run = await runBridged(sim, specs.map(parseBridge));
      const stop = (): void => run.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        return await run.done;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    } catch (err) {
      if (err instanceof BridgeError) throw new UsageError(err.message);
      throw err;
    }
  }
}

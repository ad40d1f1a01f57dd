import { Args, Flags } from '@oclif/core';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { LinklabCommand } from '../../cli/command.js';
import { UsageError } from '../../cli/errors.js';
import { replayCommand } from '../../cli/replay.js';

export default class SimExplore extends LinklabCommand {
  static override summary = 'Run a topology with many seeds in parallel; list failing seeds and shrink the first failure.';
  static override description =
    'Runs seeds FROM..FROM+N-1 across worker threads (a progress bar on stderr when it is a terminal). Each failing seed is listed with the command that replays it. The first failing seed is then shrunk: timed events are dropped and fault probabilities set to zero, one at a time, while the same expectation still fails; the minimal schedule is printed with its replay command. Exits 1 when any seed fails.';

  static override examples = [
    '<%= config.bin %> sim explore sim/topologies/ra-lossy.yaml --seeds 200',
    '<%= config.bin %> sim explore sim/topologies/link-flap.yaml --seeds 1000 --workers 2 --shard 1/4',
    '<%= config.bin %> sim explore sim/topologies/ra-lossy.yaml --seeds 50 --report explore.html',
  ];

  static override args = {
    file: Args.string({ description: 'topology file (YAML)', required: true }),
  };

  static override flags = {
    seeds: Flags.integer({ description: 'how many seeds to run', required: true, min: 1 }),
    from: Flags.integer({ description: 'the first seed', default: 1, min: 0 }),
    workers: Flags.integer({ description: 'worker threads (default: one per core)', min: 1 }),
    shard: Flags.string({ description: 'run only shard I of N of the seeds, as "I/N" (1-based)' }),
    until: Flags.string({ description: 'virtual time per run, such as "30s" (default: the topology\'s duration)' }),
    shrink: Flags.boolean({ description: 'shrink the first failing seed\'s fault schedule', default: true, allowNo: true }),
    json: Flags.boolean({ description: 'print the outcome as JSON' }),
    report: Flags.string({ description: 'write an HTML report of the exploration to this file, and beside it a run report of each failing seed (FILE-seed-N.html)' }),
    'report-runs': Flags.integer({ description: 'run reports written for failing seeds at most', default: 20, min: 0 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SimExplore);
    // The simulator and the progress bar load only when this command runs.
    const { default: cliProgress } = await import('cli-progress');
    const { explore, seedList } = await import('../../adapters/sim/explore/explore.js');
    const { loadTopology } = await import('../../adapters/sim/topology/load.js');
    const { TopologyError, problemLines } = await import('../../adapters/sim/topology/errors.js');
    const { parseDuration } = await import('../../adapters/sim/topology/durations.js');
    const { describeSchedule, faultKnobs, overrideFlags } = await import('../../adapters/sim/overrides.js');
    let shard: { index: number; of: number } | undefined;
    if (flags.shard !== undefined) {
      const m = /^([0-9]+)\/([0-9]+)$/.exec(flags.shard);
      if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard: expected I/N with 1 <= I <= N, such as "1/4", got ${JSON.stringify(flags.shard)}`);
      shard = { index: Number(m[1]), of: Number(m[2]) };
    }
    let until: number | undefined;
    if (flags.until !== undefined) {
      const d = parseDuration(flags.until);
      if (d === null || d <= 0) throw new UsageError(`--until: expected a duration such as "30s", got ${JSON.stringify(flags.until)}`);
      until = d;
    }
    let text: string;
    try {
      text = await readFile(args.file, 'utf8');
    } catch (err) {
      throw new UsageError(`${args.file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`);
    }
    let topology;
    try {
      topology = loadTopology(text, { file: args.file });
    } catch (err) {
      if (err instanceof TopologyError) throw new UsageError(problemLines(err).join('\nlinklab: '));
      throw err;
    }
    if (flags.report) {
      // Fail now, not after the exploration, when the report cannot be written.
      const { FileSink, OutputFileError } = await import('../../adapters/sim/output.js');
      try {
        new FileSink(flags.report).close();
      } catch (err) {
        if (err instanceof OutputFileError) throw new UsageError(`--report ${err.message}`);
        throw err;
      }
    }
    const seeds = seedList(flags.from, flags.seeds, shard);
    const workers = flags.workers ?? availableParallelism();
    const bar = process.stderr.isTTY && !flags.json ? new cliProgress.SingleBar({ stream: process.stderr, format: 'exploring {bar} {value}/{total} seeds, {failed} failed, {eta_formatted} left', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
    let failedSoFar = 0;
    bar?.start(seeds.length, 0, { failed: 0 });
    let result;
    try {
      result = await explore({
        file: args.file,
        text,
        seeds,
        workers,
        until,
        shrink: flags.shrink,
        onSeed: (o, done) => {
          if (!o.passed) failedSoFar++;
          bar?.update(done, { failed: failedSoFar });
        },
      });
    } finally {
      bar?.stop();
    }
    const replay = (seed: number, extra: string[] = []): string => replayCommand({ file: args.file, seed, until: flags.until, extra });
    if (flags.report) {
      const { writeExploreReport } = await import('../../report/explore-report.js');
      const { runReports } = writeExploreReport({ path: flags.report, topology, result, workers, until, replay, runReports: flags['report-runs'] });
      if (!flags.json) process.stderr.write(`linklab: wrote ${flags.report}${runReports.length ? ` and ${runReports.length} run report${runReports.length === 1 ? '' : 's'} beside it` : ''}\n`);
    }
    if (flags.json) {
      process.stdout.write(JSON.stringify({ ...result, replay: result.failed.map((f) => ({ seed: f.seed, command: replay(f.seed) })) }) + '\n');
    } else {
      const out: string[] = [];
      out.push(`explored ${seeds.length} seed${seeds.length === 1 ? '' : 's'} of ${topology.name} (${args.file}) with ${Math.min(workers, seeds.length)} worker${workers === 1 ? '' : 's'}: ${seeds.length - result.failed.length} passed, ${result.failed.length} failed`);
      const LIST = 20;
      if (result.failed.length) out.push('', 'failing seeds');
      for (const f of result.failed.slice(0, LIST)) {
        if (f.error) out.push(`  seed ${f.seed}: the run crashed: ${f.error.split('\n')[0]}`);
        for (const x of f.failures) out.push(`  seed ${f.seed}: FAIL ${x.text}: ${x.why}`);
        out.push(`    replay: ${replay(f.seed)}`);
      }
      if (result.failed.length > LIST) out.push(`  ... and ${result.failed.length - LIST} more (--json lists them all)`);
      if (result.shrunk) {
        const s = result.shrunk;
        const nothingLeft = s.overrides.dropEvents.length === topology.events.length && s.overrides.zero.length === faultKnobs(topology).length;
        out.push('', `shrunk seed ${s.seed} in ${s.runs} runs; the minimal fault schedule that still fails:`);
        out.push(...describeSchedule(topology, s.overrides));
        if (nothingLeft) out.push('  (it fails with no timed events and no random faults: look at the topology or the nodes, not the faults)');
        out.push(`  replay: ${replay(s.seed, overrideFlags(s.overrides))}`);
      }
      process.stdout.write(out.join('\n') + '\n');
    }
    if (result.failed.length > 0) this.exit(1);
  }
}

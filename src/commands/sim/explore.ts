import { Args, Flags } from '@oclif/core';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { LinklabCommand } from '../../cli/command.js';
import { UsageError } from '../../cli/errors.js';

export default class SimExplore extends LinklabCommand {
  static override summary = 'Run a topology with many seeds in parallel; list failing seeds and shrink the first failure.';
  static override description =
    'Runs seeds FROM..FROM+N-1 across worker threads, or with --queue on `linklab sim worker` processes on any number of machines (a progress bar on stderr when it is a terminal). Each failing seed is listed with the command that replays it. The first failing seed is then shrunk: timed events are dropped and fault probabilities set to zero, one at a time, while the same expectation still fails; the minimal schedule is printed with its replay command. A queued exploration prints the same report as a local one, then how many workers took part; if the coordinator stops, --resume ID picks the exploration up. Exits 1 when any seed fails.';

  static override examples = [
    '<%= config.bin %> sim explore sim/topologies/ra-lossy.yaml --seeds 200',
    '<%= config.bin %> sim explore sim/topologies/link-flap.yaml --seeds 1000 --workers 2 --shard 1/4',
    '<%= config.bin %> sim explore sim/topologies/ra-lossy.yaml --seeds 50 --report explore.html',
    '<%= config.bin %> sim explore sim/topologies/ra-lossy.yaml --seeds 100000 --queue redis://:PASSWORD@queue.example:6379/0',
    '<%= config.bin %> sim explore --queue redis://queue.example:6379 --resume 3f2a9c41d07e',
  ];

  static override args = {
    file: Args.string({ description: 'topology file (YAML); with --resume it may be left out' }),
  };

  static override flags = {
    seeds: Flags.integer({ description: 'how many seeds to run (required, but for --resume)', min: 1 }),
    from: Flags.integer({ description: 'the first seed', default: 1, min: 0 }),
    workers: Flags.integer({ description: 'worker threads (default: one per core)', min: 1 }),
    shard: Flags.string({ description: 'run only shard I of N of the seeds, as "I/N" (1-based)' }),
    until: Flags.string({ description: 'virtual time per run, such as "30s" (default: the topology\'s duration)' }),
    shrink: Flags.boolean({ description: 'shrink the first failing seed\'s fault schedule', default: true, allowNo: true }),
    json: Flags.boolean({ description: 'print the outcome as JSON' }),
    report: Flags.string({ description: 'write an HTML report of the exploration to this file, and beside it a run report of each failing seed (FILE-seed-N.html)' }),
    'report-runs': Flags.integer({ description: 'run reports written for failing seeds at most', default: 20, min: 0 }),
    queue: Flags.string({ description: 'run the seeds on `linklab sim worker` processes through this Redis, as redis://[USER:PASSWORD@]HOST[:PORT][/DB] (rediss:// for TLS)' }),
    resume: Flags.string({ description: 'with --queue: wait for the exploration with this id again (after the coordinator stopped) and print its report' }),
    batch: Flags.integer({ description: 'with --queue: seeds per job (default: 10, fewer for small explorations)', min: 1 }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SimExplore);
    // The simulator and the progress bar load only when this command runs.
    const { runSeeds, finishExploration, seedList } = await import('../../adapters/sim/explore/explore.js');
    const { reportJson, reportText } = await import('../../adapters/sim/explore/report.js');
    const { exploreBar } = await import('../../cli/explore/progress.js');
    const { loadTopology } = await import('../../adapters/sim/topology/load.js');
    const { TopologyError, problemLines } = await import('../../adapters/sim/topology/errors.js');
    const { parseDuration } = await import('../../adapters/sim/topology/durations.js');
    if (flags.resume !== undefined && flags.queue === undefined) throw new UsageError('--resume: needs --queue (the exploration is kept in Redis)');
    if (flags.batch !== undefined && flags.queue === undefined) throw new UsageError('--batch: needs --queue');
    if (flags.workers !== undefined && flags.queue !== undefined) throw new UsageError('--workers: with --queue, each `linklab sim worker --workers N` sets its own threads');
    if (flags.resume === undefined && args.file === undefined) throw new UsageError('missing the topology FILE');
    if (flags.resume === undefined && flags.seeds === undefined) throw new UsageError('--seeds: required (how many seeds to run)');
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
    const load = (file: string, text: string) => {
      try {
        return loadTopology(text, { file });
      } catch (err) {
        if (err instanceof TopologyError) throw new UsageError(problemLines(err).join('\nlinklab: '));
        throw err;
      }
    };
    let text: string | undefined;
    if (args.file !== undefined) {
      try {
        text = await readFile(args.file, 'utf8');
      } catch (err) {
        throw new UsageError(`${args.file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`);
      }
      load(args.file, text); // a bad file fails here, before any seed runs
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

    let run: { file: string; text: string; until?: number; untilText?: string; outcomes: Awaited<ReturnType<typeof runSeeds>>; workers: number; after?: string; queue?: { exploration: string; workers: number } };
    if (flags.queue !== undefined) {
      const { exploreQueued } = await import('../../cli/explore/queue.js');
      const seedFlags = flags.seeds === undefined ? {} : { from: flags.from, count: flags.seeds, shard };
      const q = await exploreQueued({
        url: flags.queue,
        version: this.config.version,
        json: flags.json,
        ...(flags.resume === undefined
          ? { create: { file: args.file!, text: text!, until, untilText: flags.until, from: flags.from, count: flags.seeds!, shard, batch: flags.batch } }
          : { resume: flags.resume, expect: { sha256: text === undefined ? undefined : createHash('sha256').update(text).digest('hex'), until, ...seedFlags } }),
      });
      const m = q.meta;
      run = { file: m.file, text: m.text, until: m.until, untilText: m.untilText, outcomes: q.outcomes, workers: q.tookPart, after: q.line, queue: { exploration: m.id, workers: q.tookPart } };
    } else {
      const seeds = seedList(flags.from, flags.seeds!, shard);
      const bar = exploreBar(seeds.length, { json: flags.json, queue: false });
      let failedSoFar = 0;
      const workers = flags.workers ?? availableParallelism();
      try {
        const outcomes = await runSeeds({
          file: args.file!,
          text: text!,
          seeds,
          workers,
          until,
          onSeed: (o, done) => bar?.update(done, o.passed ? failedSoFar : ++failedSoFar),
        });
        run = { file: args.file!, text: text!, until, untilText: flags.until, outcomes, workers };
      } finally {
        bar?.stop();
      }
    }

    const topology = load(run.file, run.text);
    const result = finishExploration(topology, run.outcomes, { shrink: flags.shrink, until: run.until });
    const report = { file: run.file, until: run.untilText, topology, result };
    if (flags.report) {
      const { writeExploreReport } = await import('../../report/explore-report.js');
      const { replayCommand } = await import('../../adapters/sim/replay.js');
      const replay = (seed: number, extra: string[] = []): string => replayCommand({ file: run.file, seed, until: run.untilText, extra });
      const { runReports } = writeExploreReport({ path: flags.report, topology, result, workers: run.workers, until: run.until, replay, runReports: flags['report-runs'] });
      if (!flags.json) process.stderr.write(`linklab: wrote ${flags.report}${runReports.length ? ` and ${runReports.length} run report${runReports.length === 1 ? '' : 's'} beside it` : ''}\n`);
    }
    if (flags.json) process.stdout.write(JSON.stringify({ ...reportJson(report), ...(run.queue ? { queue: run.queue } : {}) }) + '\n');
    else process.stdout.write(reportText(report) + (run.after ?? ''));
    if (result.failed.length > 0) this.exit(1);
  }
}

import { Flags } from '@oclif/core';
import { availableParallelism } from 'node:os';
import { LinklabCommand } from '../../cli/command.js';
import { UsageError } from '../../cli/errors.js';

export default class SimWorker extends LinklabCommand {
  static override summary = 'Run seeds of queued explorations (`linklab sim explore --queue`) until stopped.';
  static override description =
    'Takes batches of seeds from the queue in Redis, runs them on worker threads and records each seed\'s outcome; any number of workers on any number of machines may serve one queue. The topology comes with each batch, so workers need no shared files. A batch of another linklab version is refused (with a message, here and on the coordinator), never run. SIGTERM or SIGINT: the batches in hand are finished, then the worker exits 0. A worker killed outright loses nothing: its batch is locked for --lock-duration after its last renewal, then another worker takes it.';

  static override examples = ['<%= config.bin %> sim worker --queue redis://:PASSWORD@queue.example:6379/0 --workers 8'];

  static override flags = {
    queue: Flags.string({
      description: 'the Redis the coordinator uses: redis://[USER:PASSWORD@]HOST[:PORT][/DB] (rediss:// for TLS); from $LINKLAB_QUEUE when not given, which keeps a password out of the process list',
      env: 'LINKLAB_QUEUE',
      required: true,
    }),
    workers: Flags.integer({ description: 'worker threads, each running one seed at a time (default: one per core)', min: 1 }),
    'lock-duration': Flags.string({ description: 'how long a batch stays locked to this worker without a renewal (renewed every half of it)', default: '10s' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SimWorker);
    const { parseDuration } = await import('../../adapters/sim/topology/durations.js');
    const { queueTarget, queueUsageError } = await import('../../cli/explore/queue.js');
    const { startQueueWorker } = await import('../../adapters/queue/worker.js');
    const lock = parseDuration(flags['lock-duration']);
    if (lock === null || lock < 2_000_000) throw new UsageError(`--lock-duration: expected a duration of at least 2s, such as "10s", got ${JSON.stringify(flags['lock-duration'])}`);
    const target = queueTarget(flags.queue);
    const log = (line: string): void => void process.stderr.write(`linklab sim worker: ${line}\n`);
    let worker;
    try {
      worker = await startQueueWorker({ target, threads: flags.workers ?? availableParallelism(), version: this.config.version, lockMs: Math.round(lock / 1000), log });
    } catch (err) {
      throw queueUsageError(err);
    }
    const signal = await new Promise<string>((resolve) => {
      for (const s of ['SIGTERM', 'SIGINT'] as const) process.once(s, () => resolve(s));
    });
    log(`${signal}: finishing the batches in hand`);
    await worker.stop();
    log('stopped');
  }
}

/**
 * A pool of worker threads running seeds. Tasks go to whichever worker is free; results come back
 * in completion order, and the caller sorts them by seed, so the report does not depend on timing.
 * One pool serves any number of topologies: each task names its setup, and a thread is sent the
 * setup only when it holds another one.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Micros } from '../../../core/time.js';
import type { SeedOutcome, SeedTask, ThreadMessage, ThreadReply, WorkerSetup } from './protocol.js';

/** The setup of one topology, keyed by its content, name and run length. */
export function workerSetup(file: string, text: string, until?: Micros): WorkerSetup {
  const key = createHash('sha256').update(text).update(`\0${file}\0${until ?? ''}`).digest('hex');
  return { key, file, text, until };
}

/**
 * The worker next to this module: worker.js when built. Run from source (tests, tsx), Node 20's
 * workers do not inherit tsx's ESM hooks, so a small script loads worker.ts through tsx's
 * require API instead.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url));
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const file = fileURLToPath(new URL('./worker.ts', import.meta.url));
  return new Worker(`require(${JSON.stringify(tsx)}).require(${JSON.stringify(file)}, __filename)`, { eval: true });
}

interface Thread {
  worker: Worker;
  /** The setup this thread holds. */
  key?: string;
}

interface Job {
  setup: WorkerSetup;
  task: SeedTask;
  resolve: (o: SeedOutcome) => void;
  reject: (e: Error) => void;
}

export class SeedPool {
  private readonly threads: Thread[] = [];
  private readonly idle: Thread[] = [];
  private readonly queue: Job[] = [];
  private readonly pending = new Map<number, Job>();
  private nextRef = 0;
  private failed?: Error;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const t: Thread = { worker: startWorker() };
      t.worker.on('message', (r: ThreadReply) => {
        const job = this.pending.get(r.ref);
        this.pending.delete(r.ref);
        this.release(t);
        job?.resolve(r.outcome);
      });
      t.worker.on('error', (err) => this.fail(err));
      t.worker.on('exit', (code) => {
        if (code !== 0 && this.pending.size > 0) this.fail(new Error(`an explore worker exited with code ${code}`));
      });
      this.threads.push(t);
      this.idle.push(t);
    }
  }

  run(setup: WorkerSetup, task: SeedTask): Promise<SeedOutcome> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      const job = { setup, task, resolve, reject };
      const t = this.idle.pop();
      if (t) this.send(t, job);
      else this.queue.push(job);
    });
  }

  private send(t: Thread, job: Job): void {
    const ref = this.nextRef++;
    this.pending.set(ref, job);
    const m: ThreadMessage = { ref, task: job.task, ...(t.key === job.setup.key ? {} : { setup: job.setup }) };
    t.key = job.setup.key;
    t.worker.postMessage(m);
  }

  private release(t: Thread): void {
    const next = this.queue.shift();
    if (next) this.send(t, next);
    else this.idle.push(t);
  }

  private fail(err: Error): void {
    this.failed = err;
    for (const job of [...this.pending.values(), ...this.queue]) job.reject(err);
    this.pending.clear();
    this.queue.length = 0;
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}

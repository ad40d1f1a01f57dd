/**
 * A pool of worker threads running seeds. Tasks go to whichever worker is free; results come back
 * in completion order, and the caller sorts them by seed, so the report does not depend on timing.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { SeedOutcome, SeedTask, WorkerSetup } from './protocol.js';

/**
 * The worker next to this module: worker.js when built. Run from source (tests, tsx), Node 20's
 * workers do not inherit tsx's ESM hooks, so a small script loads worker.ts through tsx's
 * require API instead.
 */
function startWorker(setup: WorkerSetup): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData: setup });
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const file = fileURLToPath(new URL('./worker.ts', import.meta.url));
  return new Worker(`require(${JSON.stringify(tsx)}).require(${JSON.stringify(file)}, __filename)`, { eval: true, workerData: setup });
}

export class SeedPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: SeedTask[] = [];
  private readonly pending = new Map<number, { resolve: (o: SeedOutcome) => void; reject: (e: Error) => void }>();
  private failed?: Error;

  constructor(size: number, setup: WorkerSetup) {
    for (let i = 0; i < size; i++) {
      const w = startWorker(setup);
      w.on('message', (o: SeedOutcome) => {
        const p = this.pending.get(o.id);
        this.pending.delete(o.id);
        this.release(w);
        p?.resolve(o);
      });
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (code !== 0 && this.pending.size > 0) this.fail(new Error(`an explore worker exited with code ${code}`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  run(task: SeedTask): Promise<SeedOutcome> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending.set(task.id, { resolve, reject });
      const w = this.idle.pop();
      if (w) w.postMessage(task);
      else this.queue.push(task);
    });
  }

  private release(w: Worker): void {
    const next = this.queue.shift();
    if (next) w.postMessage(next);
    else this.idle.push(w);
  }

  private fail(err: Error): void {
    this.failed = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

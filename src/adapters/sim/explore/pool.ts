/**
 * A pool of worker threads running seeds. Tasks go to whichever worker is free; results come back
 * in completion order, and the caller sorts them by seed, so the report does not depend on timing.
 */
import { Worker } from 'node:worker_threads';
import type { SeedOutcome, SeedTask, WorkerSetup } from './protocol.js';

/** The worker module next to this one: worker.js when built, worker.ts when run from source. */
function workerModule(): { url: URL; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url);
  // From source (tests, tsx), the worker needs the TypeScript loader too.
  return { url, execArgv: fromSource ? [...process.execArgv.filter((a) => a !== '--import' && a !== 'tsx'), '--import', 'tsx'] : process.execArgv };
}

export class SeedPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: SeedTask[] = [];
  private readonly pending = new Map<number, { resolve: (o: SeedOutcome) => void; reject: (e: Error) => void }>();
  private failed?: Error;

  constructor(size: number, setup: WorkerSetup) {
    const { url, execArgv } = workerModule();
    for (let i = 0; i < size; i++) {
      const w = new Worker(url, { workerData: setup, execArgv });
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

/**
 * The progress bar of `linklab sim explore`, on stderr when it is a terminal and the output is
 * not --json: seeds done, failures, rate and time left; for a queued run also the workers
 * connected to the queue.
 */
import cliProgress from 'cli-progress';

export interface ExploreBar {
  update(done: number, failed: number, workers?: number): void;
  stop(): void;
}

export function exploreBar(total: number, o: { json: boolean; queue: boolean }): ExploreBar | undefined {
  if (!process.stderr.isTTY || o.json) return undefined;
  const format = `exploring {bar} {value}/{total} seeds, {failed} failed, {rate} seeds/s${o.queue ? ', workers: {workers}' : ''}, {eta_formatted} left`;
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format, hideCursor: true, etaBuffer: 50 }, cliProgress.Presets.shades_classic);
  const t0 = Date.now();
  let first: number | undefined;
  bar.start(total, 0, { failed: 0, rate: '-', workers: 0 });
  return {
    update(done, failed, workers = 0) {
      first ??= done; // a resumed run's rate counts only the seeds done since it started
      const s = (Date.now() - t0) / 1000;
      bar.update(done, { failed, workers, rate: s > 0.5 ? ((done - first) / s).toFixed(1) : '-' });
    },
    stop: () => bar.stop(),
  };
}

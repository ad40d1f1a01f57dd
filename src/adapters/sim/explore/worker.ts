/** A worker thread of `explore`: loads the topology once, then runs the seeds it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadTopology } from '../topology/load.js';
import type { SeedTask, WorkerSetup } from './protocol.js';
import { runSeed } from './run-seed.js';

const setup = workerData as WorkerSetup;
const topology = loadTopology(setup.text, { file: setup.file });

parentPort!.on('message', (task: SeedTask) => {
  parentPort!.postMessage(runSeed(topology, task, setup.until));
});

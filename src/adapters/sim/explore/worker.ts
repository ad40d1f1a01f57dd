/**
 * A worker thread of `explore`: runs the seeds it is sent. It keeps the topology it loaded last,
 * so the seeds of one exploration parse the file once; a task of another exploration comes with
 * its setup.
 */
import { parentPort } from 'node:worker_threads';
import type { Micros } from '../../../core/time.js';
import { loadTopology } from '../topology/load.js';
import type { Topology } from '../topology/types.js';
import type { ThreadMessage, ThreadReply } from './protocol.js';
import { runSeed } from './run-seed.js';

let current: { topology: Topology; until?: Micros } | undefined;

parentPort!.on('message', (m: ThreadMessage) => {
  if (m.setup) current = { topology: loadTopology(m.setup.text, { file: m.setup.file }), until: m.setup.until };
  const reply: ThreadReply = { ref: m.ref, outcome: runSeed(current!.topology, m.task, current!.until) };
  parentPort!.postMessage(reply);
});

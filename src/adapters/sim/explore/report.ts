/**
 * What `linklab sim explore` prints, from an exploration's result alone: a local run, a shard and
 * a run on a queue print the same report for the same seeds, byte for byte.
 */
import { describeSchedule, faultKnobs, overrideFlags } from '../overrides.js';
import type { Topology } from '../topology/types.js';
import type { ExploreResult } from './explore.js';
import { replayCommand } from '../replay.js';

export interface ReportInput {
  /** The topology file as the user named it (replay lines use it). */
  file: string;
  /** The `--until` text, when given (replay lines repeat it). */
  until?: string;
  topology: Topology;
  result: ExploreResult;
}

/** How many failing seeds the text report lists. */
const LIST = 20;

function replayer(i: ReportInput): (seed: number, extra?: string[]) => string {
  return (seed, extra = []) => replayCommand({ file: i.file, seed, until: i.until, extra });
}

export function reportJson(i: ReportInput): ExploreResult & { replay: Array<{ seed: number; command: string }> } {
  const replay = replayer(i);
  return { ...i.result, replay: i.result.failed.map((f) => ({ seed: f.seed, command: replay(f.seed) })) };
}

export function reportText(i: ReportInput): string {
  const { result, topology } = i;
  const replay = replayer(i);
  const n = result.outcomes.length;
  const out: string[] = [];
  out.push(`explored ${n} seed${n === 1 ? '' : 's'} of ${topology.name} (${i.file}): ${n - result.failed.length} passed, ${result.failed.length} failed`);
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
  return out.join('\n') + '\n';
}

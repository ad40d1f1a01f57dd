/**
 * `linklab sim validate`: load a topology file and build its world (nodes created, not started),
 * so problems a node kind finds in its config are reported with their place in the file too.
 */
import { loadTopologyFile } from './topology/load.js';
import { Simulation } from './run.js';

/** A one-line description of a valid file; throws TopologyError otherwise. */
export async function validateTopologyFile(file: string): Promise<string> {
  const t = await loadTopologyFile(file);
  new Simulation(t, { seed: 1 });
  const kinds = [...new Set(t.nodes.map((n) => n.kind))];
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  return [
    plural(t.segments.length, 'segment'),
    `${plural(t.nodes.length, 'node')}${kinds.length ? ` (${kinds.join(', ')})` : ''}`,
    plural(t.events.length, 'timed event'),
    plural(t.expectations.length, 'expectation'),
  ].join(', ');
}

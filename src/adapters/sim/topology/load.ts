/**
 * Topology files: YAML text -> (yaml parse, ajv schema check, build) -> Topology, or a
 * TopologyError listing every problem as `file:line:column: path: message`.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type { NodeKind } from '../node.js';
import { nodeKinds } from '../nodes/registry.js';
import { expectationKinds } from '../expectations/index.js';
import type { ExpectationKind } from '../expectations/expectation.js';
import { buildTopology } from './build.js';
import { TopologyError, formatPath, type Problem } from './errors.js';
import { Locator } from './locate.js';
import { topologySchema } from './schema.js';
import type { Topology } from './types.js';
import { schemaProblems, validatorFor } from './validate.js';

export interface LoadOptions {
  /** The name used in messages (default "topology"). */
  file?: string;
  /** Node kinds (default: the registry). */
  kinds?: readonly NodeKind[];
  expectations?: readonly ExpectationKind[];
}

const schemas = new WeakMap<readonly NodeKind[], Record<string, unknown>>();

/** The topology schema for `kinds`, built once per kinds list. */
export function schemaFor(kinds: readonly NodeKind[] = nodeKinds, expectations: readonly ExpectationKind[] = expectationKinds): Record<string, unknown> {
  if (expectations !== expectationKinds) return topologySchema(kinds, expectations);
  let s = schemas.get(kinds);
  if (!s) {
    s = topologySchema(kinds, expectations);
    schemas.set(kinds, s);
  }
  return s;
}

/** Parses and checks topology text. Throws TopologyError. */
export function loadTopology(text: string, opts: LoadOptions = {}): Topology {
  const file = opts.file ?? 'topology';
  const kinds = opts.kinds ?? nodeKinds;
  const expectations = opts.expectations ?? expectationKinds;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true });
  const at = (offset: number): { line: number; column: number } => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    throw new TopologyError(doc.errors.map((e) => ({ file, ...at(e.pos[0]), path: '', message: e.message.split('\n')[0] })));
  }
  const data: unknown = doc.toJS({ maxAliasCount: 10_000 });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new TopologyError([{ file, line: 1, column: 1, path: '', message: 'expected a mapping with at least `nodes:`' }]);
  }
  const locator = new Locator(doc, lines);
  const problem = (path: ReadonlyArray<string | number>, message: string, atKey: boolean): Problem => ({
    file,
    ...locator.locate(path, atKey),
    path: formatPath(path),
    message,
  });
  const bad = schemaProblems(validatorFor(schemaFor(kinds, expectations)), data);
  if (bad.length > 0) throw new TopologyError(sorted(bad.map((b) => problem(b.path, b.message, b.atKey))));
  const { topology, problems } = buildTopology({ data: data as Record<string, unknown>, kinds, expectations, file });
  if (problems.length > 0) throw new TopologyError(sorted(problems.map((p) => problem(p.path, p.message, p.atKey))));
  topology.locate = (path, atKey = false) => locator.locate(path, atKey);
  topology.kinds = kinds;
  return topology;
}

/** Reads and loads a topology file; an unreadable file is a TopologyError too. */
export async function loadTopologyFile(path: string, opts: Omit<LoadOptions, 'file'> = {}): Promise<Topology> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(err);
    throw new TopologyError([{ file: path, line: 1, column: 1, path: '', message: why }]);
  }
  return loadTopology(text, { ...opts, file: path });
}

function sorted(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Problems found in a topology file, each with its place: `file:line:column: path: message`. The
 * loader collects every problem it can before throwing, so one run of `linklab sim validate` shows
 * them all.
 */
import type { Path } from './types.js';

export interface Problem {
  file: string;
  line: number;
  column: number;
  /** Where in the document, dotted: `nodes.h1.interfaces.eth0.mac`. */
  path: string;
  message: string;
}

export function formatPath(path: Path): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.path ? p.path + ': ' : ''}${p.message}`;
}

export class TopologyError extends Error {
  override readonly name = 'TopologyError';

  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/** Thrown inside the loader for one problem at a path; the loader turns it into a Problem. */
export class LocatedError extends Error {
  constructor(
    readonly path: Path,
    message: string,
    /** Point at the key rather than the value (an unknown or misplaced key). */
    readonly atKey = false,
  ) {
    super(message);
  }
}

/** One line per problem, for a command's error output. */
export function problemLines(err: TopologyError): string[] {
  return err.problems.map(formatProblem);
}

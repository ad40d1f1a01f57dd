/**
 * From a path in the document (`['nodes', 'h1', 'interfaces', 'eth0', 'mac']`) to a line and
 * column in the YAML text, through the yaml package's node ranges. When the path leads somewhere
 * the text does not have (a missing key), the deepest node that exists is used.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Path } from './types.js';

export class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** 1-based line and column of what `path` points at (or of its key, with `atKey`). */
  locate(path: Path, atKey = false): { line: number; column: number } {
    let node: unknown = this.doc.contents;
    let keyNode: unknown;
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(step));
        if (!pair) break;
        keyNode = pair.key;
        node = pair.value ?? pair.key;
      } else if (isSeq(node)) {
        const item = node.items[Number(step)];
        if (item === undefined) break;
        keyNode = undefined;
        node = item;
      } else {
        break;
      }
    }
    const target = (atKey && keyNode ? keyNode : node) as Node | null | undefined;
    const offset = target?.range?.[0] ?? 0;
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }
}

/**
 * Running tshark on a capture and reading its `-T json` output. tshark writes a repeated field
 * (two options in one message, two RDNSS addresses) as duplicate keys of one JSON object, which
 * JSON.parse would collapse; this reader keeps every entry, in order.
 */
import { execFile } from 'node:child_process';

/** A JSON object as ordered [key, value] entries, duplicates kept. */
export type Tree = [string, Value][];
export type Value = string | number | boolean | null | Tree | Value[];

export function isTree(v: Value | undefined): v is Tree {
  return Array.isArray(v) && (v as unknown as { tree?: true }).tree === true;
}

/** Parses JSON text, objects as ordered entries (marked so they can be told from arrays). */
export function parseOrdered(text: string): Value {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`tshark JSON: ${what} at character ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    let simple = true;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        simple = false;
        i += 2;
      } else i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    return simple ? text.slice(start + 1, i - 1) : (JSON.parse(text.slice(start, i)) as string);
  };
  const value = (): Value => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const tree: Tree = [];
      Object.defineProperty(tree, 'tree', { value: true });
      ws();
      if (text[i] === '}') {
        i++;
        return tree;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const k = str();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        tree.push([k, value()]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return tree;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: Value[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 40));
    if (!m) return fail('unexpected character');
    i += m[0].length;
    return JSON.parse(m[0]) as Value;
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}

/** The first value of `key` in `tree`. */
export function get(tree: Tree, key: string): Value | undefined {
  for (const [k, v] of tree) if (k === key) return v;
  return undefined;
}

/** The first value of `key` as a string; throws when absent, so a missing field fails loudly. */
export function str(tree: Tree, key: string): string {
  const v = get(tree, key);
  if (typeof v !== 'string') throw new Error(`tshark shows no field ${key} (got ${JSON.stringify(v)})`);
  return v;
}

/** Every value of `key` in `tree`, in order. */
export function all(tree: Tree, key: string): Value[] {
  return tree.filter(([k]) => k === key).map(([, v]) => v);
}

/** Every subtree of `key` in `tree`, in order. */
export function subtrees(tree: Tree, key: string): Tree[] {
  return all(tree, key).filter(isTree);
}

/** One dissected packet: its protocol layers by name (`eth`, `ipv6`, `icmpv6`, `arp`, ...). */
export interface Dissection {
  layers: Tree;
}

/** Expert severities (epan/proto.h): PI_CHAT, PI_NOTE, PI_WARN, PI_ERROR. */
export const SEVERITY_ERROR = 0x0080_0000;

/** Expert infos of error severity and malformed-packet markers anywhere in a dissection. */
export function problems(tree: Tree): string[] {
  const out: string[] = [];
  const walk = (t: Tree): void => {
    for (const [k, v] of t) {
      if (k === '_ws.malformed' || k.startsWith('_ws.malformed.')) out.push(`malformed: ${JSON.stringify(v)}`);
      if (k === '_ws.expert' && isTree(v)) {
        const severity = Number(get(v, '_ws.expert.severity'));
        if (severity >= SEVERITY_ERROR) out.push(`expert error: ${String(get(v, '_ws.expert.message'))}`);
      }
      if (isTree(v)) walk(v);
      else if (Array.isArray(v)) for (const x of v) if (isTree(x)) walk(x);
    }
  };
  walk(tree);
  return out;
}

/** Runs `tshark -r file -T json` once and returns each packet's layers. */
export function dissect(file: string, extraArgs: string[] = []): Promise<Dissection[]> {
  return new Promise((resolve, reject) => {
    execFile('tshark', ['-n', '-r', file, '-T', 'json', ...extraArgs], { maxBuffer: 1 << 30, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`tshark failed: ${err.message}\n${stderr}`));
        return;
      }
      const packets = parseOrdered(stdout);
      if (!Array.isArray(packets) || isTree(packets)) {
        reject(new Error('tshark JSON is not an array of packets'));
        return;
      }
      resolve(
        packets.map((p) => {
          const source = isTree(p) ? get(p, '_source') : undefined;
          const layers = isTree(source) ? get(source, 'layers') : undefined;
          if (!isTree(layers)) throw new Error('tshark packet without _source.layers');
          return { layers };
        }),
      );
    });
  });
}

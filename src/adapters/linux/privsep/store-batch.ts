/**
 * The bytes a store's entries and writes cross the privsep channel in: packed records, sent as
 * base64 text in a channel message. A record is `op(1) klen(1) key vlen(1) value` (a delete has
 * no value part; a read result has no op byte). Keys and values are at most 255 bytes.
 */
export const OP_DELETE = 0;
export const OP_PUT = 1;

/** Raw bytes per message: the channel's 64 KiB limit less base64's 4/3 and the JSON around it. */
export const CHUNK_BYTES = 45_000;

export interface StoreOp {
  key: Uint8Array;
  /** null deletes. */
  value: Uint8Array | null;
}

export class BatchError extends Error {
  override readonly name = 'BatchError';
}

function checkLength(what: string, b: Uint8Array): void {
  if (b.length > 255) throw new BatchError(`a ${what} of ${b.length} bytes is longer than 255`);
}

/** Packs operations into chunks of at most CHUNK_BYTES each. */
export function packOps(ops: Iterable<StoreOp>): Uint8Array[] {
  return pack(ops, true);
}

/** Packs entries (a read result) into chunks of at most CHUNK_BYTES each. */
export function packEntries(entries: Iterable<[Uint8Array, Uint8Array]>): Uint8Array[] {
  const ops = (function* () {
    for (const [key, value] of entries) yield { key, value };
  })();
  return pack(ops, false);
}

function pack(ops: Iterable<StoreOp>, withOp: boolean): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let buf = new Uint8Array(CHUNK_BYTES);
  let n = 0;
  for (const { key, value } of ops) {
    checkLength('key', key);
    if (value) checkLength('value', value);
    const need = (withOp ? 1 : 0) + 1 + key.length + (value ? 1 + value.length : 0);
    if (n + need > CHUNK_BYTES) {
      chunks.push(buf.subarray(0, n));
      buf = new Uint8Array(CHUNK_BYTES);
      n = 0;
    }
    if (withOp) buf[n++] = value ? OP_PUT : OP_DELETE;
    buf[n++] = key.length;
    buf.set(key, n);
    n += key.length;
    if (value) {
      buf[n++] = value.length;
      buf.set(value, n);
      n += value.length;
    } else if (!withOp) throw new BatchError('an entry needs a value');
  }
  if (n > 0 || chunks.length === 0) chunks.push(buf.subarray(0, n));
  return chunks;
}

/** Unpacks operations; throws BatchError saying where a chunk is malformed. */
export function unpackOps(b: Uint8Array): StoreOp[] {
  const out: StoreOp[] = [];
  let i = 0;
  while (i < b.length) {
    const at = i;
    const op = b[i++];
    if (op !== OP_PUT && op !== OP_DELETE) throw new BatchError(`operation ${op} at byte ${at} is neither put nor delete`);
    const key = field(b, i, 'key', at);
    i += 1 + key.length;
    if (op === OP_DELETE) {
      out.push({ key, value: null });
      continue;
    }
    const value = field(b, i, 'value', at);
    i += 1 + value.length;
    out.push({ key, value });
  }
  return out;
}

/** Unpacks entries of a read result. */
export function unpackEntries(b: Uint8Array): Array<[Uint8Array, Uint8Array]> {
  const out: Array<[Uint8Array, Uint8Array]> = [];
  let i = 0;
  while (i < b.length) {
    const at = i;
    const key = field(b, i, 'key', at);
    i += 1 + key.length;
    const value = field(b, i, 'value', at);
    i += 1 + value.length;
    out.push([key, value]);
  }
  return out;
}

function field(b: Uint8Array, i: number, what: string, record: number): Uint8Array {
  if (i >= b.length) throw new BatchError(`the record at byte ${record} ends before its ${what} length`);
  const len = b[i];
  if (i + 1 + len > b.length) throw new BatchError(`the ${what} of the record at byte ${record} runs past the end (${len} bytes)`);
  return b.subarray(i + 1, i + 1 + len); // a view: every message arrives in a fresh buffer
}

export const toBase64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

export function fromBase64(s: unknown, what: string): Uint8Array {
  if (typeof s !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new BatchError(`${what} must be base64 text`);
  const b = Buffer.from(s, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Route attributes (struct rtattr / nlattr): a 2-byte length (header included), a 2-byte type,
 * the value, padding to 4 bytes. Each message kind names the attributes it knows in a table
 * (`AttributeTable`); known ones decode into named fields, the rest are kept in `other`, in order,
 * and encode back unchanged. A repeated known attribute keeps its first value and the repeats go
 * to `other`.
 */
import { DecodeError, EncodeError, checkUint } from '../errors.js';
import { Ipv4Address } from '../ipv4-address.js';
import { Ipv6Address } from '../ipv6-address.js';
import { align4, le16, le32, le32s, putLe16, putLe32 } from './endian.js';
import { checkInt32 } from './ints.js';

export const ATTRIBUTE_HEADER_LENGTH = 4;

export interface RawAttribute {
  /** rta_type, nested and byte-order flag bits included. */
  type: number;
  data: Uint8Array;
}

/** An IP address attribute: 4 bytes are IPv4, 16 bytes IPv6, any other size stays bytes. */
export type IpValue = Ipv4Address | Ipv6Address | Uint8Array;

/** How one attribute's value is read and written. */
export interface AttributeCodec<V> {
  decode(b: Uint8Array, start: number, end: number, field: string): V;
  length(v: V, field: string): number;
  write(v: V, b: Uint8Array, o: number, field: string): void;
}

function fixed<V>(size: number, read: (b: Uint8Array, o: number) => V, put: (v: V, b: Uint8Array, o: number, field: string) => void): AttributeCodec<V> {
  return {
    decode(b, start, end, field) {
      if (end - start !== size) throw new DecodeError(`${end - start} bytes, expected ${size}`, field, start);
      return read(b, start);
    },
    length: () => size,
    write: put,
  };
}

export const u8 = fixed<number>(1, (b, o) => b[o], (v, b, o, f) => (b[o] = checkUint(v, 8, f)));
export const u16 = fixed<number>(2, le16, (v, b, o, f) => putLe16(b, o, checkUint(v, 16, f)));
export const u32 = fixed<number>(4, le32, (v, b, o, f) => putLe32(b, o, checkUint(v, 32, f)));
export const s32 = fixed<number>(4, le32s, (v, b, o, f) => putLe32(b, o, checkInt32(v, f)));

// ignoreBOM: a name that starts with U+FEFF keeps it (decode then encode gives the same bytes).
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/** A NUL-terminated string; the value ends at the first NUL (or at the attribute's end). */
export const string: AttributeCodec<string> = {
  decode(b, start, end) {
    let stop = start;
    while (stop < end && b[stop] !== 0) stop++;
    return utf8Decoder.decode(b.subarray(start, stop));
  },
  length: (v) => utf8Encoder.encode(v).length + 1,
  write(v, b, o, field) {
    const bytes = utf8Encoder.encode(v);
    if (bytes.includes(0)) throw new EncodeError('a netlink string cannot contain NUL', field);
    b.set(bytes, o);
    b[o + bytes.length] = 0;
  },
};

export const bytes: AttributeCodec<Uint8Array> = {
  decode: (b, start, end) => b.slice(start, end),
  length: (v) => v.length,
  write: (v, b, o) => b.set(v, o),
};

export const ip: AttributeCodec<IpValue> = {
  decode(b, start, end) {
    if (end - start === 4) return Ipv4Address.read(b, start);
    if (end - start === 16) return Ipv6Address.read(b, start);
    return b.slice(start, end);
  },
  length: (v) => (v instanceof Ipv4Address ? 4 : v instanceof Ipv6Address ? 16 : v.length),
  write(v, b, o) {
    if (v instanceof Uint8Array) b.set(v, o);
    else v.write(b, o);
  },
};

/** A struct of `names.length` u32 fields (ifa_cacheinfo, nda_cacheinfo). */
export function u32Struct<K extends string>(names: readonly K[]): AttributeCodec<Record<K, number>> {
  return fixed(
    4 * names.length,
    (b, o) => Object.fromEntries(names.map((n, i) => [n, le32(b, o + 4 * i)])) as Record<K, number>,
    (v, b, o, f) => names.forEach((n, i) => putLe32(b, o + 4 * i, checkUint(v[n], 32, `${f}.${n}`))),
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AttributeTable = Record<string, { type: number; codec: AttributeCodec<any> }>;

type ValueOf<C> = C extends AttributeCodec<infer V> ? V : never;

/** The decoded attributes of a table: each known one optional, plus `other`. */
export type Attributes<T extends AttributeTable> = { [K in keyof T]?: ValueOf<T[K]['codec']> } & { other: RawAttribute[] };

/** Encoder input: `other` may be left out. */
export type AttributesInput<T extends AttributeTable> = { [K in keyof T]?: ValueOf<T[K]['codec']> } & { other?: RawAttribute[] };

/** Walks the attributes in [start, end). The last one's padding may be missing. */
export function decodeRaw(b: Uint8Array, start: number, end: number, field: string): Array<RawAttribute & { offset: number; end: number }> {
  const out: Array<RawAttribute & { offset: number; end: number }> = [];
  let o = start;
  while (o < end) {
    const f = `${field}[${out.length}]`;
    if (end - o < ATTRIBUTE_HEADER_LENGTH) throw new DecodeError(`${end - o} bytes left, an attribute header needs 4`, f, o);
    const len = le16(b, o);
    if (len < ATTRIBUTE_HEADER_LENGTH) throw new DecodeError(`rta_len ${len} is shorter than the 4-byte header`, `${f}.length`, o);
    if (o + len > end) throw new DecodeError(`rta_len ${len} runs past the message end (${end - o} bytes left)`, `${f}.length`, o);
    out.push({ type: le16(b, o + 2), data: b.subarray(o + 4, o + len), offset: o, end: o + len });
    o = Math.min(end, o + align4(len));
  }
  return out;
}

export function decodeAttributes<T extends AttributeTable>(table: T, b: Uint8Array, start: number, end: number, field: string): Attributes<T> {
  const out = { other: [] as RawAttribute[] } as Attributes<T>;
  const byType = new Map<number, string>();
  for (const [name, spec] of Object.entries(table)) byType.set(spec.type, name);
  const values = out as Record<string, unknown>;
  for (const a of decodeRaw(b, start, end, field)) {
    const name = byType.get(a.type);
    if (name !== undefined && values[name] === undefined) {
      values[name] = table[name].codec.decode(b, a.offset + 4, a.end, `${field}.${name}`);
    } else {
      out.other.push({ type: a.type, data: b.slice(a.offset + 4, a.end) });
    }
  }
  return out;
}

function each<T extends AttributeTable>(table: T, attrs: AttributesInput<T>, fn: (type: number, len: number, write: (b: Uint8Array, o: number) => void, field: string) => void, field: string): void {
  const values = attrs as Record<string, unknown>;
  for (const [name, spec] of Object.entries(table)) {
    const v = values[name];
    if (v === undefined) continue;
    const f = `${field}.${name}`;
    fn(spec.type, spec.codec.length(v, f), (b, o) => spec.codec.write(v, b, o, f), f);
  }
  (attrs.other ?? []).forEach((a, i) => {
    const f = `${field}.other[${i}]`;
    fn(checkUint(a.type, 16, `${f}.type`), a.data.length, (b, o) => b.set(a.data, o), f);
  });
}

export function attributesLength<T extends AttributeTable>(table: T, attrs: AttributesInput<T>, field: string): number {
  let n = 0;
  each(table, attrs, (_t, len) => (n += align4(ATTRIBUTE_HEADER_LENGTH + len)), field);
  return n;
}

/** Writes the attributes at `o` (zero padding included); returns the offset after them. */
export function writeAttributes<T extends AttributeTable>(table: T, attrs: AttributesInput<T>, b: Uint8Array, o: number, field: string): number {
  let p = o;
  each(
    table,
    attrs,
    (type, len, write, f) => {
      const total = ATTRIBUTE_HEADER_LENGTH + len;
      if (total > 0xffff) throw new EncodeError(`attribute of ${len} bytes does not fit rta_len`, f);
      putLe16(b, p, total);
      putLe16(b, p + 2, type);
      write(b, p + 4);
      b.fill(0, p + total, p + align4(total));
      p += align4(total);
    },
    field,
  );
  return p;
}

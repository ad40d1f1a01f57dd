/**
 * Uncompressed DNS names as DNSSL carries them (RFC 8106 5.2, RFC 1035 3.1), in presentation form:
 * labels joined by dots, with `\.`, `\\` and `\DDD` escapes so any label bytes survive a round trip.
 */
import { DecodeError, EncodeError } from '../../errors.js';

export const MAX_LABEL = 63;
/** Wire length of a name, its length bytes and the final zero included. */
export const MAX_NAME = 255;

const fcc = String.fromCharCode;

/** True when every byte of the label prints as itself (no escapes needed). */
function isPlain(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c <= 0x20 || c >= 0x7f || c === 0x2e || c === 0x5c) return false;
  }
  return true;
}

/** Plain bytes as text, up to eight characters per call: far fewer short-lived strings than one per byte. */
function plainText(b: Uint8Array, start: number, end: number): string {
  let out = '';
  let i = start;
  for (; i + 8 <= end; i += 8) out += fcc(b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]);
  for (; i < end; i++) out += fcc(b[i]);
  return out;
}

/** The label `b[start..end)` in presentation form. */
function labelText(b: Uint8Array, start: number, end: number): string {
  if (isPlain(b, start, end)) return plainText(b, start, end);
  let s = '';
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c > 0x20 && c < 0x7f && c !== 0x2e && c !== 0x5c) s += fcc(c);
    else if (c === 0x2e || c === 0x5c) s += '\\' + fcc(c);
    else s += '\\' + (c < 10 ? '00' : c < 100 ? '0' : '') + c;
  }
  return s;
}

/** The presentation form of the name whose labels start at `start` and whose zero byte is at `end`. */
function nameText(b: Uint8Array, start: number, end: number): string {
  let name = '';
  for (let o = start; o < end; o += 1 + b[o]) {
    const label = labelText(b, o + 1, o + 1 + b[o]);
    name = o === start ? label : name + '.' + label;
  }
  return name;
}

/**
 * Names seen recently, by the bytes of their wire form. A network advertises the same few search
 * domains in every RA, and building short strings dominates the cost of decoding them, so a small
 * direct-mapped table of (wire bytes, text) pairs lets a repeat cost a hash and a compare.
 */
const CACHE_SIZE = 256;
const cachedWire: Array<Uint8Array | undefined> = new Array(CACHE_SIZE);
const cachedText: string[] = new Array(CACHE_SIZE);

function internName(b: Uint8Array, start: number, end: number, hash: number): string {
  const slot = hash & (CACHE_SIZE - 1);
  const wire = cachedWire[slot];
  const len = end - start;
  if (wire !== undefined && wire.length === len) {
    let same = true;
    for (let i = 0; i < len; i++) {
      if (wire[i] !== b[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return cachedText[slot];
  }
  const text = nameText(b, start, end);
  cachedWire[slot] = b.slice(start, end);
  cachedText[slot] = text;
  return text;
}

/**
 * Reads the names in `b[start..end)`. A zero where a name would start is padding. Errors name the
 * byte offset within `b`.
 */
export function decodeNames(b: Uint8Array, start: number, end: number, field: string): string[] {
  const names: string[] = [];
  let nameStart = start;
  let hash = 0x811c9dc5;
  let o = start;
  while (o < end) {
    const c = b[o];
    if (c === 0) {
      if (o === nameStart) {
        // A zero where a name would start is padding (RFC 8106 5.2), which only ends the option: a
        // name after it would follow an empty name, a zero-length label.
        for (let p = o + 1; p < end; p++) {
          if (b[p] !== 0) throw new DecodeError('zero-length label (an empty name) before more names', field, o);
        }
        return names;
      }
      names.push(internName(b, nameStart, o, hash));
      o++;
      nameStart = o;
      hash = 0x811c9dc5;
      continue;
    }
    if (c >= 0xc0) throw new DecodeError('compression pointer in an uncompressed name', field, o);
    if (c > MAX_LABEL) throw new DecodeError(`label of ${c} bytes exceeds ${MAX_LABEL}`, field, o);
    if (o + 1 + c > end) throw new DecodeError(`label of ${c} bytes runs past the option`, field, o);
    if (o + 1 + c - nameStart + 1 > MAX_NAME) throw new DecodeError(`name exceeds ${MAX_NAME} bytes`, field, nameStart);
    for (let i = o; i <= o + c; i++) hash = Math.imul(hash ^ b[i], 0x01000193);
    o += 1 + c;
  }
  if (o > nameStart) throw new DecodeError('name without its terminating zero', field, nameStart);
  return names;
}

/**
 * Writes the wire form of `name` (presentation form) at `b[o..)` and returns the offset after it;
 * with `b` undefined only measures it, so encodingLength allocates nothing. Each label's bytes go
 * in after its length byte, which is filled in when the label ends.
 */
export function writeName(name: string, b: Uint8Array | undefined, o: number, field: string): number {
  if (name === '' || name === '.') throw new EncodeError('empty domain name', field);
  let lengthAt = o; // where the current label's length byte goes
  let p = o + 1;
  let absolute = false;
  for (let i = 0; i < name.length; i++) {
    let code = name.charCodeAt(i);
    if (code === 0x2e) {
      endLabel(b, lengthAt, p, name, field);
      lengthAt = p++;
      absolute = i === name.length - 1; // a final unescaped dot names the root: nothing follows
      continue;
    }
    if (code === 0x5c) {
      if (isDigit(name.charCodeAt(i + 1)) && isDigit(name.charCodeAt(i + 2)) && isDigit(name.charCodeAt(i + 3))) {
        code = Number(name.slice(i + 1, i + 4));
        if (code > 255) throw new EncodeError(`escape \\${name.slice(i + 1, i + 4)} exceeds 255 in "${name}"`, field);
        i += 3;
      } else if (i + 1 < name.length) {
        code = name.charCodeAt(++i);
        if (code > 0xff) throw new EncodeError(`non-Latin-1 character in "${name}"; use \\DDD escapes`, field);
      } else {
        throw new EncodeError(`dangling backslash in "${name}"`, field);
      }
    } else if (code > 0xff) {
      throw new EncodeError(`non-Latin-1 character in "${name}"; use \\DDD escapes`, field);
    }
    if (b !== undefined) b[p] = code;
    p++;
  }
  if (absolute) p = lengthAt; // the root's zero goes where the next label's length would
  else endLabel(b, lengthAt, p, name, field);
  if (b !== undefined) b[p] = 0;
  p++;
  if (p - o > MAX_NAME) throw new EncodeError(`name of ${p - o} bytes exceeds ${MAX_NAME}`, field);
  return p;
}

/** Checks the label whose length byte is at `lengthAt` and which ends at `end`, and fills in that byte. */
function endLabel(b: Uint8Array | undefined, lengthAt: number, end: number, name: string, field: string): void {
  const len = end - lengthAt - 1;
  if (len === 0) throw new EncodeError(`empty label in "${name}"`, field);
  if (len > MAX_LABEL) throw new EncodeError(`label of ${len} bytes exceeds ${MAX_LABEL} in "${name}"`, field);
  if (b !== undefined) b[lengthAt] = len;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

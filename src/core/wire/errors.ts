/**
 * The one error a decoder may throw. `field` is a dotted path into the typed value
 * (`icmpv6.options[2].length`), `offset` the byte offset where decoding stopped, counted from the
 * start of the buffer the caller handed to the outermost decoder.
 */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  readonly what: string;
  readonly field: string;
  readonly offset: number;

  constructor(what: string, field: string, offset: number) {
    // A decode error describes bad input, not a bug: skip the stack trace, which would cost more
    // than the decoding itself when a fuzzer or a hostile peer sends malformed packets.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${field}: ${what} at byte ${offset}`);
    Error.stackTraceLimit = limit;
    this.what = what;
    this.field = field;
    this.offset = offset;
  }

  /** The same error seen from an enclosing layer: field prefixed, offset shifted. */
  within(prefix: string, delta: number): DecodeError {
    return new DecodeError(this.what, prefix ? `${prefix}.${this.field}` : this.field, this.offset + delta);
  }

  toJSON(): { what: string; field: string; offset: number } {
    return { what: this.what, field: this.field, offset: this.offset };
  }
}

/** Thrown by encoders when a value cannot be put on the wire (a bad address string, a field out of range). */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';

  constructor(
    readonly what: string,
    readonly field: string,
  ) {
    super(`${field}: ${what}`);
  }

  within(prefix: string): EncodeError {
    return new EncodeError(this.what, prefix ? `${prefix}.${this.field}` : this.field);
  }
}

/** Throws a DecodeError unless `len` bytes are available at `offset` (before `end`); `what` names the part. */
export function need(buf: Uint8Array, offset: number, len: number, field: string, what = field, end = buf.length): void {
  if (offset + len > end) {
    throw new DecodeError(`${what} needs ${len} bytes, ${Math.max(0, end - offset)} present`, field, offset);
  }
}

/** Re-throws a DecodeError from a nested decoder as seen from its enclosing layer. */
export function nested<T>(prefix: string, delta: number, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof DecodeError) throw err.within(prefix, delta);
    throw err;
  }
}

/** The largest value of each field width, looked up rather than computed on every field encoded. */
const MAX_UINT = Array.from({ length: 54 }, (_, bits) => 2 ** bits - 1);

/** Checks an integer field for encoding. */
export function checkUint(value: unknown, bits: number, field: string): number {
  const max = MAX_UINT[bits] ?? 2 ** bits - 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new EncodeError(`expected an integer 0..${max}, got ${JSON.stringify(value)}`, field);
  }
  return value;
}

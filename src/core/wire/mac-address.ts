import { EncodeError } from './errors.js';
import { hexByte, hexValue } from './bytes.js';

const TWO32 = 0x1_0000_0000;

/** A 48-bit Ethernet address held as one safe integer, so decoding allocates one small object. */
export class MacAddress {
  static readonly BROADCAST = new MacAddress(0xffff_ffff_ffff);
  static readonly ZERO = new MacAddress(0);

  constructor(readonly value: number) {}

  static read(b: Uint8Array, o: number): MacAddress {
    return new MacAddress(((b[o] << 8) | b[o + 1]) * TWO32 + (((b[o + 2] << 24) | (b[o + 3] << 16) | (b[o + 4] << 8) | b[o + 5]) >>> 0));
  }

  static fromBytes(b: Uint8Array): MacAddress {
    if (b.length !== 6) throw new TypeError(`a MAC address has 6 bytes, not ${b.length}`);
    return MacAddress.read(b, 0);
  }

  /** Parses `aa:bb:cc:dd:ee:ff` (also with `-`); returns null when the text is not a MAC address. */
  static tryParse(text: string): MacAddress | null {
    const n = text.length;
    if (n < 11 || n > 17) return null;
    let v = 0;
    let i = 0;
    for (let part = 0; part < 6; part++) {
      if (part > 0) {
        const sep = text.charCodeAt(i++);
        if (sep !== 0x3a && sep !== 0x2d) return null;
      }
      const hi = hexValue(text.charCodeAt(i++));
      if (hi < 0) return null;
      const lo = hexValue(text.charCodeAt(i));
      if (lo < 0) {
        v = v * 256 + hi;
      } else {
        v = v * 256 + hi * 16 + lo;
        i++;
      }
    }
    return i === n ? new MacAddress(v) : null;
  }

  static parse(text: string): MacAddress {
    const mac = MacAddress.tryParse(text);
    if (!mac) throw new TypeError(`invalid MAC address "${text}"`);
    return mac;
  }

  /** Accepts a MacAddress or its text, for encoders fed from JSON. */
  static from(v: MacAddress | string, field: string): MacAddress {
    if (v instanceof MacAddress) return v;
    const mac = typeof v === 'string' ? MacAddress.tryParse(v) : null;
    if (!mac) throw new EncodeError(`expected a MAC address, got ${JSON.stringify(v)}`, field);
    return mac;
  }

  write(b: Uint8Array, o: number): void {
    const hi = Math.floor(this.value / TWO32);
    const lo = this.value >>> 0;
    b[o] = hi >>> 8;
    b[o + 1] = hi;
    b[o + 2] = lo >>> 24;
    b[o + 3] = lo >>> 16;
    b[o + 4] = lo >>> 8;
    b[o + 5] = lo;
  }

  toBytes(): Uint8Array {
    const b = new Uint8Array(6);
    this.write(b, 0);
    return b;
  }

  byte(i: number): number {
    return Math.floor(this.value / 2 ** (8 * (5 - i))) & 0xff;
  }

  equals(other: MacAddress): boolean {
    return this.value === other.value;
  }

  get isBroadcast(): boolean {
    return this.value === 0xffff_ffff_ffff;
  }

  /** The I/G bit of the first byte. */
  get isMulticast(): boolean {
    return (this.byte(0) & 1) === 1;
  }

  get isZero(): boolean {
    return this.value === 0;
  }

  toString(): string {
    let s = hexByte(this.byte(0));
    for (let i = 1; i < 6; i++) s += ':' + hexByte(this.byte(i));
    return s;
  }

  toJSON(): string {
    return this.toString();
  }
}

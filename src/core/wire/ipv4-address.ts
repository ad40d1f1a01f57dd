import { EncodeError } from './errors.js';

/** An IPv4 address held as an unsigned 32-bit integer. */
export class Ipv4Address {
  static readonly ANY = new Ipv4Address(0);
  static readonly BROADCAST = new Ipv4Address(0xffff_ffff);

  constructor(readonly value: number) {}

  static read(b: Uint8Array, o: number): Ipv4Address {
    return new Ipv4Address(((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0);
  }

  /** Strict dotted quad (no leading zeros, no shorthand); null when the text is not one. */
  static tryParse(text: string): Ipv4Address | null {
    const n = text.length;
    if (n < 7 || n > 15) return null;
    let v = 0;
    let i = 0;
    for (let part = 0; part < 4; part++) {
      if (part > 0 && text.charCodeAt(i++) !== 0x2e) return null;
      const start = i;
      let x = 0;
      for (let c = text.charCodeAt(i); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i)) x = x * 10 + (c - 0x30);
      const digits = i - start;
      if (digits === 0 || digits > 3 || x > 255 || (digits > 1 && text.charCodeAt(start) === 0x30)) return null;
      v = v * 256 + x;
    }
    return i === n ? new Ipv4Address(v) : null;
  }

  static parse(text: string): Ipv4Address {
    const a = Ipv4Address.tryParse(text);
    if (!a) throw new TypeError(`invalid IPv4 address "${text}"`);
    return a;
  }

  static from(v: Ipv4Address | string, field: string): Ipv4Address {
    if (v instanceof Ipv4Address) return v;
    const a = typeof v === 'string' ? Ipv4Address.tryParse(v) : null;
    if (!a) throw new EncodeError(`expected an IPv4 address, got ${JSON.stringify(v)}`, field);
    return a;
  }

  write(b: Uint8Array, o: number): void {
    const v = this.value;
    b[o] = v >>> 24;
    b[o + 1] = v >>> 16;
    b[o + 2] = v >>> 8;
    b[o + 3] = v;
  }

  toBytes(): Uint8Array {
    const b = new Uint8Array(4);
    this.write(b, 0);
    return b;
  }

  equals(other: Ipv4Address): boolean {
    return this.value === other.value;
  }

  /** True when this address lies in `prefix/len`. */
  inSubnet(prefix: Ipv4Address, len: number): boolean {
    if (len === 0) return true;
    const shift = 32 - len;
    return this.value >>> shift === prefix.value >>> shift;
  }

  get isUnspecified(): boolean {
    return this.value === 0;
  }

  get isMulticast(): boolean {
    return this.value >>> 28 === 0xe;
  }

  get isBroadcast(): boolean {
    return this.value === 0xffff_ffff;
  }

  toString(): string {
    const v = this.value;
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

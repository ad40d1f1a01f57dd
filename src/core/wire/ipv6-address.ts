import { EncodeError } from './errors.js';
import { Ipv4Address } from './ipv4-address.js';
import type { MacAddress } from './mac-address.js';
import { hexValue, put32 } from './bytes.js';

const COLON = 0x3a;
const DOT = 0x2e;
/** Scratch for the eight groups while parsing (one parse at a time: JavaScript runs one). */
const GROUPS = new Uint16Array(8);

/** An IPv6 address held as four unsigned 32-bit words, most significant first. */
export class Ipv6Address {
  static readonly UNSPECIFIED = new Ipv6Address(0, 0, 0, 0);
  static readonly ALL_NODES = new Ipv6Address(0xff02_0000, 0, 0, 1);
  static readonly ALL_ROUTERS = new Ipv6Address(0xff02_0000, 0, 0, 2);

  constructor(
    readonly w0: number,
    readonly w1: number,
    readonly w2: number,
    readonly w3: number,
  ) {}

  static read(b: Uint8Array, o: number): Ipv6Address {
    return new Ipv6Address(
      ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0,
      ((b[o + 4] << 24) | (b[o + 5] << 16) | (b[o + 6] << 8) | b[o + 7]) >>> 0,
      ((b[o + 8] << 24) | (b[o + 9] << 16) | (b[o + 10] << 8) | b[o + 11]) >>> 0,
      ((b[o + 12] << 24) | (b[o + 13] << 16) | (b[o + 14] << 8) | b[o + 15]) >>> 0,
    );
  }

  /** Reads the first `bytes` bytes (0..16) of an address; the rest are zero (Route Information prefixes). */
  static readPartial(b: Uint8Array, o: number, bytes: number): Ipv6Address {
    const full = new Uint8Array(16);
    full.set(b.subarray(o, o + bytes));
    return Ipv6Address.read(full, 0);
  }

  static fromBytes(b: Uint8Array): Ipv6Address {
    if (b.length !== 16) throw new TypeError(`an IPv6 address has 16 bytes, not ${b.length}`);
    return Ipv6Address.read(b, 0);
  }

  /**
   * Parses RFC 4291 text (with `::` and a trailing dotted quad); null when it is not an address.
   * One pass over the characters, no intermediate strings or arrays: encoders fed from JSON parse
   * every address they write.
   */
  static tryParse(text: string): Ipv6Address | null {
    const n = text.length;
    if (n < 2 || n > 45) return null;
    const g = GROUPS;
    let count = 0;
    let gap = -1; // index in g where `::` stands
    let i = 0;
    if (text.charCodeAt(0) === COLON) {
      if (text.charCodeAt(1) !== COLON) return null;
      gap = 0;
      i = 2;
    }
    while (i < n) {
      const start = i;
      let v = 0;
      for (let h = hexValue(text.charCodeAt(i)); h >= 0; h = hexValue(text.charCodeAt(i))) {
        v = v * 16 + h;
        i++;
      }
      if (i < n && text.charCodeAt(i) === DOT) {
        // A trailing dotted quad stands for the last two groups.
        const v4 = count <= 6 ? Ipv4Address.tryParse(text.slice(start)) : null;
        if (!v4) return null;
        g[count++] = v4.value >>> 16;
        g[count++] = v4.value & 0xffff;
        break;
      }
      const digits = i - start;
      if (digits === 0 || digits > 4 || count === 8) return null;
      g[count++] = v;
      if (i === n) break;
      if (text.charCodeAt(i) !== COLON || ++i === n) return null;
      if (text.charCodeAt(i) === COLON) {
        if (gap >= 0) return null;
        gap = count;
        i++;
      }
    }
    if (gap < 0) {
      if (count !== 8) return null;
    } else {
      if (count > 7) return null;
      // Move the groups after `::` to the end and zero the run.
      const shift = 8 - count;
      for (let k = count - 1; k >= gap; k--) g[k + shift] = g[k];
      for (let k = gap; k < gap + shift; k++) g[k] = 0;
    }
    return new Ipv6Address(((g[0] << 16) | g[1]) >>> 0, ((g[2] << 16) | g[3]) >>> 0, ((g[4] << 16) | g[5]) >>> 0, ((g[6] << 16) | g[7]) >>> 0);
  }

  static parse(text: string): Ipv6Address {
    const a = Ipv6Address.tryParse(text);
    if (!a) throw new TypeError(`invalid IPv6 address "${text}"`);
    return a;
  }

  static from(v: Ipv6Address | string, field: string): Ipv6Address {
    if (v instanceof Ipv6Address) return v;
    const a = typeof v === 'string' ? Ipv6Address.tryParse(v) : null;
    if (!a) throw new EncodeError(`expected an IPv6 address, got ${JSON.stringify(v)}`, field);
    return a;
  }

  /** fe80::/64 with the modified EUI-64 identifier of `mac` (RFC 4291 appendix A). */
  static linkLocalFromMac(mac: MacAddress): Ipv6Address {
    return Ipv6Address.fromPrefixAndMac(new Ipv6Address(0xfe80_0000, 0, 0, 0), mac);
  }

  /** The /64 `prefix` with the modified EUI-64 identifier of `mac`. */
  static fromPrefixAndMac(prefix: Ipv6Address, mac: MacAddress): Ipv6Address {
    const b0 = mac.byte(0) ^ 0x02;
    const w2 = ((b0 << 24) | (mac.byte(1) << 16) | (mac.byte(2) << 8) | 0xff) >>> 0;
    const w3 = ((0xfe << 24) | (mac.byte(3) << 16) | (mac.byte(4) << 8) | mac.byte(5)) >>> 0;
    return new Ipv6Address(prefix.w0, prefix.w1, w2, w3);
  }

  write(b: Uint8Array, o: number): void {
    put32(b, o, this.w0);
    put32(b, o + 4, this.w1);
    put32(b, o + 8, this.w2);
    put32(b, o + 12, this.w3);
  }

  toBytes(): Uint8Array {
    const b = new Uint8Array(16);
    this.write(b, 0);
    return b;
  }

  word(i: number): number {
    return i === 0 ? this.w0 : i === 1 ? this.w1 : i === 2 ? this.w2 : this.w3;
  }

  equals(o: Ipv6Address): boolean {
    return this.w0 === o.w0 && this.w1 === o.w1 && this.w2 === o.w2 && this.w3 === o.w3;
  }

  /** This address with every bit past `len` cleared. */
  mask(len: number): Ipv6Address {
    const m = (i: number): number => {
      const bits = Math.max(0, Math.min(32, len - 32 * i));
      return bits === 0 ? 0 : bits === 32 ? this.word(i) : (this.word(i) & (0xffff_ffff << (32 - bits))) >>> 0;
    };
    return new Ipv6Address(m(0), m(1), m(2), m(3));
  }

  inPrefix(prefix: Ipv6Address, len: number): boolean {
    return this.mask(len).equals(prefix.mask(len));
  }

  /** The upper 64 bits of this address with the lower 64 of `iid`. */
  withInterfaceId(iid: Ipv6Address): Ipv6Address {
    return new Ipv6Address(this.w0, this.w1, iid.w2, iid.w3);
  }

  /** ff02::1:ffXX:XXXX for this address (RFC 4291 2.7.1). */
  solicitedNode(): Ipv6Address {
    return new Ipv6Address(0xff02_0000, 0, 1, (0xff00_0000 | (this.w3 & 0xff_ffff)) >>> 0);
  }

  get isUnspecified(): boolean {
    return (this.w0 | this.w1 | this.w2 | this.w3) === 0;
  }

  get isLinkLocal(): boolean {
    return this.w0 >>> 22 === 0x3fa; // fe80::/10
  }

  get isMulticast(): boolean {
    return this.w0 >>> 24 === 0xff;
  }

  get isLoopback(): boolean {
    return this.w0 === 0 && this.w1 === 0 && this.w2 === 0 && this.w3 === 1;
  }

  /**
   * RFC 5952 text: lower case, the longest run of two or more zero groups as `::` (leftmost on a
   * tie), and IPv4-mapped addresses in the mixed form section 5 recommends (`::ffff:192.0.2.1`).
   */
  toString(): string {
    if (this.w0 === 0 && this.w1 === 0 && this.w2 === 0xffff) return `::ffff:${new Ipv4Address(this.w3)}`;
    const g = [
      this.w0 >>> 16, this.w0 & 0xffff, this.w1 >>> 16, this.w1 & 0xffff,
      this.w2 >>> 16, this.w2 & 0xffff, this.w3 >>> 16, this.w3 & 0xffff,
    ];
    let bestStart = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; ) {
      if (g[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && g[j] === 0) j++;
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestStart < 0) return g.map((x) => x.toString(16)).join(':');
    const left = g.slice(0, bestStart).map((x) => x.toString(16)).join(':');
    const right = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(':');
    return `${left}::${right}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

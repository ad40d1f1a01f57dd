/** DNS Search List option (type 31), RFC 8106 5.2. */
import { DecodeError, EncodeError, checkUint } from '../../errors.js';
import { u32, put32 } from '../../bytes.js';
import type { EncodeInput } from '../../loose.js';
import { ND_OPTION_TYPE } from '../../icmpv6-types.js';
import { decodeNames, encodeName } from './domain-name.js';


export interface DnsslOption {
  kind: 'dnssl';
  reserved: number;
  /** Seconds; all ones is infinity, 0 withdraws the domains. */
  lifetime: number;
  domains: string[];
  /** Option length in 8-byte units; more than the names need means extra zero padding. */
  length: number;
}

export type DnsslInput = EncodeInput<DnsslOption, 'reserved' | 'length'>;

/** A header unit and at least one unit of names. */
export function lengthOk(units: number): boolean {
  return units >= 2;
}

/** Decodes the option at `b[o..end)` (its type byte first); errors carry offsets within `b`. */
export function decode(b: Uint8Array, o = 0, end = b.length): DnsslOption {
  const units = (end - o) / 8;
  if (!lengthOk(units)) throw new DecodeError(`DNSSL length ${units} is below the minimum of 2`, 'length', o + 1);
  const domains = decodeNames(b, o + 8, end, 'domains');
  return { kind: 'dnssl', reserved: (b[o + 2] << 8) | b[o + 3], lifetime: u32(b, o + 4), domains, length: units };
}

function wireNames(opt: DnsslInput): Uint8Array[] {
  return opt.domains.map((d, i) => encodeName(d, `domains[${i}]`));
}

function unitsFor(names: Uint8Array[]): number {
  const bytes = names.reduce((n, w) => n + w.length, 8);
  return Math.max(2, Math.ceil(bytes / 8));
}

export function encodingLength(opt: DnsslInput): number {
  return 8 * (opt.length ?? unitsFor(wireNames(opt)));
}

export function encodeInto(opt: DnsslInput, b: Uint8Array, o: number): number {
  const names = wireNames(opt);
  const needed = unitsFor(names);
  const units = checkUint(opt.length ?? needed, 8, 'length');
  if (units < needed) throw new EncodeError(`length ${units} is too short for the domains (${needed} needed)`, 'length');
  b[o] = ND_OPTION_TYPE.dnssl;
  b[o + 1] = units;
  const r = checkUint(opt.reserved ?? 0, 16, 'reserved');
  b[o + 2] = r >>> 8;
  b[o + 3] = r;
  put32(b, o + 4, checkUint(opt.lifetime, 32, 'lifetime'));
  let p = o + 8;
  for (const n of names) {
    b.set(n, p);
    p += n.length;
  }
  b.fill(0, p, o + 8 * units);
  return o + 8 * units;
}

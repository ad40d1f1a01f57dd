/** DNS Search List option (type 31), RFC 8106 5.2. */
import { DecodeError, EncodeError, checkUint } from '../../errors.js';
import { u32, put32 } from '../../bytes.js';
import type { EncodeInput } from '../../loose.js';
import { ND_OPTION_TYPE } from '../../icmpv6-types.js';
import { decodeNames, writeName } from './domain-name.js';


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

/** Bytes of the domains' wire forms (checking each). */
function namesLength(opt: DnsslInput): number {
  let n = 0;
  for (let i = 0; i < opt.domains.length; i++) n += writeName(opt.domains[i], undefined, 0, `domains[${i}]`);
  return n;
}

function unitsFor(namesBytes: number): number {
  return Math.max(2, Math.ceil((8 + namesBytes) / 8));
}

export function encodingLength(opt: DnsslInput): number {
  return 8 * (opt.length ?? unitsFor(namesLength(opt)));
}

export function encodeInto(opt: DnsslInput, b: Uint8Array, o: number): number {
  const needed = unitsFor(namesLength(opt));
  const units = checkUint(opt.length ?? needed, 8, 'length');
  if (units < needed) throw new EncodeError(`length ${units} is too short for the domains (${needed} needed)`, 'length');
  b[o] = ND_OPTION_TYPE.dnssl;
  b[o + 1] = units;
  const r = checkUint(opt.reserved ?? 0, 16, 'reserved');
  b[o + 2] = r >>> 8;
  b[o + 3] = r;
  put32(b, o + 4, checkUint(opt.lifetime, 32, 'lifetime'));
  let p = o + 8;
  for (let i = 0; i < opt.domains.length; i++) p = writeName(opt.domains[i], b, p, `domains[${i}]`);
  b.fill(0, p, o + 8 * units);
  return o + 8 * units;
}

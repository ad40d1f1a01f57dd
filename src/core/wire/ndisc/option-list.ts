/**
 * The option area of an ND message (RFC 4861 4.6): the walk over type-length-value options, and
 * where each kind of option is decoded and encoded.
 */
import { DecodeError, EncodeError } from '../errors.js';
import { bytesFrom, type Loose } from '../loose.js';
import * as lla from './options/link-layer-address.js';
import * as prefixInfo from './options/prefix-info.js';
import * as redirectedHeader from './options/redirected-header.js';
import * as mtu from './options/mtu.js';
import * as nonce from './options/nonce.js';
import * as routeInfo from './options/route-info.js';
import * as rdnss from './options/rdnss.js';
import * as dnssl from './options/dnssl.js';
import * as captivePortal from './options/captive-portal.js';
import * as pref64 from './options/pref64.js';
import { encodeUnknown, encodingLengthUnknown, type MalformedOption, type UnknownOption } from './options/unknown.js';

export type { LinkLayerAddressOption } from './options/link-layer-address.js';
export type { PrefixInfoOption } from './options/prefix-info.js';
export type { RedirectedHeaderOption } from './options/redirected-header.js';
export type { MtuOption } from './options/mtu.js';
export type { NonceOption } from './options/nonce.js';
export type { RouteInfoOption } from './options/route-info.js';
export type { RdnssOption } from './options/rdnss.js';
export type { DnsslOption } from './options/dnssl.js';
export type { CaptivePortalOption } from './options/captive-portal.js';
export type { Pref64Option } from './options/pref64.js';
export type { UnknownOption, MalformedOption } from './options/unknown.js';

export type NdOption =
  | lla.LinkLayerAddressOption
  | prefixInfo.PrefixInfoOption
  | redirectedHeader.RedirectedHeaderOption
  | mtu.MtuOption
  | nonce.NonceOption
  | routeInfo.RouteInfoOption
  | rdnss.RdnssOption
  | dnssl.DnsslOption
  | captivePortal.CaptivePortalOption
  | pref64.Pref64Option
  | UnknownOption
  | MalformedOption;

export type NdOptionInput =
  | Loose<lla.LinkLayerAddressOption>
  | prefixInfo.PrefixInfoInput
  | redirectedHeader.RedirectedHeaderInput
  | mtu.MtuInput
  | Loose<nonce.NonceOption>
  | routeInfo.RouteInfoInput
  | rdnss.RdnssInput
  | dnssl.DnsslInput
  | captivePortal.CaptivePortalInput
  | Loose<pref64.Pref64Option>
  | Loose<UnknownOption>
  | { kind: 'malformed'; bytes: Uint8Array | string; cause?: MalformedOption['cause'] };

/** Option type numbers by kind. */
export const OPTION_TYPES = {
  'source-lla': lla.TYPE_SOURCE,
  'target-lla': lla.TYPE_TARGET,
  'prefix-info': prefixInfo.TYPE,
  'redirected-header': redirectedHeader.TYPE,
  mtu: mtu.TYPE,
  nonce: nonce.TYPE,
  'route-info': routeInfo.TYPE,
  rdnss: rdnss.TYPE,
  dnssl: dnssl.TYPE,
  'captive-portal': captivePortal.TYPE,
  pref64: pref64.TYPE,
} as const;

/**
 * Decodes one known option at `b[o..end)`, or returns undefined for a type linklab does not know.
 * A switch rather than a table, so each decoder can be inlined on this hot path.
 */
function decodeKnown(type: number, b: Uint8Array, o: number, end: number): NdOption | undefined {
  switch (type) {
    case lla.TYPE_SOURCE:
    case lla.TYPE_TARGET:
      return lla.decode(b, o, end);
    case prefixInfo.TYPE:
      return prefixInfo.decode(b, o, end);
    case redirectedHeader.TYPE:
      return redirectedHeader.decode(b, o, end);
    case mtu.TYPE:
      return mtu.decode(b, o, end);
    case nonce.TYPE:
      return nonce.decode(b, o, end);
    case routeInfo.TYPE:
      return routeInfo.decode(b, o, end);
    case rdnss.TYPE:
      return rdnss.decode(b, o, end);
    case dnssl.TYPE:
      return dnssl.decode(b, o, end);
    case captivePortal.TYPE:
      return captivePortal.decode(b, o, end);
    case pref64.TYPE:
      return pref64.decode(b, o, end);
    default:
      return undefined;
  }
}

/** The type byte of an option, whatever its kind. */
export function optionType(opt: NdOption): number {
  switch (opt.kind) {
    case 'unknown':
      return opt.type;
    case 'malformed':
      return opt.bytes[0];
    default:
      return OPTION_TYPES[opt.kind];
  }
}

/**
 * Decodes the options in `b` from `start` to the end. Never throws: a known option with bad
 * contents becomes a `malformed` entry and the walk goes on; a length of zero or one that runs
 * past the end becomes a final `malformed` entry holding the rest of the bytes.
 */
export function decodeOptions(b: Uint8Array, start: number): NdOption[] {
  const options: NdOption[] = [];
  let o = start;
  while (o < b.length) {
    if (o + 2 > b.length) {
      const error = new DecodeError('option header truncated', `options[${options.length}]`, o);
      options.push({ kind: 'malformed', cause: 'overrun', bytes: b.subarray(o), error });
      break;
    }
    const units = b[o + 1];
    if (units === 0) {
      const error = new DecodeError('option length 0', `options[${options.length}].length`, o + 1);
      options.push({ kind: 'malformed', cause: 'length-zero', bytes: b.subarray(o), error });
      break;
    }
    const end = o + 8 * units;
    if (end > b.length) {
      const error = new DecodeError(`option of ${8 * units} bytes runs past the end of the message`, `options[${options.length}].length`, o + 1);
      options.push({ kind: 'malformed', cause: 'overrun', bytes: b.subarray(o), error });
      break;
    }
    try {
      options.push(decodeKnown(b[o], b, o, end) ?? { kind: 'unknown', type: b[o], data: b.subarray(o + 2, end) });
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      options.push({ kind: 'malformed', cause: 'contents', bytes: b.subarray(o, end), error: err.within(`options[${options.length}]`, 0) });
    }
    o = end;
  }
  return options;
}

function lengthOf(opt: NdOptionInput): number {
  switch (opt.kind) {
    case 'source-lla':
    case 'target-lla':
      return lla.encodingLength();
    case 'prefix-info':
      return prefixInfo.encodingLength();
    case 'redirected-header':
      return redirectedHeader.encodingLength(opt);
    case 'mtu':
      return mtu.encodingLength();
    case 'nonce':
      return nonce.encodingLength(opt);
    case 'route-info':
      return routeInfo.encodingLength(opt);
    case 'rdnss':
      return rdnss.encodingLength(opt);
    case 'dnssl':
      return dnssl.encodingLength(opt);
    case 'captive-portal':
      return captivePortal.encodingLength(opt);
    case 'pref64':
      return pref64.encodingLength();
    case 'unknown':
      return encodingLengthUnknown(opt);
    case 'malformed':
      return bytesFrom(opt.bytes, 'bytes').length;
    default:
      throw new EncodeError(`unknown option kind ${JSON.stringify((opt as { kind: unknown }).kind)}`, 'kind');
  }
}

function encodeOne(opt: NdOptionInput, b: Uint8Array, o: number): void {
  switch (opt.kind) {
    case 'source-lla':
    case 'target-lla':
      return lla.encode(opt, b, o);
    case 'prefix-info':
      return prefixInfo.encode(opt, b, o);
    case 'redirected-header':
      return redirectedHeader.encode(opt, b, o);
    case 'mtu':
      return mtu.encode(opt, b, o);
    case 'nonce':
      return nonce.encode(opt, b, o);
    case 'route-info':
      return routeInfo.encode(opt, b, o);
    case 'rdnss':
      return rdnss.encode(opt, b, o);
    case 'dnssl':
      return dnssl.encode(opt, b, o);
    case 'captive-portal':
      return captivePortal.encode(opt, b, o);
    case 'pref64':
      return pref64.encode(opt, b, o);
    case 'unknown':
      return encodeUnknown(opt, b, o);
    case 'malformed':
      b.set(bytesFrom(opt.bytes, 'bytes'), o);
      return;
  }
}

function within<T>(i: number, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof EncodeError) throw err.within(`options[${i}]`);
    if (err instanceof TypeError) throw new EncodeError(err.message, `options[${i}]`);
    throw err;
  }
}

export function optionsLength(options: readonly NdOptionInput[]): number {
  let n = 0;
  for (let i = 0; i < options.length; i++) n += within(i, () => lengthOf(options[i]));
  return n;
}

/** Writes the options at `o`; returns the offset after them. */
export function encodeOptions(options: readonly NdOptionInput[], b: Uint8Array, o: number): number {
  let p = o;
  for (let i = 0; i < options.length; i++) {
    const opt = options[i];
    const len = within(i, () => lengthOf(opt));
    within(i, () => encodeOne(opt, b, p));
    p += len;
  }
  return p;
}

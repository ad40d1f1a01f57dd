/**
 * The option area of an ND message (RFC 4861 4.6): the registry of option codecs, and the walk
 * over type-length-value options. The registry is the only place that maps an option's kind to
 * its codec; type numbers come from ND_OPTION_TYPE. A new option is its own file, a row in
 * ND_OPTION_TYPE and a row in CODECS; the option types below follow from the codecs.
 */
import { DecodeError, EncodeError } from '../errors.js';
import type { Loose } from '../loose.js';
import type { Codec } from '../codec.js';
import { ND_OPTION_TYPE, type NdOptionKind } from '../icmpv6-types.js';
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
import { malformedCodec, unknownCodec, type MalformedOption, type MalformedOptionInput, type UnknownOption } from './options/unknown.js';

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
export { ND_OPTION_TYPE, type NdOptionKind } from '../icmpv6-types.js';

/** The codec of each option kind linklab interprets. */
const CODECS = {
  'source-lla': lla,
  'target-lla': lla,
  'prefix-info': prefixInfo,
  'redirected-header': redirectedHeader,
  mtu,
  nonce,
  'route-info': routeInfo,
  rdnss,
  dnssl,
  'captive-portal': captivePortal,
  pref64,
} satisfies { [K in NdOptionKind]: Codec<{ kind: string }, never> };

type Codecs = typeof CODECS;
type Decoded<K extends NdOptionKind> = ReturnType<Codecs[K]['decode']>;
type Input<K extends NdOptionKind> = Parameters<Codecs[K]['encodeInto']>[0];

export type NdOption = { [K in NdOptionKind]: Decoded<K> }[NdOptionKind] | UnknownOption | MalformedOption;
export type NdOptionInput = { [K in NdOptionKind]: Input<K> }[NdOptionKind] | Loose<UnknownOption> | MalformedOptionInput;

type Decoder = (b: Uint8Array, o: number, end: number) => NdOption;
type Encoder = Pick<Codec<unknown, NdOptionInput>, 'encodingLength' | 'encodeInto'>;

/** Decoders by type byte (undefined: an option linklab keeps as `unknown`). */
const DECODERS: Array<Decoder | undefined> = new Array<Decoder | undefined>(256).fill(undefined);
/** Encoders by kind, the kept-as-is kinds included. */
const ENCODERS = new Map<string, Encoder>([
  ['unknown', unknownCodec as Encoder],
  ['malformed', malformedCodec as Encoder],
]);
for (const kind of Object.keys(CODECS) as NdOptionKind[]) {
  DECODERS[ND_OPTION_TYPE[kind]] = CODECS[kind].decode as Decoder;
  ENCODERS.set(kind, CODECS[kind] as unknown as Encoder);
}

/** Length rules by type byte, from the codecs that have one. */
const LENGTH_RULES: Array<((units: number) => boolean) | undefined> = new Array<((units: number) => boolean) | undefined>(256).fill(undefined);
for (const kind of Object.keys(CODECS) as NdOptionKind[]) {
  const c = CODECS[kind] as { lengthOk?: (units: number) => boolean };
  LENGTH_RULES[ND_OPTION_TYPE[kind]] = c.lengthOk;
}

/** Whether an option of type `type` may be `units` 8-byte units long (any length, for kinds without a rule). */
export function optionLengthOk(type: number, units: number): boolean {
  const rule = LENGTH_RULES[type];
  return rule === undefined || rule(units);
}

/** The type byte of an option, whatever its kind. */
export function optionType(opt: NdOption): number {
  switch (opt.kind) {
    case 'unknown':
      return opt.type;
    case 'malformed':
      return opt.bytes[0];
    default:
      return ND_OPTION_TYPE[opt.kind];
  }
}

/**
 * Decodes the options in `b` from `start` to `end`. Never throws: a known option with bad
 * contents becomes a `malformed` entry and the walk goes on; a length of zero or one that runs
 * past the end becomes a final `malformed` entry holding the rest of the bytes.
 */
export function decodeOptions(b: Uint8Array, start: number, end = b.length): NdOption[] {
  const options: NdOption[] = [];
  let o = start;
  while (o < end) {
    if (o + 2 > end) {
      const error = new DecodeError('option header truncated', `options[${options.length}]`, o);
      options.push({ kind: 'malformed', cause: 'overrun', bytes: b.subarray(o, end), error });
      break;
    }
    const units = b[o + 1];
    if (units === 0) {
      const error = new DecodeError('option length 0', `options[${options.length}].length`, o + 1);
      options.push({ kind: 'malformed', cause: 'length-zero', bytes: b.subarray(o, end), error });
      break;
    }
    const next = o + 8 * units;
    if (next > end) {
      const error = new DecodeError(`option of ${8 * units} bytes runs past the end of the message`, `options[${options.length}].length`, o + 1);
      options.push({ kind: 'malformed', cause: 'overrun', bytes: b.subarray(o, end), error });
      break;
    }
    const decode = DECODERS[b[o]];
    if (decode === undefined) {
      options.push({ kind: 'unknown', type: b[o], data: b.subarray(o + 2, next) });
    } else {
      try {
        options.push(decode(b, o, next));
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        options.push({ kind: 'malformed', cause: 'contents', bytes: b.subarray(o, next), error: err.within(`options[${options.length}]`, 0) });
      }
    }
    o = next;
  }
  return options;
}

function encoderOf(opt: NdOptionInput): Encoder {
  const e = ENCODERS.get(opt.kind);
  if (!e) throw new EncodeError(`unknown option kind ${JSON.stringify((opt as { kind: unknown }).kind)}`, 'kind');
  return e;
}

/** An error from options[i]'s codec, as seen from the option list (no closure per option: encode is hot). */
function withinOption(i: number, err: unknown): unknown {
  if (err instanceof EncodeError) return err.within(`options[${i}]`);
  if (err instanceof TypeError) return new EncodeError(err.message, `options[${i}]`);
  return err;
}

export function optionsLength(options: readonly NdOptionInput[]): number {
  let n = 0;
  for (let i = 0; i < options.length; i++) {
    const opt = options[i];
    try {
      n += encoderOf(opt).encodingLength(opt);
    } catch (err) {
      throw withinOption(i, err);
    }
  }
  return n;
}

/** Writes the options at `o` (the room made with optionsLength); returns the offset after them. */
export function encodeOptions(options: readonly NdOptionInput[], b: Uint8Array, o: number): number {
  let p = o;
  for (let i = 0; i < options.length; i++) {
    const opt = options[i];
    try {
      p = encoderOf(opt).encodeInto(opt, b, p);
    } catch (err) {
      throw withinOption(i, err);
    }
  }
  return p;
}

/** Captive-Portal option (type 37), RFC 8910 2.3: a URI padded with NUL bytes. */
import { DecodeError, EncodeError, checkUint } from '../../errors.js';
import type { EncodeInput } from '../../loose.js';
import { ND_OPTION_TYPE } from '../../icmpv6-types.js';


export interface CaptivePortalOption {
  kind: 'captive-portal';
  uri: string;
  /** Option length in 8-byte units. */
  length: number;
}

export type CaptivePortalInput = EncodeInput<CaptivePortalOption, 'length'>;

// ignoreBOM: a leading U+FEFF is part of the URI's bytes, so it must survive a round trip.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Out = new TextEncoder();

/** Decodes the option at `b[o..end)` (its type byte first); errors carry offsets within `b`. */
export function decode(b: Uint8Array, o = 0, end = b.length): CaptivePortalOption {
  let last = end;
  while (last > o + 2 && b[last - 1] === 0) last--;
  const text = b.subarray(o + 2, last);
  const nul = text.indexOf(0);
  if (nul >= 0) throw new DecodeError('NUL byte inside the URI', 'uri', o + 2 + nul);
  let uri: string;
  try {
    uri = utf8.decode(text);
  } catch {
    throw new DecodeError('URI is not UTF-8', 'uri', o + 2);
  }
  return { kind: 'captive-portal', uri, length: (end - o) / 8 };
}

export function encodingLength(opt: CaptivePortalInput): number {
  return 8 * (opt.length ?? Math.ceil((2 + utf8Out.encode(opt.uri).length) / 8));
}

export function encodeInto(opt: CaptivePortalInput, b: Uint8Array, o: number): number {
  const uri = utf8Out.encode(opt.uri);
  if (uri.includes(0)) throw new EncodeError('NUL byte inside the URI', 'uri');
  const needed = Math.ceil((2 + uri.length) / 8);
  const units = checkUint(opt.length ?? needed, 8, 'length');
  if (units < needed || units === 0) throw new EncodeError(`length ${units} is too short for the URI (${needed} needed)`, 'length');
  b[o] = ND_OPTION_TYPE['captive-portal'];
  b[o + 1] = units;
  b.set(uri, o + 2);
  b.fill(0, o + 2 + uri.length, o + 8 * units);
  return o + 8 * units;
}

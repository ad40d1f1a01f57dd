/**
 * A message's decode, as `linklab packet decode` prints it: the same decoder and the same printer
 * (src/core/wire), bundled into the page, run when a message is opened.
 */
import { decode, firstMalformedOption } from '../../core/wire/packet.js';
import { describePacket } from '../../core/wire/describe.js';
import { DecodeError } from '../../core/wire/errors.js';
import { summarize } from '../../adapters/sim/summary.js';
import { LINK_IPV4 } from '../data.js';

export function bytesOf(base64: string): Uint8Array {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The lines `linklab packet decode` prints for these bytes, and its error line if it has one. */
export function decodeLines(base64: string, link: number): { lines: string[]; error?: string } {
  const bytes = bytesOf(base64);
  try {
    const p = decode(bytes, link === LINK_IPV4 ? 'ipv4' : 'ethernet');
    const lines = describePacket(p);
    const bad = firstMalformedOption(p);
    return bad ? { lines, error: bad.message } : { lines };
  } catch (err) {
    if (err instanceof DecodeError) return { lines: [], error: err.message };
    throw err;
  }
}

const summaries = new Map<string, string>();

/** The one-line summary the trace gives a frame (frame.tx's `summary`). */
export function summaryOf(base64: string, link: number): string {
  let s = summaries.get(base64);
  if (s === undefined) {
    s = summarize(bytesOf(base64), link === LINK_IPV4 ? 'ipv4' : 'ethernet');
    summaries.set(base64, s);
  }
  return s;
}

/** Hex of the bytes, 16 to a line, for the raw view. */
export function hexLines(base64: string): string[] {
  const b = bytesOf(base64);
  const lines: string[] = [];
  for (let o = 0; o < b.length; o += 16) {
    const row = Array.from(b.subarray(o, o + 16), (x) => x.toString(16).padStart(2, '0'));
    lines.push(`${o.toString(16).padStart(4, '0')}  ${row.join(' ')}`);
  }
  return lines;
}

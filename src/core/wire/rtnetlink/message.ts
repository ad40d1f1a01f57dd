/**
 * rtnetlink messages: one `decode`/`encode`/`encodingLength` over every kind linklab speaks
 * (links, addresses, neighbours, routes, errors/acknowledgements, end of dump), and
 * `decodeAll`/`encodeAll` for a datagram holding several (a multipart dump). Other message types
 * decode to `{kind: 'other'}` with their payload kept. Byte order is little-endian (see endian.ts).
 */
import { DecodeError, EncodeError, checkUint, nested } from '../errors.js';
import { attributesLength, decodeAttributes, writeAttributes, type AttributeTable } from './attributes.js';
import { NLMSG_DONE, NLMSG_ERROR } from './constants.js';
import { align4, putLe32 } from './endian.js';
import { HEADER_LENGTH, decodeHeader, writeHeader, type NlHeader, type NlHeaderInput } from './header.js';
import { LINK_ATTRIBUTES, linkFixed, type LinkMessage, type LinkMessageInput } from './link.js';
import { ADDRESS_ATTRIBUTES, addressFixed, type AddressMessage, type AddressMessageInput } from './address.js';
import { NEIGHBOR_ATTRIBUTES, neighborFixed, type NeighborMessage, type NeighborMessageInput } from './neighbor.js';
import { ROUTE_ATTRIBUTES, routeFixed, type RouteMessage, type RouteMessageInput } from './route.js';
import { EXT_ACK_ATTRIBUTES, decodeDoneBody, decodeErrorBody, hasExtAck, type DoneMessage, type DoneMessageInput, type ErrorMessage, type ErrorMessageInput } from './error.js';
import { checkInt32 } from './ints.js';

export interface OtherMessage {
  kind: 'other';
  header: NlHeader;
  payload: Uint8Array;
}

export interface OtherMessageInput {
  kind: 'other';
  header: NlHeaderInput;
  payload: Uint8Array;
}

export type RtnlMessage = LinkMessage | AddressMessage | NeighborMessage | RouteMessage | ErrorMessage | DoneMessage | OtherMessage;
export type RtnlMessageInput = LinkMessageInput | AddressMessageInput | NeighborMessageInput | RouteMessageInput | ErrorMessageInput | DoneMessageInput | OtherMessageInput;

type StructKind = 'link' | 'address' | 'neighbor' | 'route';

interface Fixed {
  length: number;
  decode(b: Uint8Array, o: number, field: string): Record<string, number>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  write(m: any, b: Uint8Array, o: number): void;
}

const STRUCTS: Record<StructKind, { fixed: Fixed; table: AttributeTable }> = {
  link: { fixed: linkFixed, table: LINK_ATTRIBUTES },
  address: { fixed: addressFixed, table: ADDRESS_ATTRIBUTES },
  neighbor: { fixed: neighborFixed, table: NEIGHBOR_ATTRIBUTES },
  route: { fixed: routeFixed, table: ROUTE_ATTRIBUTES },
};

/** The message kind a type number carries (RTM_*LINK 16-19, *ADDR 20-23, *ROUTE 24-27, *NEIGH 28-31). */
export function kindOfType(type: number): RtnlMessage['kind'] {
  if (type === NLMSG_ERROR) return 'error';
  if (type === NLMSG_DONE) return 'done';
  if (type >= 16 && type <= 19) return 'link';
  if (type >= 20 && type <= 23) return 'address';
  if (type >= 24 && type <= 27) return 'route';
  if (type >= 28 && type <= 31) return 'neighbor';
  return 'other';
}

/** Decodes the message starting at `o` of `b`; offsets in errors count from the start of `b`. */
function decodeAt(b: Uint8Array, o: number): RtnlMessage {
  const header = decodeHeader(b, o);
  if (o + header.length > b.length) {
    throw new DecodeError(`nlmsg_len ${header.length} runs past the ${b.length - o} bytes present`, 'header.length', o);
  }
  const end = o + header.length;
  const body = o + HEADER_LENGTH;
  const kind = kindOfType(header.type);
  if (kind === 'error') {
    const e = decodeErrorBody(header, b, body, end);
    const m: ErrorMessage = { kind, header, error: e.error, request: e.request, requestPayload: e.requestPayload };
    if (hasExtAck(header.flags)) m.extAck = decodeAttributes(EXT_ACK_ATTRIBUTES, b, e.tlvStart, end, 'extAck');
    return m;
  }
  if (kind === 'done') {
    const m: DoneMessage = { kind, header, error: decodeDoneBody(b, body, end) };
    if (hasExtAck(header.flags)) m.extAck = decodeAttributes(EXT_ACK_ATTRIBUTES, b, body + 4, end, 'extAck');
    return m;
  }
  if (kind === 'other') return { kind, header, payload: b.slice(body, end) };
  const { fixed, table } = STRUCTS[kind];
  const values = fixed.decode(b.subarray(0, end), body, kind);
  const attributes = decodeAttributes(table, b, Math.min(end, body + align4(fixed.length)), end, 'attributes');
  return { kind, header, ...values, attributes } as RtnlMessage;
}

/** Decodes one message; bytes after it (its padding, or more messages) are ignored. */
export function decode(b: Uint8Array): RtnlMessage {
  return decodeAt(b, 0);
}

/** Decodes every message in a datagram, in order (a dump's parts, then NLMSG_DONE). */
export function decodeAll(b: Uint8Array): RtnlMessage[] {
  const out: RtnlMessage[] = [];
  let o = 0;
  while (o < b.length) {
    const start = o;
    const m = nested(`messages[${out.length}]`, 0, () => decodeAt(b, start));
    out.push(m);
    o += align4(m.header.length);
  }
  return out;
}

function bodyLength(m: RtnlMessageInput): number {
  switch (m.kind) {
    case 'error': {
      const payload = m.requestPayload?.length ?? 0;
      return align4(4 + HEADER_LENGTH + payload) + (m.extAck ? attributesLength(EXT_ACK_ATTRIBUTES, m.extAck, 'extAck') : 0);
    }
    case 'done':
      return 4 + (m.extAck ? attributesLength(EXT_ACK_ATTRIBUTES, m.extAck, 'extAck') : 0);
    case 'other':
      return m.payload.length;
    default: {
      const { fixed, table } = STRUCTS[m.kind];
      return align4(fixed.length) + attributesLength(table, m.attributes, 'attributes');
    }
  }
}

/** nlmsg_len of the message (header included, trailing padding excluded). */
export function encodingLength(m: RtnlMessageInput): number {
  return HEADER_LENGTH + bodyLength(m);
}

export function encode(m: RtnlMessageInput, buf?: Uint8Array, offset = 0): Uint8Array {
  const len = encodingLength(m);
  const b = buf ?? new Uint8Array(offset + align4(len));
  if (b.length < offset + len) throw new EncodeError(`buffer too small (${len} bytes needed)`, 'rtnetlink');
  writeHeader(m.header, len, b, offset);
  const o = offset + HEADER_LENGTH;
  switch (m.kind) {
    case 'error': {
      putLe32(b, o, checkInt32(m.error, 'error'));
      const payload = m.requestPayload ?? new Uint8Array(0);
      writeHeader(m.request, HEADER_LENGTH + payload.length, b, o + 4, 'request');
      b.set(payload, o + 4 + HEADER_LENGTH);
      const t = o + align4(4 + HEADER_LENGTH + payload.length);
      b.fill(0, o + 4 + HEADER_LENGTH + payload.length, t);
      if (m.extAck) writeAttributes(EXT_ACK_ATTRIBUTES, m.extAck, b, t, 'extAck');
      break;
    }
    case 'done':
      putLe32(b, o, checkInt32(m.error, 'error'));
      if (m.extAck) writeAttributes(EXT_ACK_ATTRIBUTES, m.extAck, b, o + 4, 'extAck');
      break;
    case 'other':
      b.set(m.payload, o);
      break;
    default: {
      checkUint(m.header.type, 16, 'header.type');
      const { fixed, table } = STRUCTS[m.kind];
      fixed.write(m, b, o);
      b.fill(0, o + fixed.length, o + align4(fixed.length));
      writeAttributes(table, m.attributes, b, o + align4(fixed.length), 'attributes');
    }
  }
  return b;
}

/** Encodes several messages into one datagram, each aligned to 4 bytes. */
export function encodeAll(ms: RtnlMessageInput[]): Uint8Array {
  const total = ms.reduce((n, m) => n + align4(encodingLength(m)), 0);
  const b = new Uint8Array(total);
  let o = 0;
  for (const m of ms) {
    encode(m, b, o);
    o += align4(encodingLength(m));
  }
  return b;
}

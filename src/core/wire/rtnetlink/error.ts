/**
 * NLMSG_ERROR (struct nlmsgerr: an errno, then the request's header, then its payload unless the
 * kernel capped it, then extended-ack attributes when NLM_F_ACK_TLVS is set) and NLMSG_DONE (an
 * int: 0, or the error that ended a dump, and the same optional attributes). `error` 0 on an
 * NLMSG_ERROR is an acknowledgement.
 */
import { DecodeError, need } from '../errors.js';
import { string, u32, type Attributes, type AttributesInput } from './attributes.js';
import { NLM_F_ACK_TLVS, NLM_F_CAPPED, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS } from './constants.js';
import { le32s } from './endian.js';
import { HEADER_LENGTH, decodeHeader, type NlHeader, type NlHeaderInput } from './header.js';

export const EXT_ACK_ATTRIBUTES = {
  /** The kernel's explanation ("Invalid prefix for given prefix length"). */
  message: { type: NLMSGERR_ATTR_MSG, codec: string },
  /** Offset of the offending attribute in the request. */
  offset: { type: NLMSGERR_ATTR_OFFS, codec: u32 },
};

export type ExtAck = Attributes<typeof EXT_ACK_ATTRIBUTES>;

export interface ErrorMessage {
  kind: 'error';
  header: NlHeader;
  /** 0 acknowledges; otherwise a negative errno (-17 is EEXIST). */
  error: number;
  /** The header of the request this answers. */
  request: NlHeader;
  /** The request's payload, when the kernel did not cap it (NLM_F_CAPPED). */
  requestPayload: Uint8Array;
  /** Extended acknowledgement, present when the header has NLM_F_ACK_TLVS. */
  extAck?: ExtAck;
}

export interface ErrorMessageInput {
  kind: 'error';
  header: NlHeaderInput;
  error: number;
  request: NlHeaderInput;
  requestPayload?: Uint8Array;
  extAck?: AttributesInput<typeof EXT_ACK_ATTRIBUTES>;
}

export interface DoneMessage {
  kind: 'done';
  header: NlHeader;
  /** 0, or the negative errno that ended the dump early. */
  error: number;
  extAck?: ExtAck;
}

export interface DoneMessageInput {
  kind: 'done';
  header: NlHeaderInput;
  error: number;
  extAck?: AttributesInput<typeof EXT_ACK_ATTRIBUTES>;
}

/** Decodes an nlmsgerr body in [start, end); `header` is the message's own header. */
export function decodeErrorBody(header: NlHeader, b: Uint8Array, start: number, end: number): { error: number; request: NlHeader; requestPayload: Uint8Array; tlvStart: number } {
  need(b.subarray(0, end), start, 4 + HEADER_LENGTH, 'error', 'nlmsgerr');
  const error = le32s(b, start);
  const request = decodeHeader(b, start + 4, 'request');
  let payloadLength = 0;
  if ((header.flags & NLM_F_CAPPED) === 0) {
    payloadLength = request.length - HEADER_LENGTH;
    if (start + 4 + request.length > end) {
      throw new DecodeError(`the echoed request claims ${request.length} bytes, ${end - start - 4} present`, 'request.length', start + 4);
    }
  }
  const p = start + 4 + HEADER_LENGTH;
  return { error, request, requestPayload: b.slice(p, p + payloadLength), tlvStart: Math.min(end, (p + payloadLength + 3) & ~3) };
}

export function decodeDoneBody(b: Uint8Array, start: number, end: number): number {
  need(b.subarray(0, end), start, 4, 'error', 'NLMSG_DONE error code');
  return le32s(b, start);
}

export function hasExtAck(flags: number): boolean {
  return (flags & NLM_F_ACK_TLVS) !== 0;
}

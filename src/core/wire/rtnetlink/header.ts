/** struct nlmsghdr: the 16-byte header in front of every netlink message. */
import { DecodeError, checkUint, need } from '../errors.js';
import { le16, le32, putLe16, putLe32 } from './endian.js';

export const HEADER_LENGTH = 16;

export interface NlHeader {
  /** nlmsg_len: the message's length, header included, padding excluded. */
  length: number;
  type: number;
  flags: number;
  seq: number;
  /** nlmsg_pid: the sender's port id (0 for the kernel). */
  pid: number;
}

/** Encoder input: `length` is computed when left out. */
export type NlHeaderInput = Omit<NlHeader, 'length'> & { length?: number };

export function decodeHeader(b: Uint8Array, o: number, field = 'header'): NlHeader {
  need(b, o, HEADER_LENGTH, field, 'netlink header');
  const length = le32(b, o);
  if (length < HEADER_LENGTH) throw new DecodeError(`nlmsg_len ${length} is shorter than the 16-byte header`, `${field}.length`, o);
  return { length, type: le16(b, o + 4), flags: le16(b, o + 6), seq: le32(b, o + 8), pid: le32(b, o + 12) };
}

export function writeHeader(h: NlHeaderInput, length: number, b: Uint8Array, o: number, field = 'header'): void {
  putLe32(b, o, checkUint(h.length ?? length, 32, `${field}.length`));
  putLe16(b, o + 4, checkUint(h.type, 16, `${field}.type`));
  putLe16(b, o + 6, checkUint(h.flags, 16, `${field}.flags`));
  putLe32(b, o + 8, checkUint(h.seq, 32, `${field}.seq`));
  putLe32(b, o + 12, checkUint(h.pid, 32, `${field}.pid`));
}

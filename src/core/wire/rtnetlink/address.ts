/** RTM_NEWADDR / DELADDR / GETADDR: struct ifaddrmsg (8 bytes) and IFA_* attributes. */
import { checkUint, need } from '../errors.js';
import { ip, string, u32, u32Struct, type Attributes, type AttributesInput } from './attributes.js';
import { IFA_ADDRESS, IFA_BROADCAST, IFA_CACHEINFO, IFA_FLAGS, IFA_LABEL, IFA_LOCAL } from './constants.js';
import { le32, putLe32 } from './endian.js';
import type { NlHeader, NlHeaderInput } from './header.js';

export const IFADDRMSG_LENGTH = 8;

export const ADDRESS_ATTRIBUTES = {
  /** The address (for point-to-point links, the peer's). */
  address: { type: IFA_ADDRESS, codec: ip },
  /** The local address (IPv4; on point-to-point links it differs from `address`). */
  local: { type: IFA_LOCAL, codec: ip },
  label: { type: IFA_LABEL, codec: string },
  broadcast: { type: IFA_BROADCAST, codec: ip },
  /** Lifetimes in seconds (0xffffffff = forever) and time stamps in 1/100 s. */
  cacheInfo: { type: IFA_CACHEINFO, codec: u32Struct(['preferred', 'valid', 'created', 'updated'] as const) },
  /** The full 32-bit flags (ifa_flags only has room for the low 8). */
  flags: { type: IFA_FLAGS, codec: u32 },
};

export interface AddressMessage {
  kind: 'address';
  header: NlHeader;
  family: number;
  prefixLength: number;
  /** ifa_flags: IFA_F_* (low 8 bits). */
  flags: number;
  scope: number;
  index: number;
  attributes: Attributes<typeof ADDRESS_ATTRIBUTES>;
}

export type AddressMessageInput = Omit<AddressMessage, 'header' | 'attributes'> & {
  header: NlHeaderInput;
  attributes: AttributesInput<typeof ADDRESS_ATTRIBUTES>;
};

export const addressFixed = {
  length: IFADDRMSG_LENGTH,
  decode(b: Uint8Array, o: number, field: string) {
    need(b, o, IFADDRMSG_LENGTH, field, 'ifaddrmsg');
    return { family: b[o], prefixLength: b[o + 1], flags: b[o + 2], scope: b[o + 3], index: le32(b, o + 4) };
  },
  write(m: AddressMessageInput, b: Uint8Array, o: number): void {
    b[o] = checkUint(m.family, 8, 'family');
    b[o + 1] = checkUint(m.prefixLength, 8, 'prefixLength');
    b[o + 2] = checkUint(m.flags, 8, 'flags');
    b[o + 3] = checkUint(m.scope, 8, 'scope');
    putLe32(b, o + 4, checkUint(m.index, 32, 'index'));
  },
};

/** RTM_NEWNEIGH / DELNEIGH / GETNEIGH: struct ndmsg (12 bytes) and NDA_* attributes. */
import { checkUint, need } from '../errors.js';
import { bytes, ip, u32, u32Struct, type Attributes, type AttributesInput } from './attributes.js';
import { NDA_CACHEINFO, NDA_DST, NDA_LLADDR, NDA_PROBES } from './constants.js';
import { le16, le32s, putLe16, putLe32 } from './endian.js';
import type { NlHeader, NlHeaderInput } from './header.js';
import { checkInt32 } from './ints.js';

export const NDMSG_LENGTH = 12;

// In the order the kernel writes them (neigh_fill_info), so a decoded message re-encodes unchanged.
export const NEIGHBOR_ATTRIBUTES = {
  destination: { type: NDA_DST, codec: ip },
  /** The link-layer address (6 bytes on Ethernet). */
  lladdr: { type: NDA_LLADDR, codec: bytes },
  probes: { type: NDA_PROBES, codec: u32 },
  /** Times in clock ticks since the events, and the reference count. */
  cacheInfo: { type: NDA_CACHEINFO, codec: u32Struct(['confirmed', 'used', 'updated', 'refcnt'] as const) },
};

export interface NeighborMessage {
  kind: 'neighbor';
  header: NlHeader;
  family: number;
  index: number;
  /** ndm_state: NUD_* bits. */
  state: number;
  /** ndm_flags: NTF_*. */
  flags: number;
  /** ndm_type: RTN_*. */
  type: number;
  attributes: Attributes<typeof NEIGHBOR_ATTRIBUTES>;
}

export type NeighborMessageInput = Omit<NeighborMessage, 'header' | 'attributes'> & {
  header: NlHeaderInput;
  attributes: AttributesInput<typeof NEIGHBOR_ATTRIBUTES>;
};

export const neighborFixed = {
  length: NDMSG_LENGTH,
  decode(b: Uint8Array, o: number, field: string) {
    need(b, o, NDMSG_LENGTH, field, 'ndmsg');
    return { family: b[o], index: le32s(b, o + 4), state: le16(b, o + 8), flags: b[o + 10], type: b[o + 11] };
  },
  write(m: NeighborMessageInput, b: Uint8Array, o: number): void {
    b[o] = checkUint(m.family, 8, 'family');
    b.fill(0, o + 1, o + 4);
    putLe32(b, o + 4, checkInt32(m.index, 'index'));
    putLe16(b, o + 8, checkUint(m.state, 16, 'state'));
    b[o + 10] = checkUint(m.flags, 8, 'flags');
    b[o + 11] = checkUint(m.type, 8, 'type');
  },
};

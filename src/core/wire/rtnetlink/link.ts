/** RTM_NEWLINK / DELLINK / GETLINK / SETLINK: struct ifinfomsg (16 bytes) and IFLA_* attributes. */
import { checkUint, need } from '../errors.js';
import { bytes, s32, string, u32, u8, type Attributes, type AttributesInput } from './attributes.js';
import { IFLA_ADDRESS, IFLA_BROADCAST, IFLA_IFNAME, IFLA_LINK, IFLA_MASTER, IFLA_MTU, IFLA_OPERSTATE, IFLA_TXQLEN } from './constants.js';
import { le16, le32, le32s, putLe16, putLe32 } from './endian.js';
import type { NlHeader, NlHeaderInput } from './header.js';
import { checkInt32 } from './ints.js';

export const IFINFOMSG_LENGTH = 16;

export const LINK_ATTRIBUTES = {
  address: { type: IFLA_ADDRESS, codec: bytes },
  broadcast: { type: IFLA_BROADCAST, codec: bytes },
  ifname: { type: IFLA_IFNAME, codec: string },
  mtu: { type: IFLA_MTU, codec: u32 },
  link: { type: IFLA_LINK, codec: s32 },
  master: { type: IFLA_MASTER, codec: u32 },
  txqlen: { type: IFLA_TXQLEN, codec: u32 },
  operstate: { type: IFLA_OPERSTATE, codec: u8 },
};

export interface LinkMessage {
  kind: 'link';
  header: NlHeader;
  family: number;
  /** ifi_type: ARPHRD_* (1 Ethernet, 772 loopback, 65534 none/TUN). */
  deviceType: number;
  /** ifi_index. */
  index: number;
  /** ifi_flags: IFF_*. */
  flags: number;
  /** ifi_change: which flags a SETLINK/NEWLINK request changes. */
  change: number;
  attributes: Attributes<typeof LINK_ATTRIBUTES>;
}

export type LinkMessageInput = Omit<LinkMessage, 'header' | 'attributes'> & {
  header: NlHeaderInput;
  attributes: AttributesInput<typeof LINK_ATTRIBUTES>;
};

export const linkFixed = {
  length: IFINFOMSG_LENGTH,
  decode(b: Uint8Array, o: number, field: string) {
    need(b, o, IFINFOMSG_LENGTH, field, 'ifinfomsg');
    return { family: b[o], deviceType: le16(b, o + 2), index: le32s(b, o + 4), flags: le32(b, o + 8), change: le32(b, o + 12) };
  },
  write(m: LinkMessageInput, b: Uint8Array, o: number): void {
    b[o] = checkUint(m.family, 8, 'family');
    b[o + 1] = 0;
    putLe16(b, o + 2, checkUint(m.deviceType, 16, 'deviceType'));
    putLe32(b, o + 4, checkInt32(m.index, 'index'));
    putLe32(b, o + 8, checkUint(m.flags, 32, 'flags'));
    putLe32(b, o + 12, checkUint(m.change, 32, 'change'));
  },
};

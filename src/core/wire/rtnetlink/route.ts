/** RTM_NEWROUTE / DELROUTE / GETROUTE: struct rtmsg (12 bytes) and RTA_* attributes. */
import { checkUint, need } from '../errors.js';
import { ip, u32, u8, type Attributes, type AttributesInput } from './attributes.js';
import { RTA_DST, RTA_GATEWAY, RTA_IIF, RTA_OIF, RTA_PREF, RTA_PREFSRC, RTA_PRIORITY, RTA_SRC, RTA_TABLE } from './constants.js';
import { le32, putLe32 } from './endian.js';
import type { NlHeader, NlHeaderInput } from './header.js';

export const RTMSG_LENGTH = 12;

export const ROUTE_ATTRIBUTES = {
  destination: { type: RTA_DST, codec: ip },
  source: { type: RTA_SRC, codec: ip },
  iif: { type: RTA_IIF, codec: u32 },
  oif: { type: RTA_OIF, codec: u32 },
  gateway: { type: RTA_GATEWAY, codec: ip },
  priority: { type: RTA_PRIORITY, codec: u32 },
  /** The preferred source address: what RTM_GETROUTE answers for "which source towards X". */
  prefSource: { type: RTA_PREFSRC, codec: ip },
  table: { type: RTA_TABLE, codec: u32 },
  /** Router preference (RFC 4191) of IPv6 routes. */
  pref: { type: RTA_PREF, codec: u8 },
};

export interface RouteMessage {
  kind: 'route';
  header: NlHeader;
  family: number;
  dstLength: number;
  srcLength: number;
  tos: number;
  /** rtm_table (RTA_TABLE carries tables above 255). */
  table: number;
  /** rtm_protocol: RTPROT_*. */
  protocol: number;
  /** rtm_scope: RT_SCOPE_*. */
  scope: number;
  /** rtm_type: RTN_*. */
  type: number;
  /** rtm_flags: RTM_F_*. */
  flags: number;
  attributes: Attributes<typeof ROUTE_ATTRIBUTES>;
}

export type RouteMessageInput = Omit<RouteMessage, 'header' | 'attributes'> & {
  header: NlHeaderInput;
  attributes: AttributesInput<typeof ROUTE_ATTRIBUTES>;
};

export const routeFixed = {
  length: RTMSG_LENGTH,
  decode(b: Uint8Array, o: number, field: string) {
    need(b, o, RTMSG_LENGTH, field, 'rtmsg');
    return {
      family: b[o],
      dstLength: b[o + 1],
      srcLength: b[o + 2],
      tos: b[o + 3],
      table: b[o + 4],
      protocol: b[o + 5],
      scope: b[o + 6],
      type: b[o + 7],
      flags: le32(b, o + 8),
    };
  },
  write(m: RouteMessageInput, b: Uint8Array, o: number): void {
    b[o] = checkUint(m.family, 8, 'family');
    b[o + 1] = checkUint(m.dstLength, 8, 'dstLength');
    b[o + 2] = checkUint(m.srcLength, 8, 'srcLength');
    b[o + 3] = checkUint(m.tos, 8, 'tos');
    b[o + 4] = checkUint(m.table, 8, 'table');
    b[o + 5] = checkUint(m.protocol, 8, 'protocol');
    b[o + 6] = checkUint(m.scope, 8, 'scope');
    b[o + 7] = checkUint(m.type, 8, 'type');
    putLe32(b, o + 8, checkUint(m.flags, 32, 'flags'));
  },
};

/**
 * The kernel's SIT driver in ISATAP mode, for the privileged side: the tunnel made over rtnetlink
 * (what `ip tunnel add NAME mode isatap local V [dev LINK] [ttl T] [nopmtudisc]` sends:
 * IFLA_LINKINFO kind "sit" with IFLA_IPTUN_FLAGS = SIT_ISATAP), the Potential Router List through
 * SIOCADDPRL/SIOCDELPRL, and an ICMPv6 socket on the tunnel for the RSs and RAs.
 */
import type { TunnelParams } from '../../../core/isatapd/tunnel.js';
import type { Ipv4Address } from '../../../core/wire/ipv4-address.js';
import * as rtnl from '../../../core/wire/rtnetlink/index.js';
import { ICMPV6_TYPE } from '../../../core/wire/icmpv6-types.js';
import { native } from '../addon.js';
import { openIcmpv6Socket } from '../icmpv6-port.js';
import type { NetlinkInterfaceControl } from '../interface-control.js';

const IFLA_LINKINFO = 18;
const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const IFLA_IPTUN_LINK = 1;
const IFLA_IPTUN_LOCAL = 2;
const IFLA_IPTUN_TTL = 4;
const IFLA_IPTUN_FLAGS = 8;
const IFLA_IPTUN_PMTUDISC = 10;
const NLA_F_NESTED = 0x8000;
const SIT_ISATAP = 0x0001;

/** One netlink attribute (length, type, data, padding to 4 bytes; host byte order). */
function nla(type: number, data: Uint8Array): Uint8Array {
  const len = 4 + data.length;
  const out = new Uint8Array((len + 3) & ~3);
  new DataView(out.buffer).setUint16(0, len, true);
  new DataView(out.buffer).setUint16(2, type, true);
  out.set(data, 4);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const u8 = (v: number): Uint8Array => Uint8Array.of(v);
const u16 = (v: number): Uint8Array => Uint8Array.of(v & 0xff, v >>> 8);
const u32 = (v: number): Uint8Array => Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);

/** The IFLA_LINKINFO attribute of a SIT tunnel in ISATAP mode. */
export function isatapLinkInfo(p: { local: Ipv4Address; ttl: number; pmtudisc: boolean; linkIndex?: number }): Uint8Array {
  const data = concat([
    ...(p.linkIndex ? [nla(IFLA_IPTUN_LINK, u32(p.linkIndex))] : []),
    nla(IFLA_IPTUN_LOCAL, p.local.toBytes()),
    nla(IFLA_IPTUN_TTL, u8(p.ttl)),
    nla(IFLA_IPTUN_PMTUDISC, u8(p.pmtudisc ? 1 : 0)),
    nla(IFLA_IPTUN_FLAGS, u16(SIT_ISATAP)),
  ]);
  return concat([nla(IFLA_INFO_KIND, new TextEncoder().encode('sit')), nla(IFLA_INFO_DATA | NLA_F_NESTED, data)]);
}

export class LinuxSit {
  constructor(private readonly control: NetlinkInterfaceControl) {}

  /** Creates and brings up the tunnel; `done` gets its index and an ICMPv6 socket bound to it. */
  create(p: TunnelParams, done: (t: { ifindex: number; icmpFd: number } | null, error?: string) => void): void {
    let linkIndex: number | undefined;
    if (p.link) {
      linkIndex = native().ifNameToIndex(p.link);
      if (linkIndex === 0) {
        queueMicrotask(() => done(null, `no interface ${p.link}`));
        return;
      }
    }
    const NEW = rtnl.NLM_F_REQUEST | rtnl.NLM_F_ACK | rtnl.NLM_F_CREATE | rtnl.NLM_F_EXCL;
    const message: rtnl.RtnlMessageInput = {
      kind: 'link',
      header: { type: rtnl.RTM_NEWLINK, flags: NEW, seq: 0, pid: 0 },
      family: rtnl.AF_UNSPEC,
      deviceType: 0,
      index: 0,
      flags: rtnl.IFF_UP,
      change: rtnl.IFF_UP,
      attributes: {
        ifname: p.name,
        ...(p.mtu > 0 ? { mtu: p.mtu } : {}),
        other: [{ type: IFLA_LINKINFO | NLA_F_NESTED, data: isatapLinkInfo({ local: p.local, ttl: p.ttl, pmtudisc: p.pmtudisc, linkIndex }) }],
      },
    };
    this.control.apply(message, `create ISATAP tunnel ${p.name}`, (error) => {
      if (error) return done(null, error);
      const ifindex = native().ifNameToIndex(p.name);
      try {
        done({ ifindex, icmpFd: openIcmpv6Socket(ifindex, p.name, { types: [ICMPV6_TYPE['router-advert']] }) });
      } catch (err) {
        this.control.deleteLink(p.name);
        done(null, `ICMPv6 socket on ${p.name}: ${(err as Error).message}`);
      }
    });
  }

  /** SIOCADDPRL (default router) or SIOCDELPRL. */
  prl(op: 'add' | 'remove', ifname: string, v4: Ipv4Address, done: (error?: string) => void): void {
    try {
      native().sitPrl(ifname, op === 'add', v4.toBytes(), true);
      queueMicrotask(() => done());
    } catch (err) {
      const e = err as Error & { code?: string };
      // Adding one already there is harmless (the original ignored EEXIST too).
      queueMicrotask(() => done(op === 'add' && e.code === 'EEXIST' ? undefined : e.message));
    }
  }

  remove(ifname: string, done: (error?: string) => void): void {
    this.control.deleteLink(ifname, done);
  }
}

/**
 * ICMPv6 message types (RFC 4443, RFC 4861, RFC 3810) and Neighbor Discovery option types (IANA
 * "IPv6 Neighbor Discovery Option Formats"), each under the kind name its codec gives a decoded
 * value. These numbers are written here and nowhere else: codecs, daemons and adapters import them.
 */

export const ICMPV6_TYPE = {
  'destination-unreachable': 1,
  'packet-too-big': 2,
  'time-exceeded': 3,
  'parameter-problem': 4,
  'echo-request': 128,
  'echo-reply': 129,
  'mld-query': 130,
  'mld-report': 131,
  'mld-done': 132,
  'router-solicit': 133,
  'router-advert': 134,
  'neighbor-solicit': 135,
  'neighbor-advert': 136,
  redirect: 137,
  'mld2-report': 143,
} as const;

export type Icmpv6TypeName = keyof typeof ICMPV6_TYPE;

/** True for the five Neighbor Discovery messages (133 to 137). */
export function isNdType(type: number): boolean {
  return type >= ICMPV6_TYPE['router-solicit'] && type <= ICMPV6_TYPE.redirect;
}

/** True for the error messages (types below 128), which must never be answered with an error (RFC 4443 2.4). */
export function isErrorType(type: number): boolean {
  return type < ICMPV6_TYPE['echo-request'];
}

export const ND_OPTION_TYPE = {
  'source-lla': 1,
  'target-lla': 2,
  'prefix-info': 3,
  'redirected-header': 4,
  mtu: 5,
  nonce: 14,
  'route-info': 24,
  rdnss: 25,
  dnssl: 31,
  'captive-portal': 37,
  pref64: 38,
} as const;

export type NdOptionKind = keyof typeof ND_OPTION_TYPE;

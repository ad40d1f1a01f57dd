/** What the userspace data plane counts: packets each way, and every drop by its reason. */
import { NO_ROUTE, NOT_ISATAP, MULTICAST } from './next-hop.js';
import { NOT_IPV6, TOO_SHORT } from './encap.js';
import { FRAGMENT, INNER_MALFORMED, NOT_PROTOCOL_41, OUTER_MALFORMED, SOURCE_RULE } from './decap.js';

export type DropReason =
  | 'no-route'
  | 'not-isatap'
  | 'multicast'
  | 'not-ipv6'
  | 'too-short'
  | 'send-failed'
  | 'too-big'
  | 'outer-malformed'
  | 'not-protocol-41'
  | 'fragment'
  | 'not-local'
  | 'inner-malformed'
  | 'source-rule'
  | 'icmpv6-checksum'
  | 'nd-not-for-us';

export const DROP_REASONS: readonly DropReason[] = [
  'no-route',
  'not-isatap',
  'multicast',
  'not-ipv6',
  'too-short',
  'send-failed',
  'too-big',
  'outer-malformed',
  'not-protocol-41',
  'fragment',
  'not-local',
  'inner-malformed',
  'source-rule',
  'icmpv6-checksum',
  'nd-not-for-us',
];

/** The reason behind a negative code from the encap/decap functions. */
export function reasonOf(code: number): DropReason {
  switch (code) {
    case NO_ROUTE:
      return 'no-route';
    case NOT_ISATAP:
      return 'not-isatap';
    case MULTICAST:
      return 'multicast';
    case NOT_IPV6:
      return 'not-ipv6';
    case TOO_SHORT:
      return 'too-short';
    case OUTER_MALFORMED:
      return 'outer-malformed';
    case NOT_PROTOCOL_41:
      return 'not-protocol-41';
    case FRAGMENT:
      return 'fragment';
    case INNER_MALFORMED:
      return 'inner-malformed';
    case SOURCE_RULE:
      return 'source-rule';
    default:
      throw new Error(`no drop reason for code ${code}`);
  }
}

export class DataplaneCounters {
  /** IPv6 packets read from the TUN device. */
  fromTun = 0;
  /** Protocol-41 datagrams sent (RSs included). */
  encapsulated = 0;
  /** Protocol-41 datagrams received. */
  fromNetwork = 0;
  /** IPv6 packets written to the TUN device. */
  toTun = 0;
  /** Router Advertisements handed to the control plane. */
  toControl = 0;
  /** Packet Too Big messages written to the TUN device (path MTU discovery). */
  tooBig = 0;
  readonly dropped: Record<DropReason, number> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;

  drop(reason: DropReason): void {
    this.dropped[reason]++;
  }

  toJSON(): Record<string, unknown> {
    const dropped: Record<string, number> = {};
    for (const r of DROP_REASONS) if (this.dropped[r] > 0) dropped[r] = this.dropped[r];
    return { fromTun: this.fromTun, encapsulated: this.encapsulated, fromNetwork: this.fromNetwork, toTun: this.toTun, toControl: this.toControl, tooBig: this.tooBig, dropped };
  }
}

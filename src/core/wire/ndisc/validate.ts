/**
 * Validation of received ND messages, kept apart from decoding: a decoder says what the bytes are,
 * these functions say why a receiver must drop them. Each returns every reason that applies (an
 * empty list means valid), so daemons can count drops by reason.
 *
 * `validate` follows RFC 4861 (6.1.1, 6.1.2, 7.1.1, 7.1.2, 8.1); `strictOptionProblems` adds the
 * option rules that systemd's sd-ndisc enforces.
 */
import type { Ipv6Address } from '../ipv6-address.js';
import type { NdMessage } from '../icmpv6.js';
import type { NdOption } from './option-list.js';

export type ProblemReason =
  | 'hop-limit'
  | 'checksum'
  | 'code'
  | 'source-not-link-local'
  | 'option-length-zero'
  | 'option-overrun'
  | 'malformed-option'
  | 'source-lla-from-unspecified'
  | 'target-multicast'
  | 'destination-not-solicited-node'
  | 'solicited-to-multicast'
  | 'destination-multicast'
  | 'redirect-target'
  | 'prefix-length'
  | 'mtu-too-small'
  | 'lifetimes'
  | 'pref64-plc';

export interface Problem {
  reason: ProblemReason;
  detail: string;
}

/** What the receiver knows about a message beyond its bytes. */
export interface ReceiveContext {
  src: Ipv6Address;
  dst: Ipv6Address;
  hopLimit: number;
  /** Whether the ICMPv6 checksum verified; leave out when the socket already checked it. */
  checksumOk?: boolean;
}

/** Adds to `problems` the options whose length broke the walk (zero, or past the end). */
function addOptionStructureProblems(options: readonly NdOption[], problems: Problem[]): void {
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    if (o.kind !== 'malformed' || o.cause === 'contents') continue;
    const reason = o.cause === 'length-zero' ? 'option-length-zero' : 'option-overrun';
    problems.push({ reason, detail: `${o.error.field}: ${o.error.what}` });
  }
}

function hasSourceLla(options: readonly NdOption[]): boolean {
  for (let i = 0; i < options.length; i++) if (options[i].kind === 'source-lla') return true;
  return false;
}

/** RFC 4861's receive checks for any ND message. */
export function validate(m: NdMessage, ctx: ReceiveContext): Problem[] {
  const problems: Problem[] = [];
  if (ctx.hopLimit !== 255) problems.push({ reason: 'hop-limit', detail: `hop limit ${ctx.hopLimit}, must be 255` });
  if (ctx.checksumOk === false) problems.push({ reason: 'checksum', detail: 'ICMPv6 checksum does not verify' });
  if (m.code !== 0) problems.push({ reason: 'code', detail: `code ${m.code}, must be 0` });
  addOptionStructureProblems(m.options, problems);
  switch (m.kind) {
    case 'router-solicit':
      if (ctx.src.isUnspecified && hasSourceLla(m.options)) {
        problems.push({ reason: 'source-lla-from-unspecified', detail: 'source link-layer address option with unspecified source' });
      }
      break;
    case 'router-advert':
      if (!ctx.src.isLinkLocal) problems.push({ reason: 'source-not-link-local', detail: `source ${ctx.src} is not link-local` });
      break;
    case 'neighbor-solicit':
      if (m.target.isMulticast) problems.push({ reason: 'target-multicast', detail: `target ${m.target} is multicast` });
      if (ctx.src.isUnspecified) {
        if (!ctx.dst.equals(m.target.solicitedNode())) {
          problems.push({ reason: 'destination-not-solicited-node', detail: `DAD probe sent to ${ctx.dst}, not ${m.target.solicitedNode()}` });
        }
        if (hasSourceLla(m.options)) {
          problems.push({ reason: 'source-lla-from-unspecified', detail: 'source link-layer address option with unspecified source' });
        }
      }
      break;
    case 'neighbor-advert':
      if (m.target.isMulticast) problems.push({ reason: 'target-multicast', detail: `target ${m.target} is multicast` });
      if (ctx.dst.isMulticast && m.solicited) {
        problems.push({ reason: 'solicited-to-multicast', detail: 'solicited flag set on an advertisement to a multicast address' });
      }
      break;
    case 'redirect':
      if (!ctx.src.isLinkLocal) problems.push({ reason: 'source-not-link-local', detail: `source ${ctx.src} is not link-local` });
      if (m.destination.isMulticast) problems.push({ reason: 'destination-multicast', detail: `destination ${m.destination} is multicast` });
      if (!m.target.isLinkLocal && !m.target.equals(m.destination)) {
        problems.push({ reason: 'redirect-target', detail: `target ${m.target} is neither link-local nor the destination` });
      }
      break;
  }
  return problems;
}

/** sd-ndisc's stricter option rules: every option must decode, with sane values. */
export function strictOptionProblems(options: readonly NdOption[]): Problem[] {
  const problems: Problem[] = [];
  options.forEach((o, i) => {
    switch (o.kind) {
      case 'malformed':
        if (o.cause === 'contents') problems.push({ reason: 'malformed-option', detail: `${o.error.field}: ${o.error.what}` });
        break;
      case 'prefix-info':
        if (o.prefixLength > 128) problems.push({ reason: 'prefix-length', detail: `options[${i}]: prefix length ${o.prefixLength} exceeds 128` });
        if (o.preferredLifetime > o.validLifetime) {
          problems.push({ reason: 'lifetimes', detail: `options[${i}]: preferred lifetime ${o.preferredLifetime} exceeds valid ${o.validLifetime}` });
        }
        break;
      case 'mtu':
        if (o.mtu < 1280) problems.push({ reason: 'mtu-too-small', detail: `options[${i}]: MTU ${o.mtu} below 1280` });
        break;
      case 'pref64':
        if (o.plc > 5) problems.push({ reason: 'pref64-plc', detail: `options[${i}]: prefix length code ${o.plc} is not assigned` });
        break;
      default:
        break;
    }
  });
  return problems;
}

/**
 * Validation of received ND messages, kept apart from decoding: a decoder says what the bytes are,
 * this module says why a receiver must drop them, each reason a typed code (NdReason), so daemons
 * count drops by reason without reading message text.
 *
 * It is the one acceptance path for Router Advertisements: rtsold, isatapd and the simulator's
 * kernel take RAs through `checkRa`, each with its own RaPolicy (which checks drop an RA and in
 * which order they are made, which options drop it, which are left out). `validate` applies
 * RFC 4861's receive checks to any ND message (6.1.1, 6.1.2, 7.1.1, 7.1.2, 8.1), RAs through the
 * same checks. `strictOptionProblems` and the option limits are systemd's sd-ndisc rules.
 */
import type { Ipv6Address } from '../ipv6-address.js';
import type { NdMessage } from '../icmpv6.js';
import { ICMPV6_TYPE, ND_OPTION_TYPE, type NdOptionKind } from '../icmpv6-types.js';
import * as ra from './router-advert.js';
import { optionLengthOk, optionType, type MalformedOption, type NdOption } from './option-list.js';

/** Why a received Router Advertisement is dropped. */
export type RaDropReason =
  /** Shorter than an RA's 16 fixed bytes. */
  | 'too-short'
  /** Another ICMPv6 type where an RA was expected. */
  | 'not-ra'
  | 'code'
  | 'hop-limit'
  | 'checksum'
  | 'source-not-link-local'
  /** Arrived on an interface the receiver does not run on (rtsold: not one it was given; isatapd: not the tunnel). */
  | 'unexpected-interface'
  /** From a router the receiver did not solicit (isatapd: not in its potential router list). */
  | 'unsolicited'
  | 'option-length-zero'
  | 'option-overrun'
  /** An option whose body does not decode (for an RaPolicy, one of its `strictOptions`). */
  | 'malformed-option';

/** Why an option of an accepted message is left out (sd-ndisc, and Linux for repeats). */
export type OptionLimitReason = 'too-many-options' | 'duplicate-option';

/** Every reason this module gives. */
export type NdReason =
  | RaDropReason
  | OptionLimitReason
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
  reason: NdReason;
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

// ---------------------------------------------------------------------------------------------
// Option limits

export interface OptionLimits {
  /** Options after this many are left out (sd-ndisc: 128). */
  maxOptions?: number;
  /** Kinds a message carries once: a repeat is left out, the first one counts. */
  singleInstance: readonly NdOptionKind[];
}

/** sd-ndisc's: at most 128 options; one link-layer address of each kind, redirected header, MTU, captive portal. */
export const SD_NDISC_LIMITS: OptionLimits = { maxOptions: 128, singleInstance: ['source-lla', 'target-lla', 'redirected-header', 'mtu', 'captive-portal'] };

/** Linux's (ndisc_parse_options): no cap; a repeated link-layer address, MTU, nonce or redirected header is ignored. */
export const LINUX_LIMITS: OptionLimits = { singleInstance: ['source-lla', 'target-lla', 'mtu', 'nonce', 'redirected-header'] };

export interface IgnoredOption {
  /** Position in the message's options. */
  index: number;
  type: number;
  reason: OptionLimitReason;
}

/** The options `limits` leave out, in order (an empty list, allocated once, when none). */
export function limitedOptions(options: readonly NdOption[], limits: OptionLimits): IgnoredOption[] {
  let ignored: IgnoredOption[] | undefined;
  let seen = 0; // bit i: a singleInstance[i] option was taken
  const single = limits.singleInstance;
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    let reason: OptionLimitReason | undefined;
    if (limits.maxOptions !== undefined && i >= limits.maxOptions) reason = 'too-many-options';
    else {
      const k = single.indexOf(o.kind as NdOptionKind);
      if (k >= 0) {
        if (seen & (1 << k)) reason = 'duplicate-option';
        else seen |= 1 << k;
      }
    }
    if (reason) (ignored ??= []).push({ index: i, type: optionType(o), reason });
  }
  return ignored ?? NONE;
}

const NONE: IgnoredOption[] = [];

function limitProblems(options: readonly NdOption[], limits: OptionLimits, problems: Problem[]): void {
  for (const x of limitedOptions(options, limits)) {
    const detail = x.reason === 'too-many-options' ? `options[${x.index}]: more than ${limits.maxOptions} options` : `options[${x.index}]: a second option of type ${x.type}`;
    problems.push({ reason: x.reason, detail });
  }
}

// ---------------------------------------------------------------------------------------------
// The checks, each once

const hopLimit = (h: number): string | undefined => (h !== 255 ? `hop limit ${h}, must be 255` : undefined);
const checksum = (ok: boolean | undefined): string | undefined => (ok === false ? 'ICMPv6 checksum does not verify' : undefined);
const code = (c: number): string | undefined => (c !== 0 ? `code ${c}, must be 0` : undefined);
const linkLocalSource = (src: Ipv6Address): string | undefined => (src.isLinkLocal ? undefined : `source ${src} is not link-local`);

/** The option whose length broke the walk (zero, or past the end), if one did. */
function structureBreak(options: readonly NdOption[], cause: 'length-zero' | 'overrun'): string | undefined {
  // The walk stops at such an option, so it can only be the last one.
  const o = options[options.length - 1];
  return o !== undefined && o.kind === 'malformed' && o.cause === cause ? `${o.error.field}: ${o.error.what}` : undefined;
}

function malformedBody(options: readonly NdOption[], kinds: readonly NdOptionKind[] | undefined): string | undefined {
  for (const o of options) {
    if (o.kind !== 'malformed' || o.cause !== 'contents') continue;
    if (kinds === undefined || kinds.some((k) => ND_OPTION_TYPE[k] === o.bytes[0])) return `${o.error.field}: ${o.error.what}`;
  }
  return undefined;
}

function hasSourceLla(options: readonly NdOption[]): boolean {
  for (let i = 0; i < options.length; i++) if (options[i].kind === 'source-lla') return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Router Advertisements

/** How a receiver takes Router Advertisements. */
export interface RaPolicy {
  /** The checks that drop an RA, in the order the receiver makes them. */
  readonly drops: readonly RaDropReason[];
  /** `first`: stop at the first failing check (a daemon counts one reason per RA); `all`: report each (the kernel model counts them all). */
  readonly report: 'first' | 'all';
  /** With `malformed-option` among the drops: the kinds whose bad body drops the RA (default: any kind). */
  readonly strictOptions?: readonly NdOptionKind[];
  /** Options of an accepted RA to leave out. */
  readonly limits?: OptionLimits;
}

/** RFC 4861 6.1.2, as Linux applies it: every reason, in validate's order; repeats left out as Linux does. */
export const RFC4861_RA: RaPolicy = {
  drops: ['hop-limit', 'checksum', 'code', 'option-length-zero', 'option-overrun', 'source-not-link-local'],
  report: 'all',
  limits: LINUX_LIMITS,
};

/** A received RA: the bytes and what the socket said (an Icmpv6Received fits). */
export interface RaInput {
  message: Uint8Array;
  src: Ipv6Address;
  dst: Ipv6Address;
  hopLimit: number;
}

/** What the receiver knows besides: each left out means "fine". */
export interface RaFacts {
  checksumOk?: boolean;
  /** False: the RA came in on an interface the receiver does not run on. */
  onInterface?: boolean;
  /** False: it came from a router the receiver did not solicit. */
  fromKnownRouter?: boolean;
  /** The RA already decoded from `message`, when the caller has it. */
  decoded?: ra.RouterAdvert;
}

export type RaVerdict =
  /** `ra` as the receiver acts on it: the options the limits leave out are not in it (they are in `ignored`). */
  | { ok: true; ra: ra.RouterAdvert; ignored: IgnoredOption[] }
  /** Each failing check in policy order (with `report: 'first'`, only the first). */
  | { ok: false; problems: Problem[] };

/** Runs `policy`'s checks on a received RA; decodes it only when a check needs the options, or it is taken. */
export function checkRa(rx: RaInput, policy: RaPolicy, facts: RaFacts = {}): RaVerdict {
  const b = rx.message;
  let adv = facts.decoded;
  const decodable = adv !== undefined || (b.length >= ra.FIXED_LENGTH && b[0] === ICMPV6_TYPE['router-advert']);
  const options = (): readonly NdOption[] => (adv ??= ra.decode(b)).options;
  let problems: Problem[] | undefined;
  for (const reason of policy.drops) {
    let detail: string | undefined;
    switch (reason) {
      case 'too-short':
        if (b.length < ra.FIXED_LENGTH) detail = `${b.length} bytes, fewer than ${ra.FIXED_LENGTH}`;
        break;
      case 'not-ra':
        if (b.length > 0 && b[0] !== ICMPV6_TYPE['router-advert']) detail = `type ${b[0]} is not a router advertisement`;
        break;
      case 'code':
        detail = code(adv ? adv.code : b[1]);
        break;
      case 'hop-limit':
        detail = hopLimit(rx.hopLimit);
        break;
      case 'checksum':
        detail = checksum(facts.checksumOk);
        break;
      case 'source-not-link-local':
        detail = linkLocalSource(rx.src);
        break;
      case 'unexpected-interface':
        if (facts.onInterface === false) detail = 'on an interface the receiver does not run on';
        break;
      case 'unsolicited':
        if (facts.fromKnownRouter === false) detail = `${rx.src} is not a router the receiver solicits`;
        break;
      case 'option-length-zero':
        if (decodable) detail = structureBreak(options(), 'length-zero');
        break;
      case 'option-overrun':
        if (decodable) detail = structureBreak(options(), 'overrun');
        break;
      case 'malformed-option':
        if (decodable) detail = malformedBody(options(), policy.strictOptions);
        break;
    }
    if (detail === undefined) continue;
    (problems ??= []).push({ reason, detail });
    if (policy.report === 'first') break;
  }
  if (problems) return { ok: false, problems };
  adv ??= ra.decode(b);
  const ignored = policy.limits ? limitedOptions(adv.options, policy.limits) : NONE;
  if (ignored.length === 0) return { ok: true, ra: adv, ignored };
  const left = new Set(ignored.map((x) => x.index));
  return { ok: true, ra: { ...adv, options: adv.options.filter((_, i) => !left.has(i)) }, ignored };
}

// ---------------------------------------------------------------------------------------------
// Every ND message

/** RFC 4861's receive checks for any ND message: every reason that applies (none: valid). */
export function validate(m: NdMessage, ctx: ReceiveContext): Problem[] {
  if (m.kind === 'router-advert') {
    const v = checkRa({ message: EMPTY, src: ctx.src, dst: ctx.dst, hopLimit: ctx.hopLimit }, RFC4861_RA_CHECKS, { checksumOk: ctx.checksumOk, decoded: m });
    return v.ok ? [] : v.problems;
  }
  const problems: Problem[] = [];
  const add = (reason: NdReason, detail: string | undefined): void => {
    if (detail !== undefined) problems.push({ reason, detail });
  };
  add('hop-limit', hopLimit(ctx.hopLimit));
  add('checksum', checksum(ctx.checksumOk));
  add('code', code(m.code));
  add('option-length-zero', structureBreak(m.options, 'length-zero'));
  add('option-overrun', structureBreak(m.options, 'overrun'));
  switch (m.kind) {
    case 'router-solicit':
      if (ctx.src.isUnspecified && hasSourceLla(m.options)) add('source-lla-from-unspecified', 'source link-layer address option with unspecified source');
      break;
    case 'neighbor-solicit':
      if (m.target.isMulticast) add('target-multicast', `target ${m.target} is multicast`);
      if (ctx.src.isUnspecified) {
        if (!ctx.dst.equals(m.target.solicitedNode())) add('destination-not-solicited-node', `DAD probe sent to ${ctx.dst}, not ${m.target.solicitedNode()}`);
        if (hasSourceLla(m.options)) add('source-lla-from-unspecified', 'source link-layer address option with unspecified source');
      }
      break;
    case 'neighbor-advert':
      if (m.target.isMulticast) add('target-multicast', `target ${m.target} is multicast`);
      if (ctx.dst.isMulticast && m.solicited) add('solicited-to-multicast', 'solicited flag set on an advertisement to a multicast address');
      break;
    case 'redirect':
      add('source-not-link-local', linkLocalSource(ctx.src));
      if (m.destination.isMulticast) add('destination-multicast', `destination ${m.destination} is multicast`);
      if (!m.target.isLinkLocal && !m.target.equals(m.destination)) add('redirect-target', `target ${m.target} is neither link-local nor the destination`);
      break;
  }
  return problems;
}

const EMPTY = new Uint8Array(0);
/** RFC4861_RA's checks, without its option limits: validate reports problems, not left-out options. */
const RFC4861_RA_CHECKS: RaPolicy = { drops: RFC4861_RA.drops, report: 'all' };

/** sd-ndisc's stricter option rules: every option must decode, with sane values, within the option limits. */
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
  limitProblems(options, SD_NDISC_LIMITS, problems);
  return problems;
}

/** What is wrong with a malformed option, for a receiver that skips it and says why. */
export type OptionFault =
  /** The walk stopped here: a length of zero, or one past the end. */
  | 'length-zero'
  | 'overrun'
  /** Its length does not fit its kind (RDNSS shorter than 3 units or even, DNSSL shorter than 2...). */
  | 'length'
  /** Its length fits, its body does not decode. */
  | 'contents';

export function optionFault(o: MalformedOption): OptionFault {
  if (o.cause !== 'contents') return o.cause;
  return optionLengthOk(o.bytes[0], o.bytes[1]) ? 'contents' : 'length';
}

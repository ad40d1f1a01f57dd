/** Which interfaces arpd watches when none is named (the original: "monitors all the interfaces"). */
import type { InterfaceInfo } from '../ports.js';

/** Ethernet-like: a hardware address that is not all zeros, not loopback, not point-to-point. */
export function learnsOn(info: InterfaceInfo): boolean {
  return info.mac !== undefined && !info.mac.isZero && !info.loopback && !info.pointToPoint;
}

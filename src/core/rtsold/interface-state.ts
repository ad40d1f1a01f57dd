/** What rtsold keeps per interface (FreeBSD's struct ifinfo), and the states it moves through. */
import type { Timer } from '../ports.js';
import type { Micros } from '../time.js';
import type { MacAddress } from '../wire/mac-address.js';

/** In rtsold's order: the dump prints the state by this index's name. */
export type IfStatus = 'IDLE' | 'DELAY' | 'PROBE' | 'DOWN' | 'TENTATIVE';

export interface IfState {
  ifname: string;
  ifindex: number;
  mac?: MacAddress;
  status: IfStatus;
  /** RS sent in the current probe cycle. */
  probes: number;
  /** Consecutive retries while down or tentative. */
  dadcount: number;
  /** Valid RAs received since start. */
  racnt: number;
  /** The O flag has been seen since the last probe cycle began. */
  otherconfig: boolean;
  /** Carrier, as last checked. */
  active: boolean;
  /** The interval the current timer was set with, and when it fires (undefined: no timer). */
  interval?: Micros;
  expire?: Micros;
  timer?: Timer;
  /** RFC 7559: the current retransmission time. */
  backoffRt?: Micros;
  /** RS sent in total, and per cycle, for the statistics. */
  rsSent: number;
  cycles: number;
}

export function newIfState(ifname: string, ifindex: number, mac: MacAddress | undefined, active: boolean): IfState {
  return {
    ifname,
    ifindex,
    mac,
    status: 'DOWN',
    probes: 0,
    dadcount: 0,
    racnt: 0,
    otherconfig: false,
    active,
    rsSent: 0,
    cycles: 0,
  };
}

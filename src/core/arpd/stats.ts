/** arpd's counters, and the two lines it logs on SIGUSR1 (in the original's format). */
export interface ArpdStats {
  /** Learned from ARP packets: new addresses, changed MACs. */
  arpNew: number;
  arpChange: number;
  /** ARP packets not learned from, by why. */
  arpIgnored: number;
  /** Kernel requests (app_solicit): total, answered, bad state, invalidated, suppressed. */
  appRecv: number;
  appSuccess: number;
  appBad: number;
  appNeg: number;
  appSuppressed: number;
  /** Kernel notifications: new, changed, failed (negative entries made). */
  kernNew: number;
  kernChange: number;
  kernNeg: number;
  /** Broadcast queries sent, and refused by the rate limit. */
  probesSent: number;
  probesSuppressed: number;
}

export function newStats(): ArpdStats {
  return {
    arpNew: 0,
    arpChange: 0,
    arpIgnored: 0,
    appRecv: 0,
    appSuccess: 0,
    appBad: 0,
    appNeg: 0,
    appSuppressed: 0,
    kernNew: 0,
    kernChange: 0,
    kernNeg: 0,
    probesSent: 0,
    probesSuppressed: 0,
  };
}

export function statsLines(s: ArpdStats): [string, string] {
  return [
    `arp_rcv: n${s.arpNew} c${s.arpChange} app_rcv: tot ${s.appRecv} hits ${s.appSuccess} bad ${s.appBad} neg ${s.appNeg} sup ${s.appSuppressed}`,
    `kern: n${s.kernNew} c${s.kernChange} neg ${s.kernNeg} arp_send: ${s.probesSent} rlim ${s.probesSuppressed}`,
  ];
}

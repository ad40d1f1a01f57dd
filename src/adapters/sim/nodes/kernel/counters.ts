/**
 * What the kernel model counts for the run summary (like `nstat`/`ip -s link`): frames in, what
 * was dropped and why. Counters live as long as the node, across crashes.
 */
export class KernelCounters {
  framesIn = 0;
  framesOut = 0;
  /** Frames and packets that did not decode, by layer ("ethernet", "arp", "ipv6", "icmpv6"...). */
  malformed: Record<string, number> = {};
  /** Received ND messages that failed RFC 4861 validation, by reason. */
  ndInvalid: Record<string, number> = {};
  /** Other drops, by reason ("checksum", "not-for-us", "no-route", "link-down"...). */
  dropped: Record<string, number> = {};
  rsSent = 0;
  raAccepted = 0;
  raIgnored = 0;
  nsSent = 0;
  naSent = 0;
  arpRequestsSent = 0;
  arpRepliesSent = 0;
  neighRequests = 0;
  echoReplies = 0;
  pingsSent = 0;
  pingsAnswered = 0;
  pingsLost = 0;
  talkSent = 0;
  talkReceived = 0;
  unreachable = 0;

  drop(reason: string): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
  }

  malformedAt(layer: string): void {
    this.malformed[layer] = (this.malformed[layer] ?? 0) + 1;
  }

  invalidNd(reason: string): void {
    this.ndInvalid[reason] = (this.ndInvalid[reason] ?? 0) + 1;
  }

  get totalMalformed(): number {
    let n = 0;
    for (const v of Object.values(this.malformed)) n += v;
    return n;
  }

  toJSON(): Record<string, unknown> {
    return { ...(this as object) } as Record<string, unknown>;
  }
}

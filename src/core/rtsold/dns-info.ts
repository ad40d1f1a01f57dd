/**
 * RDNSS and DNSSL information per interface, kept per RA source with an expiry (FreeBSD's rainfo
 * and ra_opt), and the resolvconf text made from what is live.
 */
import type { Micros } from '../time.js';
import { SECOND } from '../time.js';
import type { Ipv6Address } from '../wire/ipv6-address.js';
import { INFINITE_LIFETIME, MAX_SEARCH_DOMAINS, MAX_SEARCH_LINE } from './constants.js';

export interface DnsEntry {
  kind: 'rdnss' | 'dnssl';
  /** A server as resolv.conf writes it (`fe80::1%eth0` for link-local), or a domain. */
  text: string;
  /** Absolute expiry; Infinity for an infinite lifetime. */
  expire: number;
}

export interface DnsSource {
  address: Ipv6Address;
  entries: DnsEntry[];
}

/** The text the -R script reads, and notes on entries left out (resolv.conf limits). */
export interface ResolvText {
  text: string;
  skipped: string[];
}

export class DnsInfo {
  /** Sources in the order their first RA arrived. */
  readonly sources = new Map<string, DnsSource>();

  /** Adds or refreshes an entry; a lifetime of 0 removes it at once. */
  update(source: Ipv6Address, kind: DnsEntry['kind'], text: string, lifetime: number, now: Micros): void {
    const key = source.toString();
    let src = this.sources.get(key);
    if (lifetime === 0) {
      if (src) src.entries = src.entries.filter((e) => !(e.kind === kind && e.text === text));
      return;
    }
    if (!src) {
      src = { address: source, entries: [] };
      this.sources.set(key, src);
    }
    const expire = lifetime === INFINITE_LIFETIME ? Infinity : now + lifetime * SECOND;
    const existing = src.entries.find((e) => e.kind === kind && e.text === text);
    if (existing) existing.expire = expire;
    else src.entries.push({ kind, text, expire });
  }

  /** Removes entries whose time has come; returns them. */
  expire(now: Micros): DnsEntry[] {
    const gone: DnsEntry[] = [];
    for (const src of this.sources.values()) {
      const keep: DnsEntry[] = [];
      for (const e of src.entries) (e.expire <= now ? gone : keep).push(e);
      src.entries = keep;
    }
    return gone;
  }

  /** The earliest expiry of any entry, or undefined. */
  nextExpiry(): number | undefined {
    let next = Infinity;
    for (const src of this.sources.values()) for (const e of src.entries) next = Math.min(next, e.expire);
    return next === Infinity ? undefined : next;
  }

  clear(): void {
    this.sources.clear();
  }
}

/**
 * rtsold's resolvconf text: a `nameserver` line per live server, then, when there are domains,
 * `search d1 d2 ` and a newline (each domain followed by a space), at most six domains and a line
 * of at most 256 bytes.
 */
export function resolvText(sources: Iterable<DnsSource>, now: Micros): ResolvText {
  let servers = '';
  let search = '';
  let count = 0;
  let lineLength = 'search '.length + '\n'.length;
  const skipped: string[] = [];
  for (const src of sources) {
    for (const e of src.entries) {
      if (e.expire <= now) continue;
      if (e.kind === 'rdnss') {
        servers += `nameserver ${e.text}\n`;
        continue;
      }
      count++;
      if (count > MAX_SEARCH_DOMAINS) {
        skipped.push(`dnssl entry exceeding maximum count (${count}>${MAX_SEARCH_DOMAINS}): ${e.text}`);
        continue;
      }
      if (lineLength + e.text.length + 1 > MAX_SEARCH_LINE) {
        skipped.push(`dnssl entry exceeding maximum length (>${MAX_SEARCH_LINE}): ${e.text}`);
        continue;
      }
      search += `${e.text} `;
      lineLength += e.text.length + 1;
    }
  }
  return { text: servers + (search ? `search ${search}\n` : ''), skipped };
}

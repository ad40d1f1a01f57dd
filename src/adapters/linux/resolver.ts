/**
 * Resolver for real hosts: the hosts file first, then DNS, like getaddrinfo with "files dns". The
 * hosts file is read at every lookup, so edits are seen (isatapd re-resolves its routers). In a
 * named network namespace (/run/netns/NAME) whose /etc/netns/NAME/hosts exists, that file is
 * used, as `ip netns exec` arranges by bind mount; found by comparing namespace inodes, so it
 * works however the process entered the namespace.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { Resolver as DnsResolver } from 'node:dns/promises';
import { join } from 'node:path';
import type { Resolver } from '../../core/ports.js';
import { Ipv4Address } from '../../core/wire/ipv4-address.js';

export interface ResolverOptions {
  /** Hosts file to use instead of finding one. */
  hostsFile?: string;
  /** Skip DNS (hosts file only). */
  noDns?: boolean;
}

/** The name of the network namespace this process is in, if it is a named one. */
export function currentNetnsName(): string | undefined {
  try {
    const self = statSync('/proc/self/ns/net');
    for (const name of readdirSync('/run/netns')) {
      const st = statSync(join('/run/netns', name));
      if (st.ino === self.ino && st.dev === self.dev) return name;
    }
  } catch {
    // no /run/netns: not in a named namespace
  }
  return undefined;
}

export function hostsFileFor(netns = currentNetnsName()): string {
  if (netns) {
    const own = join('/etc/netns', netns, 'hosts');
    if (existsSync(own)) return own;
  }
  return '/etc/hosts';
}

/** IPv4 addresses for `name` in hosts-file text (names compare case-insensitively). */
export function lookupHosts(text: string, name: string): Ipv4Address[] {
  const want = name.toLowerCase().replace(/\.$/, '');
  const out: Ipv4Address[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [addr, ...names] = line.split(/\s+/);
    const a = Ipv4Address.tryParse(addr);
    if (a && names.some((n) => n.toLowerCase().replace(/\.$/, '') === want) && !out.some((x) => x.equals(a))) out.push(a);
  }
  return out;
}

export class LinuxResolver implements Resolver {
  private readonly hostsFile: string;
  private readonly dns: DnsResolver | undefined;

  constructor(opts: ResolverOptions = {}) {
    this.hostsFile = opts.hostsFile ?? hostsFileFor();
    this.dns = opts.noDns ? undefined : new DnsResolver({ timeout: 3000, tries: 2 });
  }

  resolve4(name: string, done: (addresses: Ipv4Address[], error?: string) => void): void {
    const literal = Ipv4Address.tryParse(name);
    if (literal) {
      queueMicrotask(() => done([literal]));
      return;
    }
    let fromHosts: Ipv4Address[] = [];
    try {
      fromHosts = lookupHosts(readFileSync(this.hostsFile, 'utf8'), name);
    } catch {
      // an unreadable hosts file is no answer, not a failure
    }
    if (fromHosts.length > 0 || !this.dns) {
      queueMicrotask(() => done(fromHosts, fromHosts.length ? undefined : `${name}: not found in ${this.hostsFile}`));
      return;
    }
    this.dns.resolve4(name).then(
      (list) => done(list.map((a) => Ipv4Address.parse(a))),
      (err: NodeJS.ErrnoException) => done([], `${name}: ${err.code ?? err.message}`),
    );
  }

  close(): void {
    this.dns?.cancel();
  }
}

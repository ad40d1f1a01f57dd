/** The state dump written on SIGUSR1 (FreeBSD's rtsold_dump), in the same words. */
import { SECOND, type Micros } from '../time.js';
import type { DnsInfo } from './dns-info.js';
import type { IfState } from './interface-state.js';
import type { RtsoldStats } from './stats.js';

/** rtsold's sec2str: `1d2h3m4s`, leading zero units left out. */
export function sec2str(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const days = Math.floor(total / 86400);
  const hours = Math.floor(total / 3600) % 24;
  const mins = Math.floor(total / 60) % 60;
  const secs = total % 60;
  let s = '';
  if (days) s += `${days}d`;
  if (s || hours) s += `${hours}h`;
  if (s || mins) s += `${mins}m`;
  return s + `${secs}s`;
}

export function dumpText(interfaces: Iterable<{ ifi: IfState; dns: DnsInfo }>, now: Micros): string {
  const out: string[] = [];
  for (const { ifi, dns } of interfaces) {
    out.push(`Interface ${ifi.ifname}`);
    // Carrier detection works on Linux, so rtsold never needs a periodic probe interval here.
    out.push('  probe interval: infinity');
    out.push('  no probe timer');
    out.push(`  interface status: ${ifi.active ? 'active' : 'inactive'}`);
    out.push(`  other config: ${ifi.otherconfig ? 'on' : 'off'}`);
    out.push(`  rtsold status: ${ifi.status}`);
    out.push('  carrier detection: available');
    out.push(`  probes: ${ifi.probes}, dadcount = ${ifi.dadcount}`);
    if (ifi.expire === undefined || ifi.interval === undefined) {
      out.push('  no timer');
    } else {
      const sec = Math.floor(ifi.interval / SECOND);
      const usec = ifi.interval % SECOND;
      out.push(`  timer: interval=${sec}:${usec}, expire=${ifi.expire < now ? 'expired' : sec2str((ifi.expire - now) / SECOND)}`);
    }
    out.push(`  number of valid RAs: ${ifi.racnt}`);
    for (const src of dns.sources.values()) {
      out.push(`   RA from ${src.address}`);
      for (const e of src.entries) {
        const left = e.expire === Infinity ? 'infinity' : sec2str((e.expire - now) / SECOND);
        out.push(`    option: ${e.kind === 'rdnss' ? 'RDNSS' : 'DNSSL'}: ${e.text} (expire: ${left})`);
      }
      out.push('');
    }
  }
  return out.join('\n') + '\n';
}

/**
 * linklab's counters, after the original's dump: what was sent, accepted, dropped by reason and
 * skipped inside accepted RAs. One `name: value` per line, so scripts can read them.
 */
export function statsText(s: RtsoldStats): string {
  const out = ['Statistics', `  RS sent: ${s.rsSent}`, `  router probes sent (-m): ${s.routerProbes}`, `  RA accepted: ${s.raAccepted}`];
  for (const [reason, n] of Object.entries(s.raDropped)) out.push(`  RA dropped (${reason}): ${n}`);
  for (const [reason, n] of Object.entries(s.optionsIgnored)) out.push(`  option ignored (${reason}): ${n}`);
  out.push(`  scripts run: ${s.scriptsRun}`);
  return out.join('\n') + '\n';
}

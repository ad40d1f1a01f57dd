/** `arpd -l`: the database as text, byte for byte in the original's format. */
import type { ArpDatabase } from './database.js';

export const DUMP_HEADER = `${'#Ifindex'.padEnd(8)} ${'IP'.padEnd(15)} MAC`;

/** The dump; with `ifindexes`, only those interfaces (as the original filters by its arguments). */
export function dumpText(db: ArpDatabase, now: number, ifindexes?: ReadonlySet<number>): string {
  const lines = [DUMP_HEADER];
  for (const { ifindex, ip, entry } of db.entries()) {
    if (ifindexes && ifindexes.size > 0 && !ifindexes.has(ifindex)) continue;
    const head = `${String(ifindex).padEnd(8)} ${ip.toString().padEnd(15)}`;
    lines.push(entry.kind === 'positive' ? `${head} ${entry.mac}` : `${head} FAILED: ${Math.max(0, now - entry.since)}sec ago`);
  }
  return lines.join('\n') + '\n';
}

/**
 * `arpd -f FILE` and `arpd -l`: load a dump into the database and/or print the database, then
 * exit. A load stops at the first malformed line with the original's message and exit 255, and
 * what it read before that line stays stored (the original closed its database on the way out,
 * which wrote them too).
 */
import { readFile } from 'node:fs/promises';
import { ArpDatabase } from '../../core/arpd/database.js';
import { dumpText } from '../../core/arpd/dump.js';
import { parseLoad } from '../../core/arpd/load.js';
import type { Store } from '../../core/ports.js';
import { readStdin } from '../input.js';
import { perror } from '../strerror.js';
import type { ArpdOptions } from './options.js';
import { openDatabase } from './database.js';

export interface OfflineIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Epoch seconds (for "FAILED: Nsec ago" and the time loaded rows were seen). */
  now: number;
}

async function readLoadFile(name: string): Promise<string> {
  if (name === '-' || name === '--') return new TextDecoder().decode(await readStdin());
  return readFile(name, 'utf8');
}

/** Runs -f and/or -l; returns the exit code. */
export async function runOffline(o: ArpdOptions, ifindexes: number[], io: OfflineIo): Promise<number> {
  const store: Store = openDatabase(o.database, { readOnly: o.load === undefined });
  const db = new ArpDatabase(store, { maxEntries: o.config.maxEntries, expireAfter: o.config.expireAfter });
  try {
    if (o.load !== undefined) {
      let text: string;
      try {
        text = await readLoadFile(o.load);
      } catch (err) {
        io.err(perror('fopen', err) + '\n');
        return 255;
      }
      const r = parseLoad(text, o.load);
      for (const row of r.rows) db.putPositive(row.ifindex, row.ip, row.mac, io.now);
      db.sync();
      if (r.error) {
        io.err(r.error.message + '\n');
        return 255;
      }
    }
    if (o.list) io.out(dumpText(db, io.now, new Set(ifindexes)));
    return 0;
  } finally {
    store.close();
  }
}

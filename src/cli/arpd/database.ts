/**
 * Opening arpd's database as the original does: the default directory is created (like
 * /var/lib/arpd), any other directory must exist, and a failure is `db_open: <reason>`, exit 255.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LmdbStore } from '../../adapters/linux/store.js';
import { perror } from '../strerror.js';
import { ArpdUsageError, DEFAULT_DATABASE } from './options.js';

/** Opens `path`; read-only when `readOnly` and the file exists (a dump beside a running daemon). */
export function openDatabase(path: string, opts: { readOnly?: boolean } = {}): LmdbStore {
  if (path === DEFAULT_DATABASE) {
    try {
      mkdirSync(dirname(path), { mode: 0o755, recursive: true });
    } catch (err) {
      throw new ArpdUsageError(perror('create_db_dir', err), false, 255);
    }
  }
  const dir = dirname(resolve(path));
  if (!existsSync(dir)) throw new ArpdUsageError(perror('db_open', { code: 'ENOENT' }), false, 255);
  if (!statSync(dir).isDirectory()) throw new ArpdUsageError(perror('db_open', { code: 'ENOTDIR' }), false, 255);
  try {
    return new LmdbStore(path, { readOnly: opts.readOnly === true && existsSync(path) });
  } catch (err) {
    throw new ArpdUsageError(`db_open: ${(err as Error).message}`, false, 255);
  }
}

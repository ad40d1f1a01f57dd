/**
 * SysctlPort over /proc/sys. Before the first change to a key its original value is written to a
 * journal file (one per daemon instance, fsynced), and only then is the key changed. `restore()`
 * puts the originals back and deletes the journal. A daemon that was killed never restored: the
 * next start of the same instance finds its journal, restores those values first and reports
 * them (`recovered`). iproute2's arpd restored fixed values, and nothing after a crash.
 *
 * Keys are dotted (`net.ipv4.neigh.eth0.app_solicit`) or slashed (`net/ipv4/neigh/eth0.100/...`,
 * for interface names with dots, as sysctl(8) accepts).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SysctlPort } from '../../core/ports.js';

export interface SysctlOptions {
  /** Journal of original values (e.g. /run/linklab/arpd-eth0.sysctl); without one, no crash recovery. */
  journal?: string;
  /** The sysctl tree (default /proc/sys); tests point it at a directory of files. */
  root?: string;
}

export interface SavedValue {
  key: string;
  value: string;
}

const KEY = /^[A-Za-z0-9_\-.@:/]+$/;

export class SysctlError extends Error {
  override readonly name = 'SysctlError';
}

export class LinuxSysctl implements SysctlPort {
  private readonly root: string;
  private readonly journal?: string;
  private saved: SavedValue[] = [];
  /** Values a previous, crashed instance changed and this one put back at start. */
  readonly recovered: SavedValue[] = [];
  /** Keys that could not be put back (the interface is gone...), with the reason. */
  readonly restoreFailures: Array<SavedValue & { error: string }> = [];

  constructor(opts: SysctlOptions = {}) {
    this.root = opts.root ?? '/proc/sys';
    this.journal = opts.journal;
    if (this.journal) this.recover(this.journal);
  }

  /** The file behind a key; throws a SysctlError naming a malformed key. */
  path(key: string): string {
    if (!KEY.test(key) || key.includes('..') || key.startsWith('/') || key.startsWith('.')) throw new SysctlError(`sysctl key "${key}" is not a valid name`);
    return join(this.root, key.includes('/') ? key : key.replace(/\./g, '/'));
  }

  read(key: string): string | null {
    try {
      return readFileSync(this.path(key), 'utf8').trim();
    } catch (err) {
      if (err instanceof SysctlError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw new SysctlError(`sysctl ${key}: ${(err as Error).message}`);
    }
  }

  write(key: string, value: string): void {
    if (!this.saved.some((s) => s.key === key)) {
      const original = this.read(key);
      if (original === null) throw new SysctlError(`sysctl ${key}: no such key`);
      this.saved.push({ key, value: original });
      this.persist();
    }
    this.set(key, value);
  }

  restore(): void {
    for (const s of [...this.saved].reverse()) {
      try {
        this.set(s.key, s.value);
      } catch (err) {
        this.restoreFailures.push({ ...s, error: (err as Error).message });
      }
    }
    this.saved = [];
    if (this.journal) rmSync(this.journal, { force: true });
  }

  /** Keys changed so far, with their original values. */
  get changed(): readonly SavedValue[] {
    return this.saved;
  }

  private set(key: string, value: string): void {
    try {
      writeFileSync(this.path(key), value + '\n');
    } catch (err) {
      if (err instanceof SysctlError) throw err;
      throw new SysctlError(`sysctl ${key}=${value}: ${(err as Error).message}`);
    }
  }

  /** Rewrites the journal atomically (temporary file, fsync, rename). */
  private persist(): void {
    if (!this.journal) return;
    mkdirSync(dirname(this.journal), { recursive: true });
    const tmp = `${this.journal}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, this.saved.map((s) => JSON.stringify(s)).join('\n') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.journal);
    const dir = openSync(dirname(this.journal), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }

  private recover(journal: string): void {
    let text: string;
    try {
      text = readFileSync(journal, 'utf8');
    } catch {
      return; // no journal: the last run ended cleanly
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const entries: SavedValue[] = [];
    lines.forEach((line, i) => {
      try {
        const v = JSON.parse(line) as SavedValue;
        if (typeof v.key === 'string' && typeof v.value === 'string') entries.push(v);
        else throw new Error('not {key, value}');
      } catch (err) {
        this.restoreFailures.push({ key: `${journal}:${i + 1}`, value: line, error: `unreadable journal line: ${(err as Error).message}` });
      }
    });
    for (const s of entries.reverse()) {
      try {
        this.set(s.key, s.value);
        this.recovered.push(s);
      } catch (err) {
        this.restoreFailures.push({ ...s, error: (err as Error).message });
      }
    }
    rmSync(journal, { force: true });
  }
}

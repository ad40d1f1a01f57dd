/**
 * A pidfile with an fcntl write lock, like the originals: the lock, not the file's existence,
 * says an instance is running, so a stale file left by a crash does not block a start. A second
 * instance fails with a message naming the running one's pid and leaves the file as it is.
 */
import { closeSync, constants, fsyncSync, ftruncateSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { native } from './addon.js';

export class PidfileError extends Error {
  override readonly name = 'PidfileError';

  constructor(
    message: string,
    /** The pid of the instance holding the lock, when that is the problem. */
    readonly holder?: number,
  ) {
    super(message);
  }
}

export class Pidfile {
  private fd: number | undefined;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Locks `path` and writes `pid` (default: this process) into it; throws PidfileError if held. */
  static acquire(path: string, pid = process.pid): Pidfile {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDWR | constants.O_CREAT, 0o644);
    } catch (err) {
      throw new PidfileError(`${path}: cannot open the pidfile: ${(err as Error).message}`);
    }
    let locked: boolean;
    try {
      locked = native().lockWrite(fd);
    } catch (err) {
      closeSync(fd);
      throw new PidfileError(`${path}: cannot lock the pidfile: ${(err as Error).message}`);
    }
    if (!locked) {
      const holder = native().lockHolder(fd) || Number.parseInt(readFileSync(path, 'utf8'), 10) || undefined;
      closeSync(fd);
      throw new PidfileError(`${path}: another instance is running${holder ? ` (pid ${holder})` : ''}`, holder);
    }
    const p = new Pidfile(path, fd);
    p.write(pid);
    return p;
  }

  /** Rewrites the pid (the lock stays). */
  write(pid: number): void {
    if (this.fd === undefined) return;
    ftruncateSync(this.fd, 0);
    writeSync(this.fd, `${pid}\n`, 0);
    fsyncSync(this.fd);
  }

  /** Removes the file and drops the lock (on a clean exit). */
  remove(): void {
    if (this.fd === undefined) return;
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
    this.release();
  }

  /** Drops the lock, leaving the file. */
  release(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

// The pidfile lock: a second instance is refused with the first one's pid and the file is left
// alone; a file left behind by a dead instance (no lock) is taken over.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pidfile, PidfileError } from '../../../src/adapters/linux/pidfile.js';
import { lineFrom, runProgram, startProgram } from './programs/run.js';

const dirs: string[] = [];
function pidPath(): string {
  const d = mkdtempSync(join(tmpdir(), 'll-pid-'));
  dirs.push(d);
  return join(d, 'test.pid');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('Pidfile', () => {
  it('writes the pid and removes the file on a clean exit', () => {
    const path = pidPath();
    const p = Pidfile.acquire(path);
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
    p.remove();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a second instance with a clear message and leaves the file intact', async () => {
    const path = pidPath();
    const holder = startProgram('pidfile-holder.ts', [path]);
    try {
      const line = await lineFrom(holder, /^held \d+$/);
      const pid = Number(line.split(' ')[1]);
      const before = readFileSync(path, 'utf8');
      expect(before).toBe(`${pid}\n`);
      const second = await runProgram('pidfile-holder.ts', [path]);
      expect(second.code).toBe(1);
      expect(second.stdout).toContain(`${path}: another instance is running (pid ${pid})`);
      expect(readFileSync(path, 'utf8')).toBe(before);
      // In this process too, as a PidfileError carrying the holder.
      let err: unknown;
      try {
        Pidfile.acquire(path);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PidfileError);
      expect((err as PidfileError).holder).toBe(pid);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over a file whose process is gone (no lock held)', () => {
    const path = pidPath();
    writeFileSync(path, '999999\n');
    const p = Pidfile.acquire(path);
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
    p.remove();
  });

  it('names the path when it cannot be created', () => {
    expect(() => Pidfile.acquire('/nonexistent-dir-ll/x.pid')).toThrowError(/\/nonexistent-dir-ll\/x.pid: cannot open the pidfile/);
  });
});

// --daemon: the command returns 0 once the background process holds its pidfile; that process is
// in its own session, not a child of the command; a second start fails with the reason and
// leaves the pidfile alone; SIGTERM ends it and removes the pidfile.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProgram } from './programs/run.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stat(pid: number): { ppid: number; session: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return { ppid: Number(fields[1]), session: Number(fields[3]) };
}

describe('daemonize', () => {
  it('returns 0 once the background process is up and holds the pidfile; SIGTERM removes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-daemon-'));
    const pidfile = join(dir, 'testd.pid');
    let daemonPid = 0;
    cleanup.push(() => {
      if (daemonPid && alive(daemonPid)) process.kill(daemonPid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });
    const first = await runProgram('daemon.ts', ['--daemon', pidfile]);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    daemonPid = Number(readFileSync(pidfile, 'utf8'));
    expect(alive(daemonPid)).toBe(true);
    const s = stat(daemonPid);
    expect(s.session).toBe(daemonPid); // setsid: its own session
    expect(s.ppid).not.toBe(process.pid);

    const second = await runProgram('daemon.ts', ['--daemon', pidfile]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(`testd: ${pidfile}: another instance is running (pid ${daemonPid})\n`);
    expect(readFileSync(pidfile, 'utf8')).toBe(`${daemonPid}\n`);

    process.kill(daemonPid, 'SIGTERM');
    for (let i = 0; i < 200 && alive(daemonPid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(daemonPid)).toBe(false);
    expect(existsSync(pidfile)).toBe(false);
  });

  it('reports a start-up failure from the background process and exits 1', async () => {
    const r = await runProgram('daemon.ts', ['--daemon', '/nonexistent-ll/testd.pid']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('testd: /nonexistent-ll/testd.pid: cannot open the pidfile');
  });
});

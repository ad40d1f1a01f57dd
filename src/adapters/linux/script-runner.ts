/**
 * ScriptRunner for real hosts: runs an absolute path with an empty environment (as rtsold's
 * -O/-R scripts), the given arguments, and `stdin` written then closed. Output goes where the
 * daemon's goes. `done` gets the exit code, or null and a reason when it could not run or died
 * of a signal.
 */
import { spawn } from 'node:child_process';
import { isAbsolute } from 'node:path';
import type { ScriptRun, ScriptRunner } from '../../core/ports.js';

export class LinuxScriptRunner implements ScriptRunner {
  run(r: ScriptRun, done?: (exitCode: number | null, error?: string) => void): void {
    if (!isAbsolute(r.path)) {
      queueMicrotask(() => done?.(null, `${r.path}: not an absolute path`));
      return;
    }
    let reported = false;
    const finish = (code: number | null, error?: string): void => {
      if (reported) return;
      reported = true;
      done?.(code, error);
    };
    const child = spawn(r.path, r.args, { env: {}, stdio: ['pipe', 'inherit', 'inherit'] });
    child.on('error', (err) => finish(null, `${r.path}: ${err.message}`));
    child.on('close', (code, signal) => finish(code, signal ? `${r.path}: killed by ${signal}` : undefined));
    child.stdin.on('error', () => undefined); // a script that exits without reading stdin
    child.stdin.end(r.stdin ?? '');
  }
}

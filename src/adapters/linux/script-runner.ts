/**
 * ScriptRunner for real hosts: runs an absolute path with an empty environment (as rtsold's
 * -O/-R scripts), the given arguments, and `stdin` written then closed. Output goes where the
 * daemon's goes, or nowhere (`output: 'ignore'`, as rtsold sends its scripts' to /dev/null).
 * With `safe`, a program that is not a regular file owned by this process's user is not run
 * (rtsold's safefile(); see unsafeScript for links). `done` gets the exit code, or null and a reason when it could not run
 * or died of a signal.
 */
import { spawn } from 'node:child_process';
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { ScriptRun, ScriptRunner } from '../../core/ports.js';

export interface ScriptRunnerOptions {
  /** The program's stdout and stderr: the daemon's (default) or /dev/null. */
  output?: 'inherit' | 'ignore';
  /** Run only a regular file (not a symbolic link) owned by this process's uid. */
  safe?: boolean;
}

/**
 * Why `path` cannot be run safely, or undefined when it can (rtsold's safefile(): a regular file
 * owned by our uid). A symbolic link passes when it and its target are both ours and the target
 * is a regular file (Debian's /sbin/resolvconf may be a link to resolvectl).
 */
export function unsafeScript(path: string): string | undefined {
  const uid = process.getuid?.();
  const files = [path];
  let st;
  try {
    st = lstatSync(path);
    if (st.isSymbolicLink()) {
      if (st.uid !== uid) return `${path} has invalid owner uid`;
      files.push(realpathSync(path));
      st = statSync(path);
    }
  } catch (err) {
    return `lstat failed: ${(err as Error).message}`;
  }
  if (st.uid !== uid) return `${files[files.length - 1]} has invalid owner uid`;
  if (!st.isFile()) return `${files[files.length - 1]} is an invalid file type 0${(st.mode & 0o170000).toString(8)}`;
  return undefined;
}

export class LinuxScriptRunner implements ScriptRunner {
  constructor(private readonly opts: ScriptRunnerOptions = {}) {}

  run(r: ScriptRun, done?: (exitCode: number | null, error?: string) => void): void {
    if (!isAbsolute(r.path)) {
      queueMicrotask(() => done?.(null, `${r.path}: not an absolute path`));
      return;
    }
    const unsafe = this.opts.safe ? unsafeScript(r.path) : undefined;
    if (unsafe !== undefined) {
      queueMicrotask(() => done?.(null, `script "${r.path}" cannot be executed safely: ${unsafe}`));
      return;
    }
    let reported = false;
    const finish = (code: number | null, error?: string): void => {
      if (reported) return;
      reported = true;
      done?.(code, error);
    };
    const out = this.opts.output ?? 'inherit';
    const child = spawn(r.path, r.args, { env: {}, stdio: ['pipe', out, out] });
    child.on('error', (err) => finish(null, `${r.path}: ${err.message}`));
    child.on('close', (code, signal) => finish(code, signal ? `${r.path}: killed by ${signal}` : undefined));
    child.stdin.on('error', () => undefined); // a script that exits without reading stdin
    child.stdin.end(r.stdin ?? '');
  }
}

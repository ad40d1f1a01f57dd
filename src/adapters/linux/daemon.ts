/**
 * `--daemon`: run in the background the way the originals do, with one improvement: the command
 * the user ran exits only once the background process is up (pidfile written, sockets open), with
 * 0, or with 1 and the reason it could not start. Node cannot fork, so the program runs itself
 * again as a detached child (a new session, stdio on /dev/null, then cwd /) and waits for its word
 * over an IPC channel.
 */
import { spawn } from 'node:child_process';
import { sdNotify } from './sd-notify.js';

const MARK = 'LINKLAB_DAEMON_CHILD';

export interface DaemonStart {
  /** True in the background process. */
  readonly daemonized: boolean;
  /** Start-up finished: the waiting command exits 0. */
  ready(): void;
  /** Start-up failed: the waiting command prints `message` and exits 1. */
  fail(message: string): void;
}

/** Tells systemd (Type=notify) that start-up is done; a notify socket that fails is only reported. */
function notifyReady(name: string): void {
  try {
    sdNotify(`READY=1\nMAINPID=${process.pid}`);
  } catch (err) {
    process.stderr.write(`${name}: ${(err as Error).message}\n`);
  }
}

/**
 * With `enabled`, the first process starts the background copy and never returns (it exits with
 * the outcome); the background copy gets a DaemonStart to report with. Without, nothing happens.
 */
export function daemonize(opts: { enabled: boolean; name: string; timeoutMs?: number }): Promise<DaemonStart> {
  if (process.env[MARK] === '1') {
    delete process.env[MARK];
    process.chdir('/'); // after start-up, so Node found its loaders relative to where it began
    const send = (m: object): void => {
      if (process.connected && process.send) process.send(m, () => process.disconnect());
    };
    const ready = (): void => {
      notifyReady(opts.name);
      send({ ready: true });
    };
    return Promise.resolve({ daemonized: true, ready, fail: (message) => send({ error: message }) });
  }
  if (!opts.enabled) return Promise.resolve({ daemonized: false, ready: () => notifyReady(opts.name), fail: () => undefined });
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, [MARK]: '1' },
  });
  return new Promise<DaemonStart>(() => {
    const exit = (code: number, message?: string): void => {
      if (message) process.stderr.write(`${opts.name}: ${message}\n`);
      process.exit(code);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      exit(1, `the background process did not start within ${(opts.timeoutMs ?? 30_000) / 1000} s`);
    }, opts.timeoutMs ?? 30_000);
    child.on('message', (m: { ready?: boolean; error?: string }) => {
      clearTimeout(timer);
      if (m.ready) {
        child.unref();
        child.disconnect();
        exit(0);
      } else exit(1, m.error ?? 'start-up failed');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      exit(1, `the background process ended during start-up (${signal ?? `exit ${code}`})`);
    });
    child.on('error', (err) => exit(1, `cannot start the background process: ${err.message}`));
  });
}

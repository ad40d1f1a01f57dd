/**
 * The unprivileged half of `linklab rtsold`: every RA is parsed here, as --user. The core gets the
 * ICMPv6 socket the parent opened, its own rtnetlink mirror (reading needs no privilege), the
 * parent for -F's sysctl writes and the scripts, and the monotonic clock. SIGUSR1 writes the dump
 * (the original's text, then linklab's counters) into the file the parent prepared; SIGTERM and
 * SIGINT end it with 0; with -1 it ends with 0 once the core is done and its scripts have run.
 */
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import type { ScriptRun, ScriptRunner } from '../../core/ports.js';
import { Rtsold, RtsoldError } from '../../core/rtsold/rtsold.js';
import type { RtsoldConfig } from '../../core/rtsold/config.js';
import { statsText } from '../../core/rtsold/dump.js';
import { MonotonicClock } from '../../adapters/linux/clock.js';
import { CryptoRandom } from '../../adapters/linux/random.js';
import { LinuxInterfacePort } from '../../adapters/linux/interface-port.js';
import type { ChildContext } from '../../adapters/linux/privsep/child.js';
import { openLog, type LogSetup } from './log.js';
import { Handlers } from '../../core/handlers.js';

export interface ChildConfig {
  rtsold: RtsoldConfig;
  /** Where SIGUSR1 writes; undefined when the parent could not prepare it. */
  dumpFile: string | undefined;
  log: LogSetup;
}

/** Counts scripts still running, so -1 exits only after they have (the parent runs them). */
class TrackedScripts implements ScriptRunner {
  private running = 0;
  private readonly idle = new Handlers();

  constructor(private readonly inner: ScriptRunner) {}

  run(r: ScriptRun, done?: (exitCode: number | null, error?: string) => void): void {
    this.running++;
    this.inner.run(r, (code, error) => {
      this.running--;
      done?.(code, error);
      if (this.running === 0) this.idle.drain();
    });
  }

  whenIdle(f: () => void): void {
    if (this.running === 0) f();
    else this.idle.add(f);
  }
}

export async function main(ctx: ChildContext): Promise<void> {
  const cfg = ctx.config as unknown as ChildConfig;
  const log = openLog(cfg.log);
  const interfaces = await LinuxInterfacePort.open();
  const icmpv6 = ctx.icmpv6('icmpv6');
  const scripts = new TrackedScripts(ctx.parent);
  const routers = cfg.rtsold.mobility ? ctx.routerProbe('routers') : undefined;
  const core = new Rtsold(cfg.rtsold, { clock: new MonotonicClock(), random: new CryptoRandom(), icmpv6, interfaces, scripts, log, sysctl: ctx.parent, routers });

  let exiting = false;
  const exit = (code: number): void => {
    if (exiting) return;
    exiting = true;
    core.stop();
    icmpv6.close();
    routers?.close();
    interfaces.close();
    log.close();
    // A reply from the parent means it has read everything sent before (ready, script requests);
    // should none come, leave anyway.
    ctx.parent.request({ op: 'sysctl.restore' }, () => process.exit(code));
    setTimeout(() => process.exit(code), 2000).unref();
  };

  process.on('SIGUSR1', () => {
    if (cfg.dumpFile === undefined) {
      log.emit({ level: 'notice', event: 'dump.none', msg: 'no dump file to write the state to (give --dump-file)' });
      return;
    }
    try {
      // No O_CREAT: the parent made the file for us; we never create one elsewhere.
      const fd = openSync(cfg.dumpFile, constants.O_WRONLY | constants.O_TRUNC | constants.O_NOFOLLOW | constants.O_NONBLOCK);
      try {
        writeSync(fd, core.dump() + '\n' + statsText(core.stats));
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      log.emit({ level: 'warning', event: 'dump.write', msg: `failed to write the dump file ${cfg.dumpFile}: ${(err as Error).message}` });
    }
  });
  process.on('SIGTERM', () => exit(0));
  process.on('SIGINT', () => exit(0));
  ctx.onParentGone(() => process.exit(1));

  try {
    core.start();
  } catch (err) {
    if (err instanceof RtsoldError) throw new Error(err.message);
    throw err;
  }
  ctx.ready();
  if (cfg.rtsold.once) core.onDone(() => scripts.whenIdle(() => exit(0)));
}

/**
 * Bridges simulated segments to real TAP devices in wall-clock mode (`linklab sim run FILE
 * --bridge SEGMENT=TAPNAME`): virtual time follows the monotonic clock, every frame on the
 * segment is written to the TAP (the kernel receives it), and every frame the kernel sends out of
 * the TAP enters the segment at that moment. So a real kernel in a namespace joins a simulated
 * network: it solicits the simulated router, autoconfigures from its RAs, answers ARP...
 * The TAP is created if it does not exist (and goes away with linklab unless it was persistent);
 * it is set up either way.
 */
import type { RunResult, Simulation } from '../sim/run.js';
import { runRealtime, type RealtimeRun } from '../sim/realtime.js';
import { MonotonicClock } from './clock.js';
import { NetlinkInterfaceControl } from './interface-control.js';
import { LinuxTapPort } from './tun.js';

export interface BridgeSpec {
  segment: string;
  tap: string;
}

export class BridgeError extends Error {
  override readonly name = 'BridgeError';
}

/** Parses `SEGMENT=TAPNAME`; throws BridgeError naming what is wrong. */
export function parseBridge(text: string): BridgeSpec {
  const m = /^([^=\s]+)=([^=\s]+)$/.exec(text);
  if (!m) throw new BridgeError(`--bridge: expected SEGMENT=TAPNAME, got ${JSON.stringify(text)}`);
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(m[2])) throw new BridgeError(`--bridge: "${m[2]}" is not an interface name (1-15 letters, digits, '.', '_', '-')`);
  return { segment: m[1], tap: m[2] };
}

export interface BridgedRun {
  /** Resolves with the run's report when virtual time reaches the end (or `stop()` is called). */
  readonly done: Promise<RunResult>;
  /** Frames carried each way, per TAP. */
  readonly counts: Map<string, { toKernel: number; fromKernel: number }>;
  /** Ends the run now (SIGINT) and reports what happened so far. */
  stop(): void;
}

export function runBridged(sim: Simulation, bridges: BridgeSpec[]): Promise<BridgedRun> {
  for (const b of bridges) {
    if (!sim.world.segments.some((s) => s.name === b.segment)) {
      const names = sim.world.segments.map((s) => s.name).join(', ') || 'none';
      return Promise.reject(new BridgeError(`--bridge ${b.segment}=${b.tap}: no segment "${b.segment}" in the topology (segments: ${names})`));
    }
  }
  const taps: LinuxTapPort[] = [];
  const control = new NetlinkInterfaceControl();
  const close = (): void => {
    for (const t of taps) t.close();
    control.close();
  };
  try {
    for (const b of bridges) taps.push(LinuxTapPort.open(b.tap));
  } catch (err) {
    close();
    return Promise.reject(new BridgeError(`--bridge: cannot open TAP device: ${(err as Error).message}`));
  }
  return new Promise((resolveStart, rejectStart) => {
    let pending = taps.length;
    const up = (error?: string): void => {
      if (error) {
        close();
        rejectStart(new BridgeError(`--bridge: ${error}`));
        return;
      }
      if (--pending > 0) return;
      let finish: (r: RunResult) => void = () => undefined;
      const done = new Promise<RunResult>((resolve) => (finish = resolve));
      const end = (r: RunResult): void => {
        close();
        finish(r);
      };
      const rt: RealtimeRun = runRealtime(sim, new MonotonicClock(), end);
      const counts = new Map<string, { toKernel: number; fromKernel: number }>();
      bridges.forEach((b, i) => {
        const tap = taps[i];
        const c = { toKernel: 0, fromKernel: 0 };
        counts.set(tap.ifname, c);
        const port = rt.bridge(b.segment, tap.ifname, (frame) => {
          c.toKernel++;
          tap.send(frame);
        });
        tap.onFrame((frame) => {
          c.fromKernel++;
          port.send(frame);
        });
      });
      resolveStart({ done, counts, stop: () => end(rt.stop()) });
    };
    taps.forEach((t) => control.setLink(t.ifname, { up: true }, up));
  });
}

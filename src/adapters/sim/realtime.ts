/**
 * Wall-clock mode: the same Simulation, driven so that virtual time follows real time, with
 * segments bridged to the outside (a TAP device, through the Linux adapter). This file is the seam:
 * the driver supplies the real clock and timers (so nothing here reads time itself), and
 * `bridge()` hands frames in and out of a segment.
 *
 *   const rt = runRealtime(sim, driver);                       // virtual 0 = wall time now
 *   const port = rt.bridge('lan', 'tap0', (f) => tap.write(f)); // frames the segment delivers
 *   tap.onFrame((f) => port.send(f));                           // frames from the real kernel
 *   ...; const result = rt.stop();
 */
import type { Timer } from '../../core/ports.js';
import type { Micros } from '../../core/time.js';
import type { Simulation, RunResult } from './run.js';
import type { ExternalPort } from './segment.js';

export interface RealtimeDriver {
  /** Monotonic wall-clock time in microseconds (any origin). */
  now(): Micros;
  /** Calls `fn` at wall time `at` (or as soon after as it can). */
  at(at: Micros, fn: () => void): Timer;
}

export class RealtimeRun {
  private readonly origin: Micros;
  private wake?: Timer;
  private stopped = false;

  constructor(
    readonly sim: Simulation,
    private readonly driver: RealtimeDriver,
    /** Called once when virtual time reaches the run's end. */
    private readonly onEnd?: (r: RunResult) => void,
  ) {
    this.origin = driver.now();
  }

  /** Virtual time that corresponds to the wall clock now. */
  virtualNow(): Micros {
    return Math.min(this.driver.now() - this.origin, this.sim.until);
  }

  /** Runs every event due by now, then sets the next wake-up. */
  pump(): void {
    if (this.stopped) return;
    const target = this.virtualNow();
    this.sim.runUntil(target);
    this.wake?.cancel();
    if (target >= this.sim.until) {
      const r = this.stop();
      this.onEnd?.(r);
      return;
    }
    const next = this.sim.scheduler.peek();
    const at = Math.min(next ?? this.sim.until, this.sim.until);
    this.wake = this.driver.at(this.origin + at, () => this.pump());
  }

  /**
   * Attaches something outside to segment `segment` as port `name`: `deliver` gets every frame on
   * the segment; `send` on the returned port injects a frame at the current wall-clock moment.
   */
  bridge(segment: string, name: string, deliver: (frame: Uint8Array) => void): ExternalPort {
    const port = this.sim.world.attachExternal(segment, name, deliver);
    return {
      name: port.name,
      send: (frame) => {
        this.pump(); // bring virtual time up to the frame's arrival first
        port.send(frame);
        this.pump();
      },
      detach: () => port.detach(),
    };
  }

  /** Stops driving and reports the run so far. */
  stop(): RunResult {
    this.stopped = true;
    this.wake?.cancel();
    return this.sim.finish();
  }
}

/** Starts driving `sim` in real time. */
export function runRealtime(sim: Simulation, driver: RealtimeDriver, onEnd?: (r: RunResult) => void): RealtimeRun {
  const rt = new RealtimeRun(sim, driver, onEnd);
  rt.pump();
  return rt;
}

/** A segment or underlay on its own, for engine tests: scheduler, streams, a trace kept in memory. */
import { Scheduler } from '../../../../src/adapters/sim/scheduler.js';
import { RandomStreams } from '../../../../src/adapters/sim/prng.js';
import { TraceBus } from '../../../../src/adapters/sim/trace.js';
import { Cable, DEFAULT_FAULTS, type Faults } from '../../../../src/adapters/sim/faults.js';
import { Segment } from '../../../../src/adapters/sim/segment.js';
import { Underlay } from '../../../../src/adapters/sim/underlay.js';
import type { Capture } from '../../../../src/adapters/sim/capture.js';
import { MacAddress } from '../../../../src/core/wire/mac-address.js';
import * as ethernet from '../../../../src/core/wire/ethernet.js';

export function env(seed = 1, capture?: Capture) {
  const scheduler = new Scheduler();
  const streams = new RandomStreams(seed);
  const trace = new TraceBus(() => scheduler.now(), { keep: true });
  return { scheduler, streams, trace, capture };
}

export type Env = ReturnType<typeof env>;

export function cable(e: Env, name: string, faults: Partial<Faults> = {}): Cable {
  return new Cable({ ...DEFAULT_FAULTS, ...faults }, e.streams, name);
}

export function segment(e: Env, name = 'lan'): Segment {
  return new Segment(name, e);
}

export function underlay(e: Env): Underlay {
  return new Underlay(e);
}

export const mac = (n: number): MacAddress => new MacAddress(0x02_00_00_00_00_00 + n);

/** An Ethernet frame from `src` to `dst` with a 46-byte payload whose first byte is `tag`. */
export function frame(src: MacAddress, dst: MacAddress, tag = 0, size = 46): Uint8Array {
  const payload = new Uint8Array(size);
  payload[0] = tag;
  return ethernet.encode({ dst, src, etherType: 0x88b5, payload });
}

// The port-conformance suites against the simulator's host ports: the same assertions as
// linux.test.ts, in virtual time.
import { describe } from 'vitest';
import { frameSuite } from './suites/frame.js';
import { icmpv6Suite } from './suites/icmpv6.js';
import { ip6in4Suite } from './suites/ip6in4.js';
import { neighborSuite } from './suites/neighbor.js';
import { clockSuite } from './suites/clock.js';
import { simClock, simFrames, simIcmpv6, simIp6in4, simNeighbors } from './factories/sim.js';

describe('simulator adapters', () => {
  clockSuite(simClock);
  frameSuite(simFrames);
  icmpv6Suite(simIcmpv6);
  ip6in4Suite(simIp6in4);
  neighborSuite(simNeighbors);
});

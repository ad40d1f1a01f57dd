// The port-conformance suites against the Linux adapters, in test namespaces (root only; in CI
// nothing is skipped). The same suites run against the simulator in sim.test.ts.
import { afterAll, describe } from 'vitest';
import { tierAvailable } from '../helpers/tier.js';
import { cleanupAll } from '../netns/harness.js';
import { frameSuite } from './suites/frame.js';
import { icmpv6Suite } from './suites/icmpv6.js';
import { ip6in4Suite } from './suites/ip6in4.js';
import { neighborSuite } from './suites/neighbor.js';
import { clockSuite } from './suites/clock.js';
import { linuxClock, linuxFrames, linuxIcmpv6, linuxIp6in4, linuxNeighbors } from './factories/linux.js';

const runs = tierAvailable('test/conformance/linux.test.ts', { root: true, commands: ['ip'] });

describe.skipIf(!runs)('Linux adapters', () => {
  afterAll(cleanupAll);
  clockSuite(linuxClock);
  frameSuite(linuxFrames);
  icmpv6Suite(linuxIcmpv6);
  ip6in4Suite(linuxIp6in4);
  neighborSuite(linuxNeighbors);
});

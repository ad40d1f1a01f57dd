/** Every expectation kind a topology's `expect:` list may use, by YAML key. */
import type { ExpectationKind } from './expectation.js';
import { addressExpectation } from './address.js';
import { rsPerCycleExpectation } from './rs-per-cycle.js';
import { arpRateExpectation } from './arp-rate.js';
import { scriptExpectation } from './script.js';
import { pingExpectation } from './ping.js';
import { eventExpectation } from './event-count.js';
import { framesExpectation } from './frames.js';
import { queryExpectation } from './query.js';

export const expectationKinds: readonly ExpectationKind[] = [
  addressExpectation,
  rsPerCycleExpectation,
  arpRateExpectation,
  scriptExpectation,
  pingExpectation,
  eventExpectation,
  framesExpectation,
  queryExpectation,
];

export type { Expectation, ExpectationKind, Outcome, RunView, ParseContext } from './expectation.js';

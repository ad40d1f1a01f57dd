/**
 * Every node kind a topology file can name (`kind:`). The engine composes the topology schema from
 * these and builds nodes through them. The node kinds' files live next to this one.
 */
import type { NodeKind } from '../node.js';
import { hostKind } from './host.js';
import { routerKind } from './router/node.js';
import { daemonKind } from './daemon.js';
import { isatapRouterKind } from './isatap-router/node.js';
import { fuzzerKind } from './fuzzer/node.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind has its own config type
export const nodeKinds: NodeKind<any>[] = [hostKind, routerKind, isatapRouterKind, fuzzerKind, daemonKind];

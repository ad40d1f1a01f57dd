/**
 * Trace events as the run report shows them: state changes per node (addresses, routers, routes,
 * neighbours, arpd's entries, a daemon's own state), fault marks, timed events, scripts, and a
 * line of text for every event.
 */
import type { TraceEvent } from '../adapters/sim/trace.js';
import type { EventSpec } from '../adapters/sim/topology/types.js';
import type { FaultKind, FaultMark, ScriptMark, StateChange, TimedEventMark } from './data.js';

const ADDRESS_STATES: Record<string, string> = {
  'addr.tentative': 'tentative',
  'addr.added': 'preferred',
  'addr.deprecated': 'deprecated',
  'addr.removed': 'removed',
  'addr.dad-failed': 'dad-failed',
};

/** The state change an event is, if it is one. */
export function stateOf(e: TraceEvent): StateChange | null {
  const node = e.node;
  if (!node) return null;
  const iface = typeof e.iface === 'string' ? e.iface : '';
  const at = (track: StateChange['track'], key: string, state: string, detail?: string): StateChange => ({ t: e.t, node, track, key, state, ...(detail ? { detail } : {}) });
  const a = ADDRESS_STATES[e.event];
  if (a) {
    const len = typeof e.prefixLength === 'number' ? `/${e.prefixLength}` : '';
    return at('address', `${iface} ${String(e.address)}${e.event === 'addr.dad-failed' ? '' : len}`.trim(), a, typeof e.origin === 'string' ? e.origin : undefined);
  }
  switch (e.event) {
    case 'route.added':
    case 'route.removed': {
      const gone = e.event === 'route.removed';
      if (e.prefix === '::/0') return at('router', `${iface} ${String(e.via)}`, gone ? 'removed' : 'default router');
      return at('route', `${iface} ${String(e.prefix)}${e.via ? ` via ${String(e.via)}` : ''}`, gone ? 'removed' : e.via ? 'via a router' : 'on-link');
    }
    case 'neigh.state':
    case 'neigh6.state': {
      const state = String(e.state).toLowerCase();
      return at('neighbour', `${iface} ${String(e.ip)}`, state === 'deleted' ? 'removed' : state, typeof e.mac === 'string' ? e.mac : undefined);
    }
    case 'arpd.entry':
      return at('arpd', `if${String(e.ifindex)} ${String(e.ip)}`, String(e.state), typeof e.mac === 'string' ? e.mac : e.probes !== undefined ? `${String(e.probes)} probes` : undefined);
    case 'daemon.started':
      return at('daemon', String(e.core ?? 'daemon'), 'running');
    case 'daemon.stopped':
    case 'daemon.exited':
      return at('daemon', String(e.core ?? 'daemon'), 'removed', typeof e.msg === 'string' ? e.msg : undefined);
    case 'log':
      // rtsold's interface state machine and isatapd's potential router list.
      if (e.name === 'state' && typeof e.to === 'string') return at('daemon', `${String(e.ifname ?? '')} state`.trim(), e.to);
      if (e.name === 'prl.added' || e.name === 'prl.refreshed') return at('router', `PRL ${String(e.router)}`, 'in the PRL');
      if (e.name === 'prl.removed') return at('router', `PRL ${String(e.router)}`, 'removed');
      return null;
    default:
      return null;
  }
}

const LOSS_REASONS: Record<string, FaultKind> = { loss: 'loss', 'link-down': 'dropped', 'node-down': 'dropped', runt: 'dropped', 'no-route': 'dropped', 'not-ipv4': 'dropped', 'too-big': 'too-big' };

/**
 * The fault mark an event is, if it is one. `struck` says whether the event happened while its
 * frame was being sent (loss, duplication, corruption on the way out or at fan-out: the message is
 * the last one transmitted), as opposed to at a delivery (the frame is not known).
 */
export function faultOf(e: TraceEvent): { mark: FaultMark; atSend: boolean } | null {
  const where = { ...(e.node ? { node: e.node } : {}), ...(typeof e.iface === 'string' ? { iface: e.iface } : {}), ...(typeof e.segment === 'string' ? { segment: e.segment } : {}) };
  const label = e.node ? `${e.node}${typeof e.iface === 'string' ? ':' + e.iface : ''}` : '';
  const mark = (kind: FaultKind, text: string): FaultMark => ({ t: e.t, kind, ...where, text });
  switch (e.event) {
    case 'frame.lost':
    case 'ip4.lost': {
      const reason = String(e.reason);
      const kind = LOSS_REASONS[reason] ?? 'dropped';
      // A loss is drawn at a cable crossing, which happens as the frame is sent; drops at a down
      // link or node happen at delivery, except a sender's own link being down.
      const atSend = reason === 'loss' || reason === 'no-route' || reason === 'not-ipv4';
      return { mark: mark(kind, `${reason === 'loss' ? 'lost' : `dropped (${reason})`} at ${label}`), atSend };
    }
    case 'frame.duplicated':
      return { mark: mark('duplicate', `duplicated crossing ${label}'s cable`), atSend: true };
    case 'frame.corrupted':
      return { mark: mark('corrupt', `corrupted crossing ${label}'s cable`), atSend: true };
    case 'frame.too-big':
      return { mark: mark('too-big', `too big for ${label}'s MTU (${String(e.len)} bytes)`), atSend: false };
    case 'link.down':
      return { mark: mark('link-down', `link down: ${label}`), atSend: false };
    case 'link.up':
      return { mark: mark('link-up', `link up: ${label}`), atSend: false };
    case 'partition': {
      const groups = Array.isArray(e.groups) ? (e.groups as string[][]).map((g) => `[${g.join(' ')}]`).join(' ') : '';
      return { mark: mark('partition', `${String(e.segment)} partitioned: ${groups}`), atSend: false };
    }
    case 'heal':
      return { mark: mark('heal', `${String(e.segment)} healed`), atSend: false };
    case 'node.crash':
      return { mark: mark('crash', `${e.node} crashed`), atSend: false };
    case 'node.restart':
      return { mark: mark('restart', `${e.node} restarted`), atSend: false };
    default:
      return null;
  }
}

/** A timed topology event as it fired. */
export function timedOf(e: TraceEvent, specs: readonly EventSpec[]): TimedEventMark | null {
  if (e.event !== 'event' || typeof e.index !== 'number') return null;
  const spec = specs.find((s) => s.index === e.index);
  const { at: _at, ...rest } = spec?.source ?? {};
  return { t: e.t, index: e.index, do: String(e.do), text: `event ${e.index}: ${JSON.stringify(rest)}` };
}

export function scriptOf(e: TraceEvent): ScriptMark | null {
  if (e.event !== 'script.run' || !e.node) return null;
  return { t: e.t, node: e.node, path: String(e.path), args: Array.isArray(e.args) ? e.args.map(String) : [], stdin: typeof e.stdin === 'string' ? e.stdin : '' };
}

const MAX_TEXT = 300;

/** One line of text for an event: a log line's message, else its fields. */
export function textOf(e: TraceEvent): string {
  let text: string;
  if (e.event === 'log') text = `${String(e.name)}: ${String(e.msg)}`;
  else {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(e)) {
      if (k === 't' || k === 'event' || k === 'node' || v === undefined) continue;
      parts.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    }
    text = parts.join(' ');
  }
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT - 3) + '...' : text;
}

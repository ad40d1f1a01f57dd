/**
 * Whether anyone listens for a trace event. Building an event means formatting addresses, which
 * costs more than the work being traced in a 10,000-host run, so nodes ask first.
 */
import type { Tracer } from '../trace.js';

export function wants(t: Tracer, event: string): boolean {
  if (t.enabled === false) return false;
  return t.wants === undefined ? true : t.wants(event);
}

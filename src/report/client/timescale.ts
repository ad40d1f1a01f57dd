/**
 * The time window the charts show, shared by the message sequence chart and the state timelines:
 * wheel to zoom around the pointer, drag to pan, double-click to see the whole run.
 */
import { time } from './dom.js';

export class TimeView {
  t0: number;
  t1: number;
  private listeners: Array<() => void> = [];
  private pending = false;

  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    this.t0 = start;
    this.t1 = end;
  }

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  /** Sets the window (kept inside the run, at least 10us wide) and redraws once per frame. */
  set(t0: number, t1: number): void {
    const span = Math.max(10, Math.min(this.end - this.start, t1 - t0));
    t0 = Math.max(this.start, Math.min(t0, this.end - span));
    this.t0 = t0;
    this.t1 = t0 + span;
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      for (const fn of this.listeners) fn();
    });
  }

  reset(): void {
    this.set(this.start, this.end);
  }

  /** Zooms by `factor` (< 1 in) keeping time `at` where it is. */
  zoom(factor: number, at = (this.t0 + this.t1) / 2): void {
    this.set(at - (at - this.t0) * factor, at + (this.t1 - at) * factor);
  }

  /** Centres a window of `span` on `t`. */
  focus(t: number, span: number): void {
    this.set(t - span / 2, t + span / 2);
  }

  x(t: number, width: number): number {
    return ((t - this.t0) / (this.t1 - this.t0)) * width;
  }

  /** Lets `elem` (whose plotting area starts `left` px in and is `width()` wide) zoom and pan the view. */
  bind(elem: Element, left: number, width: () => number): void {
    elem.addEventListener(
      'wheel',
      (ev) => {
        const e = ev as WheelEvent;
        if (!e.ctrlKey && !e.shiftKey && Math.abs(e.deltaY) < Math.abs(e.deltaX)) return;
        e.preventDefault();
        const r = elem.getBoundingClientRect();
        const at = this.t0 + ((e.clientX - r.left - left) / width()) * (this.t1 - this.t0);
        this.zoom(Math.exp(e.deltaY * 0.002), at);
      },
      { passive: false },
    );
    let drag: { x: number; t0: number; t1: number; moved: boolean } | undefined;
    elem.addEventListener('pointerdown', (ev) => {
      const e = ev as PointerEvent;
      if (e.button !== 0) return;
      drag = { x: e.clientX, t0: this.t0, t1: this.t1, moved: false };
    });
    window.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x;
      if (Math.abs(dx) > 3) drag.moved = true;
      if (!drag.moved) return;
      const dt = (dx / width()) * (drag.t1 - drag.t0);
      this.set(drag.t0 - dt, drag.t1 - dt);
    });
    window.addEventListener('pointerup', () => {
      // A drag that moved must not also count as a click on what it started on.
      if (drag?.moved) elem.addEventListener('click', (e) => e.stopPropagation(), { capture: true, once: true });
      drag = undefined;
    });
    elem.addEventListener('dblclick', () => this.reset());
  }
}

/** About `count` round tick times in [t0, t1], with labels. */
export function ticks(t0: number, t1: number, count: number): Array<{ t: number; label: string }> {
  const span = t1 - t0;
  const raw = span / Math.max(1, count);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: Array<{ t: number; label: string }> = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) out.push({ t, label: time(Math.round(t)) });
  return out;
}

import { describe, expect, it } from 'vitest';
import { NodeClock, Scheduler } from '../../../src/adapters/sim/scheduler.js';

describe('Scheduler', () => {
  it('runs events in time order, ties in the order they were scheduled', () => {
    const s = new Scheduler();
    const seen: string[] = [];
    s.schedule(20, () => seen.push('b@20'));
    s.schedule(10, () => seen.push('a@10'));
    s.schedule(20, () => seen.push('c@20'));
    s.schedule(10, () => seen.push('d@10'));
    s.runUntil(100);
    expect(seen).toEqual(['a@10', 'd@10', 'b@20', 'c@20']);
    expect(s.now()).toBe(100);
    expect(s.eventsRun).toBe(4);
  });

  it('never schedules into the past and lets events schedule more at the same time', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    s.schedule(5, () => {
      s.schedule(1, () => seen.push(s.now()));
      s.schedule(5, () => seen.push(s.now()));
    });
    s.runUntil(10);
    expect(seen).toEqual([5, 5]);
  });

  it('drops cancelled events and stops at runUntil', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    const t = s.schedule(3, () => seen.push(3));
    s.schedule(4, () => seen.push(4));
    s.schedule(50, () => seen.push(50));
    t.cancel();
    s.runUntil(10);
    expect(seen).toEqual([4]);
    expect(s.peek()).toBe(50);
  });

  it('refuses a time that is not whole microseconds', () => {
    expect(() => new Scheduler().schedule(1.5, () => {})).toThrow(/integer/);
  });
});

describe('NodeClock', () => {
  it("cancels all of one node's timers and none of another's", () => {
    const s = new Scheduler();
    const a = new NodeClock(s);
    const b = new NodeClock(s);
    const seen: string[] = [];
    a.at(10, () => seen.push('a'));
    b.at(10, () => seen.push('b'));
    a.at(20, () => seen.push('a2'));
    a.cancelAll();
    s.runUntil(30);
    expect(seen).toEqual(['b']);
  });
});

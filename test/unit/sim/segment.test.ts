import { describe, expect, it } from 'vitest';
import { ALWAYS_ALIVE } from '../../../src/adapters/sim/medium.js';
import { MacAddress } from '../../../src/core/wire/mac-address.js';
import { cable, env, frame, mac, segment, type Env } from './helpers/medium.js';
import type { Segment, SegmentPort } from '../../../src/adapters/sim/segment.js';

function plug(e: Env, seg: Segment, n: number, faults = {}, owner = ALWAYS_ALIVE): SegmentPort {
  return seg.attach({ node: `n${n}`, ifname: 'eth0', mac: mac(n), mtu: 1500, cable: cable(e, `link:${seg.name}/n${n}:eth0`, faults), owner });
}

function record(p: SegmentPort): Array<{ t: number; tag: number; bytes: Uint8Array }> {
  const got: Array<{ t: number; tag: number; bytes: Uint8Array }> = [];
  p.onFrame((f) => got.push({ t: -1, tag: f[14], bytes: f }));
  return got;
}

describe('Segment', () => {
  it('delivers a broadcast to every other port after both cables\' latency, in one event', () => {
    const e = env();
    const seg = segment(e);
    const ports = [0, 1, 2, 3].map((n) => plug(e, seg, n, { latency: 100 }));
    const times: number[][] = ports.map(() => []);
    ports.forEach((p, i) => p.onFrame(() => times[i].push(e.scheduler.now())));
    ports[0].send(frame(ports[0].mac, MacAddress.BROADCAST));
    e.scheduler.runUntil(1000);
    expect(times).toEqual([[], [200], [200], [200]]);
    expect(e.scheduler.eventsRun).toBe(1);
    expect(seg.framesSent).toBe(1);
    expect(seg.deliveries).toBe(3);
  });

  it('delivers unicast to the owner of the MAC only, unless a port is promiscuous', () => {
    const e = env();
    const seg = segment(e);
    const [a, b, c, d] = [0, 1, 2, 3].map((n) => plug(e, seg, n));
    const got = [a, b, c, d].map(record);
    d.setReceiveMode('promiscuous');
    a.send(frame(a.mac, c.mac, 7));
    e.scheduler.runUntil(1000);
    expect(got.map((g) => g.length)).toEqual([0, 0, 1, 1]);
  });

  it("filtered ports hear only multicast groups they joined; allmulti ones hear all", () => {
    const e = env();
    const seg = segment(e);
    const [a, b, c] = [0, 1, 2].map((n) => plug(e, seg, n));
    const got = [a, b, c].map(record);
    const group = MacAddress.parse('33:33:ff:00:00:01');
    b.setReceiveMode('filtered');
    c.setReceiveMode('filtered');
    c.joinMulticast(group);
    a.send(frame(a.mac, group, 1));
    a.send(frame(a.mac, MacAddress.parse('33:33:00:00:00:01'), 2));
    e.scheduler.runUntil(1000);
    expect(got[1].map((g) => g.tag)).toEqual([]);
    expect(got[2].map((g) => g.tag)).toEqual([1]);
    c.leaveMulticast(group);
    b.setReceiveMode('allmulti');
    a.send(frame(a.mac, group, 3));
    e.scheduler.runUntil(2000);
    expect(got[1].map((g) => g.tag)).toEqual([3]);
    expect(got[2].map((g) => g.tag)).toEqual([1]);
  });

  it('a receiver joining a group during a delivery does not disturb that delivery', () => {
    const e = env();
    const seg = segment(e);
    const ports = [0, 1, 2, 3].map((n) => plug(e, seg, n));
    const group = MacAddress.parse('33:33:00:00:00:01');
    for (const p of ports) {
      p.setReceiveMode('filtered');
      p.joinMulticast(group);
    }
    const heard: number[] = [];
    ports.forEach((p, i) =>
      p.onFrame(() => {
        heard.push(i);
        ports[3 - i].leaveMulticast(group);
        ports[3 - i].joinMulticast(group);
      }),
    );
    ports[0].send(frame(ports[0].mac, group));
    e.scheduler.runUntil(1000);
    expect(heard).toEqual([1, 2, 3]);
  });

  it('drops frames from and to a port whose link is down, and tells carrier listeners', () => {
    const e = env();
    const seg = segment(e);
    const [a, b] = [0, 1].map((n) => plug(e, seg, n));
    const got = record(b);
    const carrier: boolean[] = [];
    b.onCarrier((up) => carrier.push(up));
    b.setLink(false);
    a.send(frame(a.mac, MacAddress.BROADCAST, 1));
    b.send(frame(b.mac, MacAddress.BROADCAST, 2));
    e.scheduler.runUntil(1000);
    b.setLink(true);
    a.send(frame(a.mac, MacAddress.BROADCAST, 3));
    e.scheduler.runUntil(2000);
    expect(got.map((g) => g.tag)).toEqual([3]);
    expect(carrier).toEqual([false, true]);
    expect(b.counters.dropped).toBe(2);
    expect(e.trace.events.filter((x) => x.event === 'frame.lost').map((x) => x.reason)).toEqual(['link-down', 'link-down']);
  });

  it('keeps partition groups apart until healed', () => {
    const e = env();
    const seg = segment(e);
    const ports = [0, 1, 2, 3].map((n) => plug(e, seg, n));
    const got = ports.map(record);
    seg.partition([[ports[0], ports[1]], [ports[2]]]);
    for (const [i, p] of ports.entries()) p.send(frame(p.mac, MacAddress.BROADCAST, i));
    e.scheduler.runUntil(1000);
    expect(got.map((g) => g.map((x) => x.tag))).toEqual([[1], [0], [], []]);
    seg.heal();
    ports[3].send(frame(ports[3].mac, MacAddress.BROADCAST, 9));
    e.scheduler.runUntil(2000);
    expect(got.map((g) => g.map((x) => x.tag).filter((t) => t === 9).length)).toEqual([1, 1, 1, 0]);
  });

  it('drops frames over the MTU at the sender and at a receiver with a smaller MTU', () => {
    const e = env();
    const seg = segment(e);
    const a = plug(e, seg, 0);
    const small = seg.attach({ node: 'small', ifname: 'eth0', mac: mac(9), mtu: 576, cable: cable(e, 'link:lan/small:eth0'), owner: ALWAYS_ALIVE });
    const got = record(small);
    a.send(frame(a.mac, MacAddress.BROADCAST, 1, 1501));
    a.send(frame(a.mac, MacAddress.BROADCAST, 2, 1000));
    a.send(frame(a.mac, MacAddress.BROADCAST, 3, 576));
    e.scheduler.runUntil(1000);
    expect(got.map((g) => g.tag)).toEqual([3]);
    expect(a.counters.tooBig).toBe(1);
    expect(small.counters.tooBig).toBe(1);
  });

  it('a port whose node is down hears nothing', () => {
    const e = env();
    const seg = segment(e);
    const owner = { alive: false };
    const a = plug(e, seg, 0);
    const b = plug(e, seg, 1, {}, owner);
    const got = record(b);
    a.send(frame(a.mac, MacAddress.BROADCAST));
    e.scheduler.runUntil(1000);
    owner.alive = true;
    a.send(frame(a.mac, MacAddress.BROADCAST));
    e.scheduler.runUntil(2000);
    expect(got).toHaveLength(1);
  });

  it('loses about the configured share of frames, reproducibly per seed', () => {
    const run = (seed: number): number[] => {
      const e = env(seed);
      const seg = segment(e);
      const a = plug(e, seg, 0);
      const b = plug(e, seg, 1, { loss: 0.3 });
      const tags: number[] = [];
      b.onFrame((f) => tags.push(f[14] | (f[15] << 8)));
      for (let i = 0; i < 2000; i++) {
        const f = frame(a.mac, b.mac, i & 0xff);
        f[15] = i >> 8;
        a.send(f);
      }
      e.scheduler.runUntil(1000);
      return tags;
    };
    const one = run(1);
    expect(one.length).toBeGreaterThan(2000 * 0.65);
    expect(one.length).toBeLessThan(2000 * 0.75);
    expect(run(1)).toEqual(one);
    expect(run(2)).not.toEqual(one);
  });

  it('duplicates, corrupts one bit, and reorders as configured', () => {
    const e = env(5);
    const seg = segment(e);
    const a = plug(e, seg, 0);
    const dup = plug(e, seg, 1, { duplicate: 1 });
    const bad = plug(e, seg, 2, { corrupt: 1 });
    const late = plug(e, seg, 3, { reorder: 1, reorderDelay: 5000 });
    const [gDup, gBad] = [dup, bad].map(record);
    const lateTimes: number[] = [];
    late.onFrame(() => lateTimes.push(e.scheduler.now()));
    const sent = frame(a.mac, MacAddress.BROADCAST, 42);
    a.send(sent);
    e.scheduler.runUntil(100_000);
    expect(gDup).toHaveLength(2);
    expect(gBad).toHaveLength(1);
    let flipped = 0;
    for (let i = 0; i < sent.length; i++) {
      let x = sent[i] ^ gBad[0].bytes[i];
      while (x) {
        flipped += x & 1;
        x >>= 1;
      }
    }
    expect(flipped).toBe(1);
    expect(lateTimes).toEqual([20 + 5000]);
  });

  it('copies the frame at send time, so the sender may reuse its buffer', () => {
    const e = env();
    const seg = segment(e);
    const [a, b] = [0, 1].map((n) => plug(e, seg, n));
    const got = record(b);
    const buf = frame(a.mac, MacAddress.BROADCAST, 1);
    a.send(buf);
    buf[14] = 99;
    e.scheduler.runUntil(1000);
    expect(got[0].tag).toBe(1);
  });

  it('lets an external port hear everything and inject frames', () => {
    const e = env();
    const seg = segment(e);
    const [a, b] = [0, 1].map((n) => plug(e, seg, n));
    const got = record(b);
    const outside: number[] = [];
    const ext = seg.attachExternal('tap0', (f) => outside.push(f[14]), cable(e, 'link:lan/external:tap0'));
    a.send(frame(a.mac, b.mac, 5)); // unicast to b: the external port is promiscuous
    ext.send(frame(mac(77), MacAddress.BROADCAST, 6));
    e.scheduler.runUntil(1000);
    expect(outside).toEqual([5]);
    expect(got.map((g) => g.tag)).toEqual([5, 6]);
    ext.detach();
    a.send(frame(a.mac, b.mac, 7));
    e.scheduler.runUntil(2000);
    expect(outside).toEqual([5]);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TokenBucket } from '../../../src/core/arpd/token-bucket.js';
import { ArpDatabase } from '../../../src/core/arpd/database.js';
import { dumpText } from '../../../src/core/arpd/dump.js';
import { parseLoad } from '../../../src/core/arpd/load.js';
import { lessonOf, quickLesson, slowLesson } from '../../../src/core/arpd/learn.js';
import { decodeEntry, encodeEntry, isPositiveFor } from '../../../src/core/arpd/record.js';
import { MemoryStore } from '../../helpers/fake-ports.js';
import { fcRuns } from '../../helpers/tier.js';
import { SECOND } from '../../../src/core/time.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { MacAddress } from '../../../src/core/wire/mac-address.js';
import * as ethernet from '../../../src/core/wire/ethernet.js';
import * as arp from '../../../src/core/wire/arp.js';

describe('arpd token bucket', () => {
  it('never lets more than B + R*T broadcasts through in any interval of length T', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 3 * SECOND }), { minLength: 1, maxLength: 300 }),
        (rate, burst, gaps) => {
          const bucket = new TokenBucket(rate, burst);
          const sent: number[] = [];
          let t = 0;
          for (const g of gaps) {
            t += g;
            if (bucket.take(t)) sent.push(t);
          }
          // every window that starts and ends on a send is the tightest one to check
          for (let i = 0; i < sent.length; i++) {
            for (let j = i; j < sent.length; j++) {
              const T = (sent[j] - sent[i]) / SECOND;
              expect(j - i + 1).toBeLessThanOrEqual(burst + rate * T + 1e-9);
            }
          }
        },
      ),
      { numRuns: fcRuns(2000) },
    );
  });

  it("shows the original's defect: crediting time since the last send on every attempt breaks B + R*T", () => {
    // iproute2 arpd's queue_active_probe, in milliseconds as it was written
    const original = (rate: number, burst: number) => {
      let prev: number | undefined;
      let buckets = 0;
      const perProbe = 1000 / rate;
      return (nowMs: number): boolean => {
        if (prev !== undefined) buckets += nowMs - prev;
        else buckets = burst * 1000;
        if (buckets > burst * 1000) buckets = burst * 1000;
        if (buckets >= perProbe) {
          buckets -= perProbe;
          prev = nowMs;
          return true;
        }
        return false;
      };
    };
    const take = original(1, 3);
    const sent = [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].filter((t) => take(t));
    // within one second the original sent more than B + R*T = 3 + 1*1 = 4
    expect(sent.length).toBeGreaterThan(4);
    const fixed = new TokenBucket(1, 3);
    expect([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000].filter((t) => fixed.take(t * 1000)).length).toBe(4);
  });

  it('lets a steady stream through at the rate once the burst is spent', () => {
    const bucket = new TokenBucket(10, 3);
    let sent = 0;
    for (let t = 0; t <= 100 * SECOND; t += 10_000) if (bucket.take(t)) sent++;
    expect(sent).toBe(3 + 10 * 100);
  });
});

const entryArb = fc.record({
  ifindex: fc.integer({ min: 1, max: 2 ** 31 }),
  ip: fc.integer({ min: 1, max: 0xffffffff }).map((v) => new Ipv4Address(v)),
  mac: fc.integer({ min: 0, max: 2 ** 48 - 1 }).map((v) => new MacAddress(v)),
  negative: fc.boolean(),
});

describe('arpd dump and load', () => {
  it('a dump loads back to the same positive entries, and negative rows are skipped', () => {
    fc.assert(
      fc.property(fc.uniqueArray(entryArb, { selector: (e) => `${e.ifindex}/${e.ip.value}`, maxLength: 40 }), (entries) => {
        const db = new ArpDatabase(new MemoryStore(), { maxEntries: 1000, expireAfter: 0 });
        for (const e of entries) {
          if (e.negative) db.putNegative(e.ifindex, e.ip, 1, 100);
          else db.putPositive(e.ifindex, e.ip, e.mac, 100);
        }
        const text = dumpText(db, 150);
        const back = parseLoad(text, 'dump.txt');
        expect(back.error).toBeUndefined();
        const want = [...db.entries()].filter((e) => e.entry.kind === 'positive');
        expect(back.rows.map((r) => [r.ifindex, r.ip.value, r.mac.value])).toEqual(
          want.map((e) => [e.ifindex, e.ip.value, e.entry.kind === 'positive' ? e.entry.mac.value : -1]),
        );
      }),
      { numRuns: fcRuns(2000) },
    );
  });

  it('a malformed line stops the load with the original message at that line, keeping the rows before it', () => {
    const bad = fc.constantFrom('garbage', '7', '7 192.0.2.1', 'x 192.0.2.1 02:00:00:00:00:01', '7 192.0.2.999 02:00:00:00:00:01', '7 192.0.2.1 zz:00', '');
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 10 }), bad, fc.array(entryArb, { maxLength: 5 }), (before, line, after) => {
        const row = (e: { ifindex: number; ip: Ipv4Address; mac: MacAddress }) => `${e.ifindex} ${e.ip} ${e.mac}`;
        const text = [...before.map(row), line, ...after.map(row)].join('\n') + '\n';
        const r = parseLoad(text, 'in.txt');
        expect(r.rows).toHaveLength(before.length);
        expect(r.error?.line).toBe(before.length + 1);
        expect(r.error?.message).toMatch(/^(Wrong format of input file "in\.txt"|Invalid IP address: "|"[^"]*" is invalid lladdr\.)/);
      }),
      { numRuns: fcRuns(2000) },
    );
  });
});

describe('arpd learning', () => {
  it('learns exactly from IPv4-over-Ethernet requests and replies with a real sender', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        (op, spa, sha) => {
          const payload = arp.encode({ form: 'ethernet-ipv4', hardwareType: 1, op, senderMac: new MacAddress(sha), senderIp: new Ipv4Address(spa), targetMac: MacAddress.ZERO, targetIp: new Ipv4Address(1) });
          const lesson = lessonOf(ethernet.encode({ dst: MacAddress.BROADCAST, src: new MacAddress(sha), etherType: 0x0806, payload }));
          const mac = new MacAddress(sha);
          const shouldLearn = (op === 1 || op === 2) && spa !== 0 && !mac.isZero && !mac.isMulticast;
          expect(lesson.ok).toBe(shouldLearn);
          if (lesson.ok) expect([lesson.ip.value, lesson.mac.value]).toEqual([spa, sha]);
        },
      ),
      { numRuns: fcRuns(20000) },
    );
  });

  it('the fast byte-level path agrees with the full decode on every frame it takes', () => {
    // ARP frames with some bytes changed, so every check of the fast path gets exercised.
    const base = ethernet.encode({
      dst: MacAddress.BROADCAST,
      src: new MacAddress(0x020000000001),
      etherType: 0x0806,
      payload: arp.encode({ form: 'ethernet-ipv4', hardwareType: 1, op: 1, senderMac: new MacAddress(0x020000000001), senderIp: new Ipv4Address(0xc0000201), targetMac: MacAddress.ZERO, targetIp: new Ipv4Address(0xc0000201) }),
    });
    const mutated = fc
      .tuple(fc.array(fc.tuple(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.integer({ min: 0, max: 64 }))
      .map(([edits, len]) => {
        const f = new Uint8Array(60);
        f.set(base);
        for (const [at, v] of edits) f[at] = v;
        return f.subarray(0, len);
      });
    let taken = 0;
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 80 })), (f) => {
        const quick = quickLesson(f);
        if (quick === null) return;
        taken++;
        expect(quick).toEqual(slowLesson(f));
      }),
      { numRuns: fcRuns(20000) },
    );
    expect(taken).toBeGreaterThan(0);
  });

  it('a stored value is "the positive entry for this MAC" exactly when it decodes to one', () => {
    const value = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 2 ** 48 - 1 }), fc.integer({ min: 0, max: 0xffffffff })).map(([m, seen]) => encodeEntry({ kind: 'positive', mac: new MacAddress(m), seen })),
      fc.uint8Array({ minLength: 0, maxLength: 12 }),
    );
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 2 ** 48 - 1 }), fc.boolean(), (v, m, same) => {
        const e = decodeEntry(v);
        const mac = same && e?.kind === 'positive' ? e.mac : new MacAddress(m);
        expect(isPositiveFor(v, mac)).toBe(e?.kind === 'positive' && e.mac.equals(mac));
      }),
      { numRuns: fcRuns(20000) },
    );
  });

  it('never throws on any frame', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        const l = lessonOf(b);
        expect(typeof l.ok).toBe('boolean');
      }),
      { numRuns: fcRuns(20000) },
    );
  });
});

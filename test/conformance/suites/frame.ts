/**
 * FramePort conformance: two ports on the two ends of one Ethernet link. Frames use the IEEE
 * local-experimental EtherType 0x88b5 and are filtered on it, so whatever else the hosts send
 * (router solicitations, MLD) does not disturb the counts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FramePort } from '../../../src/core/ports.js';
import * as ethernet from '../../../src/core/wire/ethernet.js';
import { MacAddress } from '../../../src/core/wire/mac-address.js';
import { SECOND } from '../../../src/core/time.js';
import { collect, type Fixture } from './fixture.js';

export interface FrameFixture extends Fixture {
  a: FramePort;
  b: FramePort;
}

const TEST_TYPE = 0x88b5;

function frame(dst: MacAddress, src: MacAddress, tag: number, size = 60): Uint8Array {
  const payload = new Uint8Array(size - ethernet.HEADER_LENGTH);
  new DataView(payload.buffer).setUint32(0, tag);
  for (let i = 4; i < payload.length; i++) payload[i] = (i * 7 + tag) & 0xff;
  return ethernet.encode({ dst, src, etherType: TEST_TYPE, payload });
}

const ours = (f: Uint8Array): boolean => f.length >= 14 && ((f[12] << 8) | f[13]) === TEST_TYPE;
const tagOf = (f: Uint8Array): number => new DataView(f.buffer, f.byteOffset + 14).getUint32(0);

export function frameSuite(factory: () => Promise<FrameFixture>): void {
  describe('FramePort', () => {
    let f: FrameFixture;
    beforeEach(async () => {
      f = await factory();
    });
    afterEach(async () => {
      await f.close();
    });

    it('names its interface and has a unicast hardware address', () => {
      for (const p of [f.a, f.b]) {
        expect(p.ifindex).toBeGreaterThan(0);
        expect(p.ifname.length).toBeGreaterThan(0);
        expect(p.mac.isZero || p.mac.isMulticast).toBe(false);
      }
      expect(f.a.mac.equals(f.b.mac)).toBe(false);
    });

    it('delivers a unicast frame to the peer byte for byte', async () => {
      const got = collect(f.b.onFrame.bind(f.b), ours);
      const sent = frame(f.b.mac, f.a.mac, 1);
      f.a.send(sent);
      expect(await f.until(() => got.items.length > 0, SECOND)).toBe(true);
      expect(got.items[0]).toEqual(sent);
    });

    it('delivers a full-size frame (1500-byte payload) whole', async () => {
      const got = collect(f.b.onFrame.bind(f.b), ours);
      const sent = frame(f.b.mac, f.a.mac, 2, 1514);
      f.a.send(sent);
      expect(await f.until(() => got.items.length > 0, SECOND)).toBe(true);
      expect(got.items[0]).toEqual(sent);
    });

    it('delivers broadcast frames', async () => {
      const got = collect(f.b.onFrame.bind(f.b), ours);
      f.a.send(frame(MacAddress.BROADCAST, f.a.mac, 3));
      expect(await f.until(() => got.items.length > 0, SECOND)).toBe(true);
      expect(tagOf(got.items[0])).toBe(3);
    });

    it('keeps the order of a burst', async () => {
      const got = collect(f.b.onFrame.bind(f.b), ours);
      for (let i = 0; i < 20; i++) f.a.send(frame(f.b.mac, f.a.mac, 100 + i));
      expect(await f.until(() => got.items.length >= 20, SECOND)).toBe(true);
      expect(got.items.map(tagOf)).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
    });

    it('does not hand a port its own frames, nor frames for another station', async () => {
      const own = collect(f.a.onFrame.bind(f.a), ours);
      const peer = collect(f.b.onFrame.bind(f.b), ours);
      f.a.send(frame(MacAddress.BROADCAST, f.a.mac, 4));
      f.a.send(frame(MacAddress.parse('02:00:5e:00:53:99'), f.a.mac, 5)); // nobody's address
      f.a.send(frame(f.b.mac, f.a.mac, 6)); // a marker after them
      expect(await f.until(() => peer.items.some((x) => tagOf(x) === 6), SECOND)).toBe(true);
      await f.pass(SECOND / 10);
      expect(own.items).toEqual([]);
      expect(peer.items.map(tagOf)).toEqual([4, 6]);
    });

    it('stops delivering to a handler once it unsubscribes, and to none after close', async () => {
      const kept = collect(f.b.onFrame.bind(f.b), ours);
      const dropped = collect(f.b.onFrame.bind(f.b), ours);
      dropped.stop();
      f.a.send(frame(f.b.mac, f.a.mac, 7));
      expect(await f.until(() => kept.items.length === 1, SECOND)).toBe(true);
      expect(dropped.items).toEqual([]);
      f.b.close();
      f.a.send(frame(f.b.mac, f.a.mac, 8));
      await f.pass(SECOND / 5);
      expect(kept.items.map(tagOf)).toEqual([7]);
      expect(() => f.b.send(frame(f.a.mac, f.b.mac, 9))).not.toThrow();
    });

    it('drops, never throws, on a frame the link cannot carry', async () => {
      expect(() => f.a.send(new Uint8Array(70_000))).not.toThrow();
      expect(() => f.a.send(new Uint8Array(3))).not.toThrow();
      const got = collect(f.b.onFrame.bind(f.b), ours);
      f.a.send(frame(f.b.mac, f.a.mac, 10));
      expect(await f.until(() => got.items.length > 0, SECOND)).toBe(true);
    });
  });
}

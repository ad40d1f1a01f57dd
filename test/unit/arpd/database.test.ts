import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../helpers/fake-ports.js';
import { ArpDatabase } from '../../../src/core/arpd/database.js';
import { parseLoad } from '../../../src/core/arpd/load.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';
import { MacAddress } from '../../../src/core/wire/mac-address.js';

/** A store whose entry count costs a pass over everything, as a store with unsynced writes does. */
class CountingStore extends MemoryStore {
  sizeReads = 0;
  override get size(): number {
    this.sizeReads++;
    return super.size;
  }
}

describe('arpd database', () => {
  it('learning many new senders does not ask the store for its size per sender (it was quadratic under a flood)', () => {
    const store = new CountingStore();
    const db = new ArpDatabase(store, { maxEntries: 100_000, expireAfter: 0 });
    for (let i = 1; i <= 5000; i++) db.putPositive(2, new Ipv4Address(0xc6120000 + i), new MacAddress(0x020000000000 + i), 100);
    expect(db.size).toBe(5000);
    expect(store.sizeReads).toBeLessThanOrEqual(1);
  });

  it('keeps its count equal to the store through puts, deletes, negatives, expiry and eviction', () => {
    const store = new MemoryStore();
    const db = new ArpDatabase(store, { maxEntries: 64, expireAfter: 100 });
    const ip = (i: number) => new Ipv4Address(0xc0000200 + i);
    for (let i = 0; i < 200; i++) {
      const now = 1000 + i;
      switch (i % 5) {
        case 0:
        case 1:
          db.putPositive(2, ip(i % 90), new MacAddress(0x020000000000 + i), now);
          break;
        case 2:
          db.putNegative(3, ip(i % 70), 0, now);
          break;
        case 3:
          db.delete(2, ip((i * 7) % 90));
          break;
        case 4:
          db.expire(now + (i % 3) * 60);
          break;
      }
      expect(db.size).toBe(store.size);
      expect(db.size).toBeLessThanOrEqual(64);
    }
  });

  it("reports a malformed MAC in a loaded file with the original's words, naming the bad part", () => {
    const r = parseLoad('2 192.0.2.1 02:00:00:00:00:01\n2 192.0.2.2 02:zz:00:00:00:01\n', 'in.txt');
    expect(r.rows).toHaveLength(1);
    expect(r.error).toEqual({ message: '"zz" is invalid lladdr. (line 2)', line: 2 });
    // Six bytes are needed; the original stopped silently on fewer, linklab says why.
    expect(parseLoad('2 192.0.2.1 02:00\n', '-').error?.message).toBe('Wrong format of input file "-" (line 1: "02:00" is not a MAC address)');
  });
});

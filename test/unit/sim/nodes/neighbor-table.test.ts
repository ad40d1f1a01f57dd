/**
 * The neighbour state machine on its own, with a manual clock: Linux's states, probe order and
 * timing (net/core/neighbour.c with arp_solicit's ucast -> app -> mcast order).
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../helpers/manual-clock.js';
import { NeighborTable, type NeighborHooks, type NudParams, type NudState } from '../../../../src/adapters/sim/nodes/kernel/neighbor-table.js';
import { Prng } from '../../../../src/adapters/sim/prng.js';
import { MacAddress } from '../../../../src/core/wire/mac-address.js';
import { SECOND } from '../../../../src/core/time.js';

const MAC = MacAddress.parse('02:00:00:00:00:02');
const OTHER = MacAddress.parse('02:00:00:00:00:03');

interface Log {
  t: number;
  what: 'solicit' | 'app' | 'state' | 'sent' | 'unreachable';
  detail: string;
}

function table(params: Partial<NudParams> = {}, seed = 1) {
  const clock = new ManualClock(0);
  const log: Log[] = [];
  const p: NudParams = {
    ucastProbes: 3,
    mcastProbes: 3,
    appProbes: 0,
    mcastReprobes: 0,
    retransTime: SECOND,
    baseReachableTime: 30 * SECOND,
    delayProbeTime: 5 * SECOND,
    unresQlen: 101,
    ...params,
  };
  const hooks: NeighborHooks<number> = {
    key: (a) => a,
    params: () => p,
    solicit: (_ip, mac) => log.push({ t: clock.now(), what: 'solicit', detail: mac ? 'unicast' : 'broadcast' }),
    appRequest: (_ip, state) => log.push({ t: clock.now(), what: 'app', detail: state }),
    changed: (e, removed) => log.push({ t: clock.now(), what: 'state', detail: removed ? 'deleted' : e.state }),
    unreachable: (_ip, n) => log.push({ t: clock.now(), what: 'unreachable', detail: String(n) }),
  };
  const t = new NeighborTable<number>(clock, new Prng(seed, 'test'), hooks);
  const send = (tag: string) => (mac: MacAddress) => log.push({ t: clock.now(), what: 'sent', detail: `${tag}->${mac}` });
  return { t, clock, log, p, send };
}

const states = (log: Log[]): Array<[number, string]> => log.filter((l) => l.what === 'state').map((l) => [l.t / SECOND, l.detail]);
const probes = (log: Log[]): Array<[number, string]> => log.filter((l) => l.what === 'solicit' || l.what === 'app').map((l) => [l.t / SECOND, l.what === 'app' ? `app:${l.detail}` : l.detail]);

describe('neighbour table: resolution', () => {
  it('INCOMPLETE sends mcast_solicit broadcasts one retrans_time apart, then FAILED drops the queue', () => {
    const { t, clock, log, send } = table();
    t.output(1, send('a'));
    t.output(1, send('b'));
    clock.runUntil(10 * SECOND);
    expect(probes(log)).toEqual([
      [0, 'broadcast'],
      [1, 'broadcast'],
      [2, 'broadcast'],
    ]);
    expect(states(log)).toEqual([
      [0, 'incomplete'],
      [3, 'failed'],
    ]);
    expect(log.filter((l) => l.what === 'unreachable')).toEqual([{ t: 3 * SECOND, what: 'unreachable', detail: '2' }]);
    expect(log.some((l) => l.what === 'sent')).toBe(false);
  });

  it('with app_solicit the userspace helper is asked first, then the broadcasts follow (Linux probe order)', () => {
    const { t, clock, log, send } = table({ appProbes: 2, mcastProbes: 1 });
    t.output(7, send('a'));
    clock.runUntil(10 * SECOND);
    expect(probes(log)).toEqual([
      [0, 'app:incomplete'],
      [1, 'app:incomplete'],
      [2, 'broadcast'],
    ]);
    expect(states(log)).toEqual([
      [0, 'incomplete'],
      [3, 'failed'],
    ]);
  });

  it("arpd -k's setting (app_solicit 3, mcast_solicit 0) asks userspace only", () => {
    const { t, clock, log, send } = table({ appProbes: 3, mcastProbes: 0 });
    t.output(7, send('a'));
    clock.runUntil(10 * SECOND);
    expect(probes(log).map((p) => p[1])).toEqual(['app:incomplete', 'app:incomplete', 'app:incomplete']);
  });

  it('no mcast or app probes at all: the entry fails at once', () => {
    const { t, log, send } = table({ appProbes: 0, mcastProbes: 0 });
    expect(t.output(7, send('a'))).toBe(false);
    expect(states(log)).toEqual([[0, 'failed']]);
  });

  it('a helper answer (admin STALE) sends the queued packets and the send moves the entry to DELAY', () => {
    const { t, clock, log, send } = table({ appProbes: 3, mcastProbes: 0 });
    t.output(7, send('a'));
    clock.runUntil(SECOND / 2);
    t.update(7, MAC, 'stale', { admin: true, override: true });
    expect(log.filter((l) => l.what === 'sent').map((l) => l.detail)).toEqual([`a->${MAC}`]);
    expect(states(log).map((s) => s[1])).toEqual(['incomplete', 'stale', 'delay']);
    expect(t.lookup(7)!.state).toBe('delay');
  });
});

describe('neighbour table: the Linux walk INCOMPLETE -> REACHABLE -> STALE -> DELAY -> PROBE -> FAILED', () => {
  it('follows Linux timing: reachable time in [base/2, 3base/2), DELAY 5 s, 3 unicast probes 1 s apart', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { t, clock, log, send } = table({}, seed);
      t.output(9, send('first'));
      clock.runUntil(100_000);
      t.update(9, MAC, 'reachable', { override: true }); // the ARP reply
      const reachableAt = clock.now();
      // Traffic keeps flowing every second: connected output does not refresh `used` (Linux).
      let next = SECOND;
      const pump = (until: number): void => {
        while (next <= until) {
          clock.runUntil(next);
          t.output(9, send('data'));
          next += SECOND;
        }
        clock.runUntil(until);
      };
      pump(120 * SECOND);
      // After FAILED the next packet starts a new resolution (FAILED -> INCOMPLETE), as on Linux.
      const st = states(log).slice(0, 6);
      const names = st.map((x) => x[1]);
      expect(names).toEqual(['incomplete', 'reachable', 'stale', 'delay', 'probe', 'failed']);
      expect(states(log)[6]?.[1]).toBe('incomplete');
      const at = Object.fromEntries(st.map(([time, name]) => [name, time * SECOND]));
      const reachableFor = at.stale - reachableAt;
      expect(reachableFor).toBeGreaterThanOrEqual(15 * SECOND);
      expect(reachableFor).toBeLessThan(45 * SECOND + SECOND); // the timer fires at the next check
      expect(at.delay - at.stale).toBeLessThanOrEqual(SECOND); // the next packet after STALE
      expect(at.probe - at.delay).toBe(5 * SECOND);
      expect(at.failed - at.probe).toBe(3 * SECOND);
      const inProbe = probes(log).filter(([time]) => time * SECOND >= at.probe && time * SECOND < at.failed);
      expect(inProbe).toEqual([
        [at.probe / SECOND, 'unicast'],
        [at.probe / SECOND + 1, 'unicast'],
        [at.probe / SECOND + 2, 'unicast'],
      ]);
    }
  });

  it('a reply during PROBE makes the entry REACHABLE again; confirmation during DELAY skips PROBE', () => {
    const { t, clock, log, send } = table();
    t.update(9, MAC, 'stale', { create: true, override: true });
    t.output(9, send('x'));
    expect(t.lookup(9)!.state).toBe('delay');
    clock.runUntil(2 * SECOND);
    t.confirm(9);
    clock.runUntil(6 * SECOND);
    expect(t.lookup(9)!.state).toBe('reachable');
    expect(probes(log)).toEqual([]);
    // Now let it go stale, then probe, and answer the first probe.
    clock.runUntil(60 * SECOND);
    expect(t.lookup(9)!.state).toBe('stale');
    t.output(9, send('y'));
    clock.runUntil(clock.now() + 5 * SECOND);
    expect(t.lookup(9)!.state).toBe('probe');
    t.update(9, MAC, 'reachable', { override: true });
    expect(t.lookup(9)!.state).toBe('reachable');
    clock.runUntil(clock.now() + 10 * SECOND);
    expect(probes(log)).toHaveLength(1);
  });

  it('PROBE with app_solicit: unicast probes first, then the helper is asked with state PROBE', () => {
    const { t, clock, log, send } = table({ appProbes: 1 });
    t.update(9, MAC, 'stale', { create: true, override: true });
    t.output(9, send('x'));
    clock.runUntil(30 * SECOND);
    expect(probes(log)).toEqual([
      [5, 'unicast'],
      [6, 'unicast'],
      [7, 'unicast'],
      [8, 'app:probe'],
    ]);
    expect(t.lookup(9)!.state).toBe('failed');
  });
});

describe('neighbour table: update rules (neigh_update)', () => {
  it('the same address with STALE keeps a REACHABLE entry; a different one needs override', () => {
    const { t } = table();
    t.update(9, MAC, 'reachable', { create: true, override: true });
    t.update(9, MAC, 'stale', {});
    expect(t.lookup(9)!.state).toBe('reachable');
    t.update(9, OTHER, 'stale', {});
    expect(t.lookup(9)!.mac!.equals(MAC)).toBe(true);
    t.update(9, OTHER, 'stale', { weakOverride: true });
    expect(t.lookup(9)!.state).toBe('stale');
    expect(t.lookup(9)!.mac!.equals(MAC)).toBe(true);
    t.update(9, OTHER, 'stale', { override: true });
    expect(t.lookup(9)!.mac!.equals(OTHER)).toBe(true);
  });

  it('PERMANENT entries change only by an administrator, and survive a carrier-down flush', () => {
    const { t } = table();
    t.update(9, MAC, 'permanent', { create: true, admin: true, override: true });
    t.update(9, OTHER, 'reachable', { override: true });
    expect(t.lookup(9)!.mac!.equals(MAC)).toBe(true);
    t.update(10, OTHER, 'stale', { create: true, override: true });
    t.flush();
    expect(t.list().map((e) => [e.ip, e.state as NudState])).toEqual([[9, 'permanent']]);
  });

  it('a NUD-less update without an address is ignored on an entry that never had one', () => {
    const { t, send } = table();
    t.output(3, send('a'));
    t.update(3, undefined, 'reachable', {});
    expect(t.lookup(3)!.state).toBe('incomplete');
  });
});

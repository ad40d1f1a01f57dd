import { describe, expect, it } from 'vitest';
import { SimDns, DNS_DELAY } from '../../../src/adapters/sim/dns.js';
import { NodeClock, Scheduler } from '../../../src/adapters/sim/scheduler.js';
import { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';

describe('SimDns', () => {
  it('answers later, by callback, with the names of the topology; a change shows in later answers', () => {
    const s = new Scheduler();
    const clock = new NodeClock(s);
    const dns = new SimDns([{ name: 'isatap.example', addresses: [Ipv4Address.parse('192.0.2.1')] }]);
    const r = dns.resolver(clock);
    const answers: Array<{ t: number; a: string[]; err?: string }> = [];
    r.resolve4('ISATAP.example.', (a, err) => answers.push({ t: s.now(), a: a.map(String), err }));
    expect(answers).toEqual([]);
    s.runUntil(10_000);
    dns.set('isatap.example', [Ipv4Address.parse('192.0.2.2'), Ipv4Address.parse('192.0.2.3')]);
    r.resolve4('isatap.example', (a) => answers.push({ t: s.now(), a: a.map(String) }));
    r.resolve4('nowhere.example', (a, err) => answers.push({ t: s.now(), a: a.map(String), err }));
    s.runUntil(20_000);
    expect(answers).toEqual([
      { t: DNS_DELAY, a: ['192.0.2.1'], err: undefined },
      { t: 10_000 + DNS_DELAY, a: ['192.0.2.2', '192.0.2.3'] },
      { t: 10_000 + DNS_DELAY, a: [], err: 'nowhere.example: no such name' },
    ]);
  });

  it('never answers a node that crashed while waiting', () => {
    const s = new Scheduler();
    const clock = new NodeClock(s);
    const dns = new SimDns([{ name: 'isatap', addresses: [Ipv4Address.parse('192.0.2.1')] }]);
    let answered = false;
    dns.resolver(clock).resolve4('isatap', () => (answered = true));
    clock.cancelAll();
    s.runUntil(10_000);
    expect(answered).toBe(false);
  });
});

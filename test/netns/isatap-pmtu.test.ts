/**
 * Path MTU discovery through the userspace ISATAP data plane (what the kernel's sit driver does):
 * two `linklab tunnel isatap` endpoints, A (192.0.2.2) and B (198.51.100.1), with an IPv4 router
 * between them whose link towards B has MTU 1350. The tunnels' MTU is 1480, so full-size TCP
 * segments leave A in 1500-byte datagrams with DF set, and the router answers "fragmentation
 * needed, MTU 1350". A's data plane must turn that into an ICMPv6 Packet Too Big (MTU 1330) for
 * the sender, or TCP from A to B stalls in a black hole. Then: a 2 MB TCP transfer completes, and
 * ping with DF reports the tunnel's path MTU. With a 1290-byte hop the tunnel reports 1280 and lets
 * IPv4 fragment what fits in that (RFC 4213 3.2).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, cleanupAll } from './harness.js';

const runs = tierAvailable('test/netns/isatap-pmtu.test.ts', { root: true, commands: ['ip', 'ping'] });
const CLI = join(import.meta.dirname, '..', '..', 'bin', 'run.js');
const A6 = '2001:db8:5::5efe:c000:202';
const B6 = '2001:db8:5::5efe:c633:6401';

// Sends 2 MB to B6 port 5001 and prints the bytes B counted back; exits 1 after 20 s.
const SENDER = `const s = require('net').connect({ host: '${B6}', port: 5001 }, () => { s.end(Buffer.alloc(2 << 20, 7)); });
let got = ''; s.on('data', (d) => { got += d; }); s.on('end', () => { console.log(got.trim()); process.exit(0); });
setTimeout(() => { console.log('stalled'); process.exit(1); }, 20000);`;
const RECEIVER = `require('net').createServer((c) => { let n = 0; c.on('data', (d) => { n += d.length; }); c.on('end', () => c.end(String(n))); }).listen(5001, '${B6}', () => console.log('listening'));`;

describe.skipIf(!runs)('path MTU discovery through the userspace ISATAP data plane', () => {
  afterAll(cleanupAll);

  // 1350: the tunnel carries 1330 towards B. 1290: less than IPv6's 1280 would be left, so the
  // tunnel reports 1280 and sends packets of up to 1280 without DF, for IPv4 to fragment.
  it.each([
    { hop: 1350, mtu: 1330 },
    { hop: 1290, mtu: 1280 },
  ])('turns "fragmentation needed" into Packet Too Big: TCP across a $hop-byte IPv4 hop completes', async ({ hop, mtu }) => {
    const [a, m] = await Netns.linked('llp', { ifname: 'vethA', cidr: '192.0.2.2/24' }, { ifname: 'vethMA', cidr: '192.0.2.1/24' });
    const b = Netns.create('llp');
    m.veth('vethMB', 'vethB', b);
    m.addr('vethMB', '198.51.100.254/24');
    b.addr('vethB', '198.51.100.1/24');
    m.ip('link', 'set', 'vethMB', 'mtu', String(hop));
    b.ip('link', 'set', 'vethB', 'mtu', String(hop));
    await m.operUp('vethMB');
    await b.operUp('vethB');
    m.sysctl('net.ipv4.ip_forward', 1);
    a.ip('route', 'add', 'default', 'via', '192.0.2.1');
    b.ip('route', 'add', 'default', 'via', '198.51.100.254');

    const ta = a.spawn(['node', CLI, 'tunnel', 'isatap', 'is0', '--local', '192.0.2.2', '--json']);
    const tb = b.spawn(['node', CLI, 'tunnel', 'isatap', 'is0', '--local', '198.51.100.1', '--json']);
    await ta.waitFor(/is0 up/, 15_000);
    await tb.waitFor(/is0 up/, 15_000);
    a.addr('is0', `${A6}/64`, 'nodad');
    b.addr('is0', `${B6}/64`, 'nodad');

    // Small packets pass as they are.
    expect(a.exec(['ping', '-6', '-c', '2', '-i', '0.2', '-W', '2', B6])).toMatch(/2 received/);

    const receiver = b.spawn(['node', '-e', RECEIVER]);
    await receiver.waitFor(/listening/);
    const sender = await a.spawn(['node', '-e', SENDER]).exited;
    expect(sender.stdout.trim(), `${sender.stdout}${sender.stderr}\nA: ${ta.stderr}`).toBe(String(2 << 20));

    // The kernel on A took the Packet Too Big: its route to B carries the tunnel's path MTU.
    expect(a.ip('-6', 'route', 'get', B6)).toMatch(new RegExp(` mtu ${mtu} `));
    // ping with DF: larger than the path is refused locally with the MTU, smaller gets through.
    const big = await a.spawn(['ping', '-6', '-c', '1', '-M', 'do', '-s', '1400', '-W', '2', B6]).exited;
    expect(big.stdout + big.stderr, big.stdout + big.stderr).toMatch(new RegExp(`mtu[ =:]+${mtu}`, 'i'));
    // A full-size echo: B's first reply may be the one that teaches B's tunnel the path.
    const fits = await a.spawn(['ping', '-6', '-c', '3', '-i', '0.3', '-M', 'do', '-s', String(mtu - 48), '-W', '2', B6]).exited;
    expect(fits.stdout).toMatch(/3 packets transmitted, [23] received/);

    ta.kill('SIGTERM');
    const end = await ta.exited;
    const stats = JSON.parse(end.stderr.trim().split('\n').filter((l) => l.includes('"counters"') || l.includes('tooBig')).at(-1) ?? '{}') as Record<string, unknown>;
    expect(JSON.stringify(stats)).toMatch(/"tooBig":[1-9]/);
    tb.kill('SIGTERM');
    await tb.exited;
  }, 90_000);
});

/**
 * Captures written by other programs: dumpcap (pcapng) and tcpdump (classic pcap, nanosecond
 * magic) record ARP and Neighbor Discovery between two network namespaces this test creates, and
 * linklab reads the files and decodes what the kernel and the tools sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tierAvailable } from '../../helpers/tier.js';
import * as pcapng from '../../../src/core/wire/pcapng.js';
import * as pcap from '../../../src/core/wire/pcap.js';
import * as packet from '../../../src/core/wire/packet.js';

const runs = tierAvailable('test/unit/wire/capture-foreign.test.ts', { root: true, commands: ['ip', 'dumpcap', 'tcpdump', 'arping', 'ndisc6'] });

const tag = `${process.pid.toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const NS_A = `llwire-a-${tag}`;
const NS_B = `llwire-b-${tag}`;
const MAC_A = '02:00:00:00:0a:01';
const MAC_B = '02:00:00:00:0b:01';
const LL_A = 'fe80::ff:fe00:a01';
const LL_B = 'fe80::ff:fe00:b01';

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Polls `ready` (every 100 ms, for at most 15 s): set-up steps the kernel finishes on its own time. */
function waitFor(ready: () => boolean): void {
  for (let i = 0; i < 150; i++) {
    if (ready()) return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  throw new Error('namespaces not ready after 15 s');
}

/** Starts a capture tool in namespace A and resolves once it says it is listening. */
function startCapture(args: string[], ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', NS_A, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (ready.test(err)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`${args[0]} exited (${code}) before it was ready: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe.skipIf(!runs)('captures from dumpcap and tcpdump', () => {
  let dir = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'llwire-'));
    sh('ip', ['netns', 'add', NS_A]);
    sh('ip', ['netns', 'add', NS_B]);
    // Only these namespaces' own settings: no DAD, so link-local addresses are usable at once.
    for (const ns of [NS_A, NS_B]) {
      for (const scope of ['all', 'default']) sh('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${scope}.accept_dad=0`]);
    }
    sh('ip', ['-n', NS_A, 'link', 'add', 'va', 'address', MAC_A, 'type', 'veth', 'peer', 'name', 'vb', 'address', MAC_B, 'netns', NS_B]);
    sh('ip', ['-n', NS_A, 'addr', 'add', '192.0.2.1/24', 'dev', 'va']);
    sh('ip', ['-n', NS_B, 'addr', 'add', '192.0.2.2/24', 'dev', 'vb']);
    sh('ip', ['-n', NS_A, 'link', 'set', 'va', 'up']);
    sh('ip', ['-n', NS_B, 'link', 'set', 'vb', 'up']);
    // The kernel adds link-local addresses only once it has seen the carrier (about a second).
    waitFor(() => sh('ip', ['-n', NS_A, '-6', 'addr', 'show', 'dev', 'va']).includes(LL_A) && sh('ip', ['-n', NS_B, '-6', 'addr', 'show', 'dev', 'vb']).includes(LL_B));
  });

  afterAll(() => {
    for (const ns of [NS_A, NS_B]) {
      try {
        sh('ip', ['netns', 'del', ns]);
      } catch {
        // already gone
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('dumpcap pcapng: ARP and a solicited NS/NA from the tools and kernels, read and decoded', async () => {
    const file = join(dir, 'nd.pcapng');
    // dumpcap may say "Capturing on" a little before it really is, so the traffic repeats (NS, NA,
    // ARP request, reply per round) until dumpcap has eight packets and stops by itself.
    const filter = 'arp or (icmp6 and (ip6[40] == 135 or ip6[40] == 136) and not src host ::)';
    const dumpcap = await startCapture(['dumpcap', '-q', '-i', 'va', '-f', filter, '-c', '8', '-w', file], /Capturing on/);
    // The loop ends itself once the stop file exists (killing it would orphan its children).
    const stop = join(dir, 'stop');
    const rounds = `for i in $(seq 50); do [ -e ${stop} ] && break; ndisc6 -q -r 1 -w 300 ${LL_B} va; arping -q -c 1 -w 1 -I va 192.0.2.2; done`;
    const traffic = spawn('ip', ['netns', 'exec', NS_A, 'sh', '-c', rounds], { stdio: 'ignore' });
    try {
      expect(await exited(dumpcap)).toBe(0);
    } finally {
      dumpcap.kill();
      writeFileSync(stop, '');
      await exited(traffic);
    }

    const cap = pcapng.read(new Uint8Array(readFileSync(file)));
    expect(cap.interfaces).toHaveLength(1);
    expect(cap.interfaces[0]).toMatchObject({ linkType: 1, name: 'va' });
    expect(cap.packets).toHaveLength(8);
    const now = Date.now() * 1000;
    for (const p of cap.packets) expect(Math.abs(p.timestamp - now)).toBeLessThan(3600e6);
    for (let i = 1; i < 8; i++) expect(cap.packets[i].timestamp).toBeGreaterThanOrEqual(cap.packets[i - 1].timestamp);

    const decoded = cap.packets.map((p) => packet.decode(p.data));
    const arpOf = (p: packet.Packet): { op: number; senderMac: string; senderIp: string; targetIp: string } | undefined =>
      p.arp?.form === 'ethernet-ipv4' ? { op: p.arp.op, senderMac: String(p.arp.senderMac), senderIp: String(p.arp.senderIp), targetIp: String(p.arp.targetIp) } : undefined;
    const request = decoded.find((p) => arpOf(p)?.op === 1);
    const reply = decoded.find((p) => arpOf(p)?.op === 2);
    expect(request?.ethernet?.dst.isBroadcast).toBe(true);
    expect(arpOf(request!)).toEqual({ op: 1, senderMac: MAC_A, senderIp: '192.0.2.1', targetIp: '192.0.2.2' });
    expect(arpOf(reply!)).toEqual({ op: 2, senderMac: MAC_B, senderIp: '192.0.2.2', targetIp: '192.0.2.1' });

    const ns = decoded.find((p) => p.icmpv6?.kind === 'neighbor-solicit' && String(p.ipv6?.src) === LL_A);
    const na = decoded.find((p) => p.icmpv6?.kind === 'neighbor-advert');
    expect(ns?.ipv6?.hopLimit).toBe(255);
    expect(String((ns?.icmpv6 as { target: unknown }).target)).toBe(LL_B);
    expect(ns?.icmpv6ChecksumOk).toBe(true);
    expect(na?.icmpv6).toMatchObject({ kind: 'neighbor-advert', solicited: true });
    expect(String((na?.icmpv6 as { target: unknown }).target)).toBe(LL_B);
    const tlla = (na?.icmpv6 as { options: { kind: string; address?: unknown }[] }).options.find((o) => o.kind === 'target-lla');
    expect(String(tlla?.address)).toBe(MAC_B);
    expect(na?.icmpv6ChecksumOk).toBe(true);
  });

  it('tcpdump pcap with the nanosecond magic', async () => {
    const file = join(dir, 'arp.pcap');
    const tcpdump = await startCapture(['tcpdump', '-i', 'va', '-c', '2', '--time-stamp-precision', 'nano', '-w', file, 'arp'], /listening on/);
    try {
      sh('ip', ['netns', 'exec', NS_A, 'arping', '-c', '1', '-w', '5', '-I', 'va', '192.0.2.2']);
      expect(await exited(tcpdump)).toBe(0);
    } finally {
      tcpdump.kill();
    }
    const bytes = new Uint8Array(readFileSync(file));
    expect(pcap.sniff(bytes)).toBe('pcap');
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true)).toBe(0xa1b23c4d);
    const cap = pcap.readCapture(bytes);
    expect(cap.packets).toHaveLength(2);
    expect(cap.packets[1].timestamp).toBeGreaterThanOrEqual(cap.packets[0].timestamp);
    expect(packet.decode(cap.packets[0].data).arp).toMatchObject({ op: 1 });
    expect(packet.decode(cap.packets[1].data).arp).toMatchObject({ op: 2 });
  });
});

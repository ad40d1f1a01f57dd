/**
 * `linklab packet decode|encode` as a user runs it: the built CLI (bin/run.js), its stdout,
 * stderr and exit code. Bad input gives exactly one stderr line naming the field and byte offset.
 */
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tierAvailable } from '../../helpers/tier.js';
import { PcapngWriter } from '../../../src/core/wire/pcapng.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BUILT = join(ROOT, 'dist', 'commands', 'index.js');

/** The newest modification time of any .ts file under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function linklab(args: string[], input?: string | Uint8Array): Run {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A run that failed the way bad input must: exit 1, one stderr line and nothing else there. */
function expectOneErrorLine(r: Run, line: string | RegExp): void {
  expect(r.code).toBe(1);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
}

// An RS from fe80::5054:ff:fe12:3456 to ff02::2 (checksum by a separate RFC 1071 script).
const RS_ICMP = '850071b5000000000101525400123456';
const RS_IPV6 = '60000000001' + '03aff' + 'fe80000000000000505400fffe123456' + 'ff020000000000000000000000000002' + RS_ICMP;
const RS_FRAME = '333300000002' + '525400123456' + '86dd' + RS_IPV6;
const ARP_FRAME = 'ffffffffffff525400123456080600010800060400015254001234' + '56c0000201000000000000c0000202';

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llwire-cli-'));
  // Build once when dist is missing or older than any source file.
  if (!existsSync(BUILT) || statSync(BUILT).mtimeMs < newestSource(join(ROOT, 'src'))) {
    try {
      execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe', timeout: 300_000 });
    } catch (err) {
      // tsc still writes dist when other parts of the tree fail to typecheck; the packet commands
      // are what these tests need, so go on if they were written, and say why loudly.
      if (!existsSync(BUILT)) throw err;
      process.stderr.write(`\n!!!!! npm run build reported errors (continuing with what it emitted):\n${String((err as { stdout?: Buffer }).stdout ?? err)}\n`);
    }
  }
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('linklab packet decode', () => {
  it('prints one line per layer and per option', () => {
    const r = linklab(['packet', 'decode', RS_FRAME]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'ethernet 52:54:00:12:34:56 > 33:33:00:00:00:02 type 0x86dd',
        'ipv6 fe80::5054:ff:fe12:3456 > ff02::2 hop limit 255 payload 16 next header 58',
        'icmpv6 router solicitation code 0 checksum 0x71b5 (ok)',
        '  source-lla 52:54:00:12:34:56',
        '',
      ].join('\n'),
    );
  });

  it('--link chooses the first layer; hex may be split and spaced', () => {
    const r = linklab(['packet', 'decode', '--link', 'icmpv6', '8500 71b5', '00000000', '01:01:52:54:00:12:34:56']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('icmpv6 router solicitation code 0 checksum 0x71b5\n  source-lla 52:54:00:12:34:56\n');
    const v6 = linklab(['packet', 'decode', '--link', 'ipv6', RS_IPV6]);
    expect(v6.stdout.split('\n')[0]).toBe('ipv6 fe80::5054:ff:fe12:3456 > ff02::2 hop limit 255 payload 16 next header 58');
  });

  it('--json prints the typed value', () => {
    const r = linklab(['packet', 'decode', '--json', ARP_FRAME]);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;
    expect(v.ethernet).toEqual({ dst: 'ff:ff:ff:ff:ff:ff', src: '52:54:00:12:34:56', etherType: 0x0806 });
    expect(v.arp).toEqual({ form: 'ethernet-ipv4', hardwareType: 1, op: 1, senderMac: '52:54:00:12:34:56', senderIp: '192.0.2.1', targetMac: '00:00:00:00:00:00', targetIp: '192.0.2.2' });
  });

  it('reads hex from stdin, one packet per line, skipping blank lines and comments', () => {
    const r = linklab(['packet', 'decode'], `# an ARP request\n${ARP_FRAME}\n\n${RS_FRAME}  # and an RS\n`);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('stdin line 2, 42 bytes');
    expect(lines[1]).toBe('ethernet 52:54:00:12:34:56 > ff:ff:ff:ff:ff:ff type 0x0806');
    expect(lines[2]).toBe('arp request sender 192.0.2.1 52:54:00:12:34:56 target 192.0.2.2 00:00:00:00:00:00');
    expect(lines[3]).toBe('stdin line 4, 70 bytes');
  });

  it('--read FILE reads pcapng and pcap; a capture piped into stdin is recognised', () => {
    const w = new PcapngWriter();
    w.addInterface(1, 'eth0');
    w.addInterface(229, 'raw6');
    w.packet(0, 1_500_000, Buffer.from(ARP_FRAME, 'hex'));
    w.packet(1, 2_000_000, Buffer.from(RS_IPV6, 'hex'));
    const ng = join(dir, 'two.pcapng');
    writeFileSync(ng, w.bytes());
    const r = linklab(['packet', 'decode', '--read', ng]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`${ng} packet 1 at 1.5s, 42 bytes`);
    expect(lines[1]).toMatch(/^ethernet /);
    expect(lines).toContain(`${ng} packet 2 at 2s, 56 bytes`);
    expect(lines).toContain('icmpv6 router solicitation code 0 checksum 0x71b5 (ok)');

    // Classic pcap, little-endian, microseconds, written out here.
    const frame = Buffer.from(ARP_FRAME, 'hex');
    const header = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');
    const record = Buffer.alloc(16);
    record.writeUInt32LE(7, 0);
    record.writeUInt32LE(250_000, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    const classic = join(dir, 'one.pcap');
    writeFileSync(classic, Buffer.concat([header, record, frame]));
    const p = linklab(['packet', 'decode', '--json', '-r', classic]);
    expect(p.code).toBe(0);
    const v = JSON.parse(p.stdout) as { packet: string; timestamp: number; arp: { senderIp: string } };
    expect(v.packet).toBe(`${classic} packet 1`);
    expect(v.timestamp).toBe(7_250_000);
    expect(v.arp.senderIp).toBe('192.0.2.1');

    const piped = linklab(['packet', 'decode'], readFileSync(ng));
    expect(piped.code).toBe(0);
    expect(piped.stdout.split('\n')[0]).toBe('stdin packet 1 at 1.5s, 42 bytes');
  });
});

describe('linklab packet encode', () => {
  it('JSON -> hex -> decode --json gives the packet back, checksum computed', () => {
    const json = '{"ethernet":{"dst":"33:33:00:00:00:02","src":"52:54:00:12:34:56"},"ipv6":{"src":"fe80::5054:ff:fe12:3456","dst":"ff02::2","hopLimit":255},"icmpv6":{"kind":"router-solicit","options":[{"kind":"source-lla","address":"52:54:00:12:34:56"}]}}';
    const e = linklab(['packet', 'encode', json]);
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    expect(e.stdout).toBe(RS_FRAME + '\n');
    const d = linklab(['packet', 'decode', '--json', e.stdout.trim()]);
    const back = JSON.parse(d.stdout) as { icmpv6: { checksum: number; options: unknown[] }; icmpv6ChecksumOk: boolean };
    expect(back.icmpv6.checksum).toBe(0x71b5);
    expect(back.icmpv6ChecksumOk).toBe(true);
    expect(back.icmpv6.options).toEqual([{ kind: 'source-lla', address: '52:54:00:12:34:56' }]);
    // decode --json output is encode input: the same bytes again.
    expect(linklab(['packet', 'encode'], d.stdout).stdout).toBe(RS_FRAME + '\n');
  });

  it('--pcapng FILE writes a capture the decoder reads', () => {
    const out = join(dir, 'encoded.pcapng');
    const lines = [
      `{"ethernet":{"dst":"ff:ff:ff:ff:ff:ff","src":"52:54:00:12:34:56"},"arp":{"form":"ethernet-ipv4","hardwareType":1,"op":1,"senderMac":"52:54:00:12:34:56","senderIp":"192.0.2.1","targetMac":"00:00:00:00:00:00","targetIp":"192.0.2.2"},"timestamp":5000000}`,
      `{"ipv6":{"src":"fe80::1","dst":"ff02::1","hopLimit":255},"icmpv6":{"kind":"router-advert","curHopLimit":64,"routerLifetime":1800,"options":[{"kind":"prefix-info","prefixLength":64,"onLink":true,"autonomous":true,"validLifetime":86400,"preferredLifetime":14400,"prefix":"2001:db8:dead:beef::"}]}}`,
    ];
    const e = linklab(['packet', 'encode', '--pcapng', out], lines.join('\n'));
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    const d = linklab(['packet', 'decode', '--read', out]);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain(`${out} packet 1 at 5s, 42 bytes`);
    expect(d.stdout).toContain('arp request sender 192.0.2.1 52:54:00:12:34:56 target 192.0.2.2 00:00:00:00:00:00');
    expect(d.stdout).toContain('  prefix-info 2001:db8:dead:beef::/64 flags LA- valid 86400s preferred 14400s');
  });

  it('tshark reads the pcapng the encoder wrote', () => {
    if (!tierAvailable('test/unit/cli/packet.test.ts (tshark check)', { commands: ['tshark'] })) return;
    const out = join(dir, 'for-tshark.pcapng');
    const ra = `{"ipv6":{"src":"fe80::1","dst":"ff02::1","hopLimit":255},"icmpv6":{"kind":"router-advert","curHopLimit":64,"routerLifetime":1800,"options":[{"kind":"rdnss","lifetime":600,"servers":["2001:db8::53"]},{"kind":"dnssl","lifetime":600,"domains":["lab.intra"]}]}}`;
    expect(linklab(['packet', 'encode', '--pcapng', out], ra).code).toBe(0);
    const fields = execFileSync('tshark', ['-n', '-r', out, '-T', 'fields', '-e', 'icmpv6.type', '-e', 'icmpv6.checksum.status', '-e', 'icmpv6.opt.rdnss', '-e', 'icmpv6.opt.dnssl'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(fields.trim().split('\t')).toEqual(['134', '1', '2001:db8::53', 'lab.intra']);
  });
});

describe('bad input: one stderr line naming what and where, exit 1', () => {
  it('a zero-length option: the packet is shown, the error names the option and its byte', () => {
    const r = linklab(['packet', 'decode', '--link', 'icmpv6', '86000000400007080000000000000000 0100525400123456']);
    expectOneErrorLine(r, 'linklab: icmpv6.options[0].length: option length 0 at byte 17');
    expect(r.stdout).toContain('icmpv6 router advertisement code 0');
  });

  it('the same option inside a whole frame: the offset counts from the frame', () => {
    const frame = RS_FRAME.slice(0, -16) + '0100525400123456';
    expectOneErrorLine(linklab(['packet', 'decode', frame]), 'linklab: icmpv6.options[0].length: option length 0 at byte 63');
  });

  it('a malformed option body names the field inside the option', () => {
    const r = linklab(['packet', 'decode', '--link', 'icmpv6', '85000000 00000000 1f01 0000 00000e10']);
    expectOneErrorLine(r, 'linklab: icmpv6.options[0].length: DNSSL length 1 is below the minimum of 2 at byte 9');
  });

  it('a truncated layer', () => {
    expectOneErrorLine(linklab(['packet', 'decode', RS_FRAME.slice(0, 2 * 57)]), 'linklab: ipv6.payloadLength: payload length 16 exceeds the 3 bytes present at byte 18');
    expectOneErrorLine(linklab(['packet', 'decode', ARP_FRAME.slice(0, 2 * 30)]), 'linklab: arp.hlen: addresses need 28 bytes, packet has 16 at byte 18');
  });

  it('not hex', () => {
    expectOneErrorLine(linklab(['packet', 'decode', '85zz']), 'linklab: argument: not hex ("85zz")');
    expectOneErrorLine(linklab(['packet', 'decode'], 'abc\n'), 'linklab: stdin line 1: not hex ("abc")');
  });

  it('one bad packet among good ones: the good ones are shown, the bad one named', () => {
    const r = linklab(['packet', 'decode'], `${ARP_FRAME}\nffff\n`);
    expectOneErrorLine(r, 'linklab: stdin line 2: ethernet.header: Ethernet header needs 14 bytes, 2 present at byte 0');
    expect(r.stdout).toContain('arp request sender 192.0.2.1');
  });

  it('a broken capture file, and a missing one', () => {
    const broken = join(dir, 'broken.pcapng');
    writeFileSync(broken, Buffer.from('0a0d0d0a1c0000004d3c2b1a', 'hex'));
    expectOneErrorLine(linklab(['packet', 'decode', '--read', broken]), `linklab: ${broken}: block[0].length: block of 28 bytes runs past the end of the file at byte 4`);
    expectOneErrorLine(linklab(['packet', 'decode', '--read', join(dir, 'nope.pcap')]), `linklab: ${join(dir, 'nope.pcap')}: no such file`);
  });

  it('bad flags', () => {
    expectOneErrorLine(linklab(['packet', 'decode', '--link', 'token-ring', '00']), 'linklab: Expected --link=token-ring to be one of: ethernet, ipv4, ipv6, icmpv6');
    expectOneErrorLine(linklab(['packet', 'decode', '--frobnicate', '00']), /^linklab: Nonexistent flag: --frobnicate/);
    expectOneErrorLine(linklab(['packet', 'encode', '--pcapng']), /^linklab: Flag --pcapng expects a value/);
  });

  it('encode: bad JSON, a bad field, and no layer', () => {
    expectOneErrorLine(linklab(['packet', 'encode', '{"icmpv6":']), /^linklab: invalid JSON: /);
    expectOneErrorLine(
      linklab(['packet', 'encode', '{"icmpv6":{"kind":"router-advert","curHopLimit":64,"routerLifetime":0,"options":[{"kind":"mtu","mtu":-1}]}}']),
      'linklab: icmpv6.options[0].mtu: expected an integer 0..4294967295, got -1',
    );
    expectOneErrorLine(linklab(['packet', 'encode', '{"tcp":{}}']), 'linklab: packet 1: no layer (ethernet, arp, ipv4, ipv6, icmpv6, payload)');
    expectOneErrorLine(linklab(['packet', 'encode', '[{"ipv6":{"src":"fe80::1","dst":"ff02::1","hopLimit":255},"icmpv6":{"kind":"router-solicit"}},{"ipv6":{"src":"::g","dst":"ff02::1","hopLimit":255},"icmpv6":{"kind":"router-solicit"}}]']), 'linklab: packet 2: icmpv6.src: expected an IPv6 address, got "::g"');
  });
});

/**
 * Codec rates per message kind on one core, and the same Router Advertisement decoded by scapy
 * (Debian's python3-scapy) in the same run, as a reference ratio.
 */
import { execFileSync } from 'node:child_process';
import { opsPerSecond, save, type Row } from './harness.js';
import * as arp from '../src/core/wire/arp.js';
import * as icmpv6 from '../src/core/wire/icmpv6.js';
import * as ra from '../src/core/wire/ndisc/router-advert.js';
import * as rs from '../src/core/wire/ndisc/router-solicit.js';
import * as ns from '../src/core/wire/ndisc/neighbor-solicit.js';
import * as na from '../src/core/wire/ndisc/neighbor-advert.js';
import * as ip6in4 from '../src/core/wire/ip6in4.js';
import * as ipv6 from '../src/core/wire/ipv6.js';
import { validate } from '../src/core/wire/ndisc/validate.js';
import { Ipv6Address } from '../src/core/wire/ipv6-address.js';
import { toHex } from '../src/core/wire/bytes.js';

const routerLL = Ipv6Address.parse('fe80::1');
const allNodes = Ipv6Address.ALL_NODES;

const raValue: ra.RouterAdvertInput = {
  kind: 'router-advert',
  curHopLimit: 64,
  other: true,
  routerLifetime: 1800,
  options: [
    { kind: 'source-lla', address: '02:00:00:00:01:01' },
    { kind: 'prefix-info', prefixLength: 64, onLink: true, autonomous: true, validLifetime: 86400, preferredLifetime: 14400, prefix: '2001:db8:dead:beef::' },
    { kind: 'rdnss', lifetime: 600, servers: ['2001:db8::53'] },
    { kind: 'dnssl', lifetime: 600, domains: ['lab.intra'] },
  ],
};
const raBytes = icmpv6.encode(raValue, { src: routerLL, dst: allNodes });

const rsValue: rs.RouterSolicitInput = { kind: 'router-solicit', options: [{ kind: 'source-lla', address: '02:00:00:00:02:02' }] };
const rsBytes = icmpv6.encode(rsValue, { src: 'fe80::2', dst: 'ff02::2' });
const nsValue: ns.NeighborSolicitInput = { kind: 'neighbor-solicit', target: '2001:db8::1', options: [{ kind: 'source-lla', address: '02:00:00:00:02:02' }] };
const nsBytes = icmpv6.encode(nsValue, { src: 'fe80::2', dst: 'ff02::1:ff00:1' });
const naValue: na.NeighborAdvertInput = { kind: 'neighbor-advert', router: true, solicited: true, override: true, target: '2001:db8::1', options: [{ kind: 'target-lla', address: '02:00:00:00:01:01' }] };
const naBytes = icmpv6.encode(naValue, { src: 'fe80::1', dst: 'fe80::2' });
// The same RA with typed addresses, as the daemons and the simulator hand them to the encoder.
const raTyped = ra.decode(raBytes);
delete (raTyped as { checksum?: number }).checksum;
const arpValue: arp.Arp = arp.decode(Uint8Array.from([0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 1, 1, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 192, 0, 2, 2]));
const arpBytes = arp.encode(arpValue);
const inner = ipv6.encode({ src: 'fe80::5efe:c000:201', dst: 'fe80::5efe:c000:202', hopLimit: 255, protocol: 58, payload: rsBytes });
const p41Bytes = ip6in4.encode(inner, { src: '192.0.2.1', dst: '192.0.2.2', ttl: 64 });

let sink = 0;
function rate(fn: () => unknown): number {
  return opsPerSecond(() => {
    const v = fn() as { length?: number } | object;
    sink += typeof v === 'object' && v !== null ? 1 : 0;
  });
}

function scapyRaDecodesPerSecond(hex: string): number | undefined {
  const script = [
    'import sys, timeit',
    'from scapy.layers.inet6 import ICMPv6ND_RA',
    'b = bytes.fromhex(sys.argv[1])',
    'p = ICMPv6ND_RA(b)',
    'assert p.routerlifetime == 1800, p.routerlifetime',
    'n = 2000',
    'best = min(timeit.repeat(lambda: ICMPv6ND_RA(b), number=n, repeat=5))',
    'print(n / best)',
  ].join('\n');
  try {
    const out = execFileSync('/usr/bin/python3', ['-c', script, hex], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return Number(out.trim());
  } catch (err) {
    process.stderr.write(`bench: scapy unavailable (${String(err).split('\n')[0]}); install python3-scapy\n`);
    return undefined;
  }
}

export async function run(): Promise<void> {
  const ctx = { src: routerLL, dst: allNodes, hopLimit: 255 };
  const decodeValidate = rate(() => {
    const m = ra.decode(raBytes);
    return validate(m, ctx).length === 0 ? m : null;
  });
  const arpDecode = rate(() => arp.decode(arpBytes));
  // Encoders take text addresses (as `linklab packet encode` reads them from JSON) in these rows.
  const raEncode = rate(() => icmpv6.encode(raValue, { src: routerLL, dst: allNodes }));
  const arpEncode = rate(() => arp.encode(arpValue));
  const rsEncode = rate(() => icmpv6.encode(rsValue, { src: 'fe80::2', dst: 'ff02::2' }));
  const nsEncode = rate(() => icmpv6.encode(nsValue));
  const naEncode = rate(() => icmpv6.encode(naValue));
  const p41Encode = rate(() => ip6in4.encode(inner, { src: '192.0.2.1', dst: '192.0.2.2', ttl: 64 }));
  const rows: Row[] = [
    { name: `RA with 4 options (${raBytes.length} bytes): decode + validate`, value: decodeValidate, unit: 'msg/s', target: '≥ 2,000,000/s', met: decodeValidate >= 2_000_000 },
    { name: 'RA with 4 options: decode', value: rate(() => ra.decode(raBytes)), unit: 'msg/s' },
    { name: 'RA with 4 options: encode (with checksum)', value: raEncode, unit: 'msg/s', target: '≥ 1,500,000/s', met: raEncode >= 1_500_000 },
    { name: 'RA with 4 options: encode (with checksum), typed addresses as the daemons pass them', value: rate(() => icmpv6.encode(raTyped, { src: routerLL, dst: allNodes })), unit: 'msg/s' },
    { name: 'ARP (Ethernet/IPv4): decode', value: arpDecode, unit: 'msg/s', target: '≥ 10,000,000/s', met: arpDecode >= 10_000_000 },
    { name: 'ARP (Ethernet/IPv4): encode', value: arpEncode, unit: 'msg/s', target: '≥ 10,000,000/s', met: arpEncode >= 10_000_000 },
    { name: 'RS with SLLA: decode', value: rate(() => rs.decode(rsBytes)), unit: 'msg/s' },
    { name: 'RS with SLLA: encode', value: rsEncode, unit: 'msg/s', target: '≥ 3,000,000/s', met: rsEncode >= 3_000_000 },
    { name: 'NS with SLLA: decode', value: rate(() => ns.decode(nsBytes)), unit: 'msg/s' },
    { name: 'NS with SLLA: encode', value: nsEncode, unit: 'msg/s', target: '≥ 3,000,000/s', met: nsEncode >= 3_000_000 },
    { name: 'NA with TLLA: decode', value: rate(() => na.decode(naBytes)), unit: 'msg/s' },
    { name: 'NA with TLLA: encode', value: naEncode, unit: 'msg/s', target: '≥ 3,000,000/s', met: naEncode >= 3_000_000 },
    { name: `protocol 41 (IPv4 + IPv6 + RS, ${p41Bytes.length} bytes): decode`, value: rate(() => ip6in4.decode(p41Bytes)), unit: 'pkt/s' },
    { name: 'protocol 41: encode (IPv4 header around an encoded IPv6 packet)', value: p41Encode, unit: 'pkt/s', target: '≥ 1,500,000/s', met: p41Encode >= 1_500_000 },
  ];
  const raDecode = rows[1].value;
  const raTypedEncode = rows[3].value;
  const scapy = scapyRaDecodesPerSecond(toHex(raBytes));
  const ratios: Row[] = [];
  if (scapy !== undefined) {
    rows.push({ name: 'scapy 2.5 ICMPv6ND_RA(bytes): the same RA', value: scapy, unit: 'msg/s' });
    ratios.push({ name: 'linklab RA decode / scapy RA decode', value: raDecode / scapy, unit: '×', target: '≥ 100×', met: raDecode / scapy >= 100 });
  }
  ratios.unshift(
    { name: 'RA encode / RA decode (same run)', value: raEncode / raDecode, unit: '×', target: '≥ 0.4', met: raEncode / raDecode >= 0.4 },
    { name: 'RA encode with typed addresses / RA decode (same run)', value: raTypedEncode / raDecode, unit: '×', target: '≥ 0.4', met: raTypedEncode / raDecode >= 0.4 },
  );
  if (sink < 0) process.stderr.write(''); // keeps the results alive
  save({
    name: 'codecs',
    title: 'Codecs (src/core/wire)',
    method:
      'Each row times one decode or encode of a fixed message in a tight loop on one core (best of 5 rounds of at least 400 ms after warm-up), through the public decode/encode functions. The scapy row runs in a Python subprocess in the same run on the same bytes (timeit, best of 5 × 2,000).',
    rows,
    ratios,
  });
}

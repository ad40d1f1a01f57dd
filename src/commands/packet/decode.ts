import { Args, Flags } from '@oclif/core';
import { LinklabCommand } from '../../cli/command.js';
import { readInput, readStdin } from '../../cli/input.js';
import { UsageError } from '../../cli/errors.js';
import { DecodeError } from '../../core/wire/errors.js';
import { fromHex } from '../../core/wire/bytes.js';
import * as packet from '../../core/wire/packet.js';
import * as capture from '../../core/wire/pcap.js';
import { LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_RAW } from '../../core/wire/linktype.js';
import { describePacket, jsonReplacer } from '../../core/wire/describe.js';

type Link = packet.LinkKind;

function linkOfType(linkType: number, bytes: Uint8Array): Link {
  if (linkType === LINKTYPE_ETHERNET) return 'ethernet';
  if (linkType === LINKTYPE_IPV4) return 'ipv4';
  if (linkType === LINKTYPE_IPV6) return 'ipv6';
  if (linkType === LINKTYPE_RAW) return packet.rawLink(bytes);
  throw new UsageError(`link type ${linkType} is not one linklab decodes (use --link)`);
}

interface Item {
  label: string;
  link: Link;
  bytes: Uint8Array;
  timestamp?: number;
}

export default class PacketDecode extends LinklabCommand {
  static override summary = 'Decode packets from hex, standard input, or a pcap/pcapng file.';
  static override description =
    'Decodes every layer linklab speaks (Ethernet, 802.1Q, ARP, IPv4, IPv6 and its extension headers, IPv6-in-IPv4, ICMPv6 and Neighbor Discovery with all its options). Hex comes from the arguments or, one packet per line, from standard input; a capture file is read with --read (or piped in).';

  static override examples = [
    '<%= config.bin %> packet decode --link icmpv6 85000000 00000000',
    '<%= config.bin %> packet decode --read capture.pcapng --json',
    'tcpdump -w - -c 5 | <%= config.bin %> packet decode',
  ];

  static override strict = false;
  static override args = {
    // ignoreStdin: oclif would otherwise race this command for piped input (and mangle a binary capture).
    hex: Args.string({ description: 'packet bytes in hex (spaces and colons allowed)', required: false, ignoreStdin: true }),
  };

  static override flags = {
    link: Flags.string({ description: 'the layer the bytes start with', options: ['ethernet', 'ipv4', 'ipv6', 'icmpv6'] }),
    read: Flags.string({ char: 'r', description: 'read a pcap or pcapng file (- for standard input)' }),
    json: Flags.boolean({ description: 'print the full typed value as JSON, one packet per line' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(PacketDecode);
    const link = flags.link as Link | undefined;
    const items = await this.collect(argv as string[], flags.read, link);
    let failed = 0;
    for (const item of items) {
      try {
        const p = packet.decode(item.bytes, item.link);
        if (flags.json) {
          const record = items.length > 1 || item.timestamp !== undefined ? { packet: item.label, timestamp: item.timestamp, ...p } : p;
          process.stdout.write(JSON.stringify(record, jsonReplacer) + '\n');
        } else {
          if (items.length > 1) process.stdout.write(`${item.label}${item.timestamp !== undefined ? ` at ${item.timestamp / 1e6}s` : ''}, ${item.bytes.length} bytes\n`);
          process.stdout.write(describePacket(p).join('\n') + '\n');
        }
        // The walk over ND options never throws, but an option it could not decode still makes the
        // packet bad input: printed above, reported here like any other decode error.
        const bad = packet.firstMalformedOption(p);
        if (bad) throw bad;
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        failed++;
        this.warnLine(items.length > 1 ? `${item.label}: ${err.message}` : err.message);
      }
    }
    if (failed > 0) this.exit(1);
  }

  private async collect(hexArgs: string[], read: string | undefined, link: Link | undefined): Promise<Item[]> {
    if (read !== undefined) return this.fromCapture(read, await readInput(read), link);
    if (hexArgs.length > 0) return [this.fromHexText(hexArgs.join(''), 'argument', link)];
    if (process.stdin.isTTY) throw new UsageError('give hex, --read FILE, or pipe packets into standard input');
    const input = await readStdin();
    if (capture.sniff(input)) return this.fromCapture('stdin', input, link);
    const lines = new TextDecoder().decode(input).split('\n');
    const items: Item[] = [];
    lines.forEach((line, i) => {
      const text = line.replace(/#.*/, '').trim();
      if (text) items.push(this.fromHexText(text, `stdin line ${i + 1}`, link));
    });
    if (items.length === 0) throw new UsageError('stdin: no packets');
    return items;
  }

  private fromHexText(text: string, label: string, link: Link | undefined): Item {
    const bytes = fromHex(text);
    if (!bytes) throw new UsageError(`${label}: not hex (${JSON.stringify(text.length > 40 ? text.slice(0, 40) + '...' : text)})`);
    return { label, link: link ?? 'ethernet', bytes };
  }

  private fromCapture(name: string, bytes: Uint8Array, link: Link | undefined): Item[] {
    let cap;
    try {
      cap = capture.readCapture(bytes);
    } catch (err) {
      if (err instanceof DecodeError) throw new UsageError(`${name}: ${err.message}`);
      throw err;
    }
    return cap.packets.map((p, i) => ({
      label: `${name} packet ${i + 1}`,
      link: link ?? linkOfType(cap.interfaces[p.interfaceId].linkType, p.data),
      bytes: p.data,
      timestamp: p.timestamp,
    }));
  }
}

import { Args, Flags } from '@oclif/core';
import { writeFile } from 'node:fs/promises';
import { LinklabCommand } from '../../cli/command.js';
import { readStdin } from '../../cli/input.js';
import { UsageError } from '../../cli/errors.js';
import { EncodeError } from '../../core/wire/errors.js';
import { toHex } from '../../core/wire/bytes.js';
import * as packet from '../../core/wire/packet.js';
import { PcapngWriter } from '../../core/wire/pcapng.js';
import { LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6 } from '../../core/wire/linktype.js';

function linkTypeOf(p: packet.PacketInput): number {
  if (p.ethernet) return LINKTYPE_ETHERNET;
  if (p.ipv4) return LINKTYPE_IPV4;
  if (p.ipv6) return LINKTYPE_IPV6;
  throw new UsageError('a pcapng packet needs an ethernet, ipv4 or ipv6 layer');
}

export default class PacketEncode extends LinklabCommand {
  static override summary = 'Encode packets from JSON (the shape `packet decode --json` prints) to hex or pcapng.';
  static override description =
    'Takes one JSON packet, a JSON array of packets, or one packet per line. Lengths, checksums, next-header and EtherType fields left out are computed; fields given are written as given, so malformed packets can be built on purpose.';

  static override examples = [
    `<%= config.bin %> packet encode '{"ipv6":{"src":"fe80::1","dst":"ff02::2","hopLimit":255},"icmpv6":{"kind":"router-solicit"}}'`,
    '<%= config.bin %> packet decode --json --read in.pcapng | <%= config.bin %> packet encode --pcapng out.pcapng',
  ];

  static override args = {
    // ignoreStdin: the command reads standard input itself; oclif's own reading would race it.
    json: Args.string({ description: 'the packet as JSON (default: standard input)', required: false, ignoreStdin: true }),
  };

  static override flags = {
    pcapng: Flags.string({ description: 'write the packets to this pcapng file instead of printing hex' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(PacketEncode);
    const text = args.json ?? new TextDecoder().decode(await readStdin());
    const inputs = parsePackets(text);
    const encoded = inputs.map((p, i) => {
      try {
        return packet.encode(p);
      } catch (err) {
        if (err instanceof EncodeError && inputs.length > 1) throw new UsageError(`packet ${i + 1}: ${err.message}`);
        throw err;
      }
    });
    if (flags.pcapng === undefined) {
      process.stdout.write(encoded.map((b) => toHex(b)).join('\n') + '\n');
      return;
    }
    const w = new PcapngWriter();
    const ifaces = new Map<number, number>();
    inputs.forEach((p, i) => {
      const lt = linkTypeOf(p);
      let id = ifaces.get(lt);
      if (id === undefined) {
        id = w.addInterface(lt, `linklab${ifaces.size}`);
        ifaces.set(lt, id);
      }
      const ts = (p as { timestamp?: unknown }).timestamp;
      w.packet(id, typeof ts === 'number' ? ts : i, encoded[i]);
    });
    await writeFile(flags.pcapng, w.bytes());
  }
}

/** One JSON value, an array of them, or one per line. */
export function parsePackets(text: string): packet.PacketInput[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new UsageError('no JSON given');
  try {
    const v: unknown = JSON.parse(trimmed);
    return (Array.isArray(v) ? v : [v]).map((x, i) => asPacket(x, `packet ${i + 1}`));
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const lines = trimmed.split('\n');
    if (lines.length === 1) throw new UsageError(`invalid JSON: ${err.message}`);
    return lines.flatMap((line, i) => {
      if (line.trim() === '') return [];
      try {
        return [asPacket(JSON.parse(line), `line ${i + 1}`)];
      } catch (e) {
        if (e instanceof SyntaxError) throw new UsageError(`line ${i + 1}: invalid JSON: ${e.message}`);
        throw e;
      }
    });
  }
}

function asPacket(v: unknown, where: string): packet.PacketInput {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError(`${where}: expected a JSON object with layers`);
  const known = ['ethernet', 'arp', 'ipv4', 'ipv6', 'icmpv6', 'payload'];
  if (!known.some((k) => k in v)) throw new UsageError(`${where}: no layer (${known.join(', ')})`);
  return v as packet.PacketInput;
}

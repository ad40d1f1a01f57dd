/**
 * `arpd -f FILE`: reading a dump back. Lines are `IFINDEX IP MAC`; a `#` in the first column
 * starts a comment; rows whose MAC starts `FAILED:` are skipped, so a dump reloads. Anything else
 * stops the load with the original's message (and linklab adds where): `Wrong format of input
 * file "FILE"`, `Invalid IP address: "X"` or `"X" is invalid lladdr.`. The original parsed the
 * MAC and then stored whatever its buffer held; linklab stores the MAC.
 */
import { Ipv4Address } from '../wire/ipv4-address.js';
import { MacAddress } from '../wire/mac-address.js';

export interface LoadRow {
  ifindex: number;
  ip: Ipv4Address;
  mac: MacAddress;
  line: number;
}

export interface LoadError {
  /** The message, starting with the original program's words. */
  message: string;
  line: number;
}

export interface LoadResult {
  rows: LoadRow[];
  /** Where reading stopped, if it did; the rows before it are good. */
  error?: LoadError;
}

/**
 * The part of a MAC the original's ll_addr_a2n names in `"PART" is invalid lladdr.`: the first
 * colon-separated piece that is not a hex byte. Null when every piece is a byte but there are not
 * six (the original then stopped without a word; linklab says "Wrong format").
 */
function badLladdrPart(text: string): string | null {
  for (const part of text.split(':').slice(0, 6)) if (!/^[0-9a-f]{1,2}$/i.test(part)) return part;
  return null;
}

export function parseLoad(text: string, name: string): LoadResult {
  const rows: LoadRow[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const n = i + 1;
    if (line.startsWith('#')) continue;
    const fields = line.trim().split(/\s+/);
    const wrong = (why: string): LoadResult => ({ rows, error: { message: `Wrong format of input file "${name}" (line ${n}: ${why})`, line: n } });
    if (fields.length < 3 || fields[0] === '') return wrong('expected IFINDEX IP MAC');
    if (!/^[0-9]+$/.test(fields[0]) || Number(fields[0]) > 0xffff_ffff) return wrong(`interface index "${fields[0]}" is not a number`);
    if (fields[2].startsWith('FAILED:')) continue;
    const ip = Ipv4Address.tryParse(fields[1]);
    if (!ip) return { rows, error: { message: `Invalid IP address: "${fields[1]}" (line ${n})`, line: n } };
    const mac = MacAddress.tryParse(fields[2]);
    if (!mac) {
      const part = badLladdrPart(fields[2]);
      if (part !== null) return { rows, error: { message: `"${part}" is invalid lladdr. (line ${n})`, line: n } };
      return wrong(`"${fields[2]}" is not a MAC address`);
    }
    rows.push({ ifindex: Number(fields[0]), ip, mac, line: n });
  }
  return { rows };
}

/**
 * `arpd -f FILE` against a real LMDB database, through the command's own load path: any
 * malformed line stops the load with the original's message and exit 255, and every row before it
 * (and everything the database held already) is stored, as `arpd -l` then shows.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOffline } from '../../../src/cli/arpd/offline.js';
import { parseArpdArgs, type ArpdOptions } from '../../../src/cli/arpd/options.js';
import { fcRuns } from '../../helpers/tier.js';

const root = mkdtempSync(join(tmpdir(), 'll-arpd-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

const row = fc.record({
  ifindex: fc.integer({ min: 1, max: 0x7fff_ffff }),
  ip: fc.integer({ min: 1, max: 0xffff_ffff }),
  mac: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
});
type Row = { ifindex: number; ip: number; mac: number };
const ipText = (v: number) => [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
const macText = (v: number) => v.toString(16).padStart(12, '0').match(/../g)!.join(':');
const line = (r: Row) => `${r.ifindex} ${ipText(r.ip)} ${macText(r.mac)}`;
/** What -l prints for a row. */
const listed = (r: Row) => `${String(r.ifindex).padEnd(8)} ${ipText(r.ip).padEnd(15)} ${macText(r.mac)}`;

/** Lines the original refuses, with the start of its message. */
const malformed = fc.oneof(
  fc.constantFrom('garbage', '7', '7 192.0.2.1', '', '   ', 'x 192.0.2.1 02:00:00:00:00:01', '7 192.0.2.1 02:00').map((l) => ({ l, says: /^Wrong format of input file "[^"]+" \(line \d+: / })),
  fc.constantFrom('192.0.2.999', 'host.example', '192.0.2.1.5').map((ip) => ({ l: `7 ${ip} 02:00:00:00:00:01`, says: new RegExp(`^Invalid IP address: "${ip.replace(/\./g, '\\.')}" \\(line \\d+\\)`) })),
  fc.constantFrom('zz:00:00:00:00:01', '02:00:00:00:00:1ff', 'g'.repeat(3)).map((mac) => ({ l: `7 192.0.2.1 ${mac}`, says: /^"[^"]+" is invalid lladdr\. \(line \d+\)/ })),
);

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const o = parseArpdArgs(args) as ArpdOptions;
  let out = '';
  let err = '';
  const code = await runOffline(o, [], { out: (t) => (out += t), err: (t) => (err += t), now: 1_700_000_000 });
  return { code, out, err };
}

describe('arpd -f into a real database', () => {
  it('a malformed line: exit 255, the original message with the line number, earlier rows and old entries intact', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(row, { selector: (r) => `${r.ifindex}/${r.ip}`, maxLength: 12 }),
        fc.nat(12),
        malformed,
        fc.array(row, { maxLength: 4 }),
        async (rows, split, bad, after) => {
          const dir = join(root, String(++n));
          const db = join(dir, 'arpd.db');
          const [old, before] = [rows.slice(0, Math.min(split, rows.length) >> 1), rows.slice(Math.min(split, rows.length) >> 1)];
          writeInputs(dir, old, before, bad.l, after);
          expect((await run(['-b', db, '-f', join(dir, 'old.txt')])).code).toBe(0);
          const r = await run(['-b', db, '-f', join(dir, 'in.txt')]);
          expect(r.code).toBe(255);
          expect(r.err).toMatch(bad.says);
          expect(r.err).toContain(`line ${before.length + 2}`);
          const list = await run(['-l', '-b', db]);
          expect(list.code).toBe(0);
          const want = [...old, ...before].sort((a, b) => a.ifindex - b.ifindex || a.ip - b.ip).map(listed);
          expect(list.out).toBe(['#Ifindex IP              MAC', ...want].join('\n') + '\n');
        },
      ),
      { numRuns: fcRuns(150) },
    );
  });

  it('a dump of the database loads back into another one unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(row, { selector: (r) => `${r.ifindex}/${r.ip}`, maxLength: 30 }), async (rows) => {
        const dir = join(root, String(++n));
        writeInputs(dir, rows, [], undefined, []);
        await run(['-b', join(dir, 'a.db'), '-f', join(dir, 'old.txt')]);
        const dump = (await run(['-l', '-b', join(dir, 'a.db')])).out;
        writeFileSync(join(dir, 'dump.txt'), dump);
        const again = await run(['-b', join(dir, 'b.db'), '-f', join(dir, 'dump.txt'), '-l']);
        expect(again.code).toBe(0);
        expect(again.out).toBe(dump);
      }),
      { numRuns: fcRuns(100) },
    );
  });
});

/** Writes old.txt (rows already stored) and in.txt (a header, rows, the bad line, more rows). */
function writeInputs(dir: string, old: Row[], before: Row[], bad: string | undefined, after: Row[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'old.txt'), old.map(line).join('\n') + (old.length ? '\n' : ''));
  if (bad !== undefined) writeFileSync(join(dir, 'in.txt'), ['#Ifindex IP              MAC', ...before.map(line), bad, ...after.map(line)].join('\n') + '\n');
}

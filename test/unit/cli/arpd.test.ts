/**
 * `linklab arpd` next to Debian's arpd on the same command lines: the same words on stderr and
 * the same exit code for every refused option and every failure before the daemon starts
 * (linklab adds where, in parentheses, for a bad interface or input line). Plus what only linklab
 * does: bundled -lk, --help, and refusing the original's Berkeley DB file instead of crashing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../sim/helpers/cli.js';
import { tierAvailable } from '../../helpers/tier.js';

const ENTRY = join(REPO, 'test', 'sim', 'helpers', 'cli-entry.ts');
const dir = mkdtempSync(join(tmpdir(), 'll-arpd-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hasOriginal = tierAvailable('test/unit/cli/arpd.test.ts (differential half)', { commands: ['arpd'] });

interface Outcome {
  code: number | null;
  stderr: string;
  stdout: string;
}

function original(args: string[], input?: string): Outcome {
  // argv[0] "arpd", as getopt's messages print it
  const r = spawnSync('arpd', args, { argv0: 'arpd', input, encoding: 'utf8', cwd: dir });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

function linklab(args: string[], input?: string): Outcome {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ENTRY, 'arpd', ...args], { cwd: REPO, input, encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

const USAGE = 'Usage: arpd [ -lkh? ] [ -a N ] [ -b dbase ] [ -B number ] [ -f file ] [ -n time ] [-p interval ] [ -R rate ] [ interfaces ]\n';

describe('linklab arpd refuses what arpd refuses, in its words', () => {
  // Each case gets its own database directory per program (their formats differ).
  const cases: Array<{ args: (db: string) => string[]; input?: string; stderr: string | RegExp; code: number }> = [
    { args: () => ['-h'], stderr: USAGE, code: 1 },
    { args: () => ['-?'], stderr: USAGE, code: 1 },
    { args: () => ['-x'], stderr: `arpd: invalid option -- 'x'\n${USAGE}`, code: 1 },
    { args: () => ['-b'], stderr: `arpd: option requires an argument -- 'b'\n${USAGE}`, code: 1 },
    { args: () => ['-f', 'a', '-f', 'b'], stderr: `Duplicate option -f\n${USAGE}`, code: 1 },
    { args: () => ['-p', '0.05'], stderr: 'Invalid poll timeout\n', code: 255 },
    { args: () => ['-p', 'soon'], stderr: 'Invalid poll timeout\n', code: 255 },
    { args: () => ['-R', '0'], stderr: 'Invalid ARP rate\n', code: 255 },
    { args: () => ['-R', '1001'], stderr: 'Invalid ARP rate\n', code: 255 },
    { args: () => ['-R', 'fast'], stderr: 'Invalid ARP rate\n', code: 255 },
    { args: () => ['-B', '0'], stderr: 'Invalid ARP burst\n', code: 255 },
    { args: () => ['-B', '-3'], stderr: 'Invalid ARP burst\n', code: 255 },
    { args: (db) => ['-l', '-b', db, 'nosuch0'], stderr: /^ioctl\(SIOCGIFINDEX\): No such device/, code: 255 },
    { args: () => ['-l', '-b', join(dir, 'missing', 'x.db')], stderr: 'db_open: No such file or directory\n', code: 255 },
    { args: (db) => ['-b', db, '-f', join(dir, 'missing.txt')], stderr: 'fopen: No such file or directory\n', code: 255 },
    { args: (db) => ['-b', db, '-f', '-'], input: 'bad\n', stderr: /^Wrong format of input file "-"/, code: 255 },
    { args: (db) => ['-b', db, '-f', '-'], input: '1 192.0.2.300 02:00:00:00:00:01\n', stderr: /^Invalid IP address: "192\.0\.2\.300"/, code: 255 },
    { args: (db) => ['-b', db, '-f', '-'], input: '1 192.0.2.3 zz:00:00:00:00:01\n', stderr: /^"zz" is invalid lladdr\./, code: 255 },
    { args: (db) => ['-lb', db], stderr: '', code: 0 },
  ];

  let i = 0;
  for (const c of cases) {
    const n = ++i;
    it(`arpd ${c.args('DB').join(' ')}${c.input ? ` < ${JSON.stringify(c.input)}` : ''}: exit ${c.code}`, () => {
      const mine = linklab(c.args(join(dir, `ll-${n}.db`)), c.input);
      expect(mine.code).toBe(c.code);
      if (typeof c.stderr === 'string') expect(mine.stderr).toBe(c.stderr);
      else expect(mine.stderr).toMatch(c.stderr);
      if (!hasOriginal) return;
      const theirs = original(c.args(join(dir, `orig-${n}.db`)), c.input);
      expect(theirs.code).toBe(c.code);
      if (typeof c.stderr === 'string') expect(theirs.stderr).toBe(c.stderr);
      else expect(theirs.stderr).toMatch(c.stderr);
      // linklab only adds where, after the original's words
      expect(mine.stderr.startsWith(theirs.stderr.trimEnd())).toBe(true);
    });
  }
});

describe('linklab arpd, beyond the original', () => {
  it('lists a loaded dump, header and rows in the original format, filtered by interface', () => {
    const db = join(dir, 'list.db');
    const load = linklab(['-f', '-', '-b', db], '#Ifindex IP              MAC\n1 192.0.2.1 02:00:00:00:00:01\n7 198.51.100.7 2:0:0:0:0:a\n3 203.0.113.9 FAILED: 12sec ago\n');
    expect(load).toMatchObject({ code: 0, stderr: '' });
    expect(linklab(['-lb', db]).stdout).toBe('#Ifindex IP              MAC\n1        192.0.2.1       02:00:00:00:00:01\n7        198.51.100.7    02:00:00:00:00:0a\n');
    expect(linklab(['-l', '-b', db, 'lo']).stdout).toBe('#Ifindex IP              MAC\n1        192.0.2.1       02:00:00:00:00:01\n');
  });

  it("names the original's Berkeley DB file instead of crashing on it", () => {
    const path = join(dir, 'bdb.db');
    const page = Buffer.alloc(4096);
    page.writeUInt32LE(0x061561, 12);
    writeFileSync(path, page);
    expect(linklab(['-l', '-b', path])).toMatchObject({ code: 255, stderr: `db_open: ${path}: not an LMDB database (a Berkeley DB file, as iproute2 arpd writes)\n` });
  });

  it('checks its own long options', () => {
    expect(linklab(['--max-entries', '3', '-b', join(dir, 'x.db')])).toMatchObject({ code: 1, stderr: '--max-entries: 3 is below 16\n' });
    expect(linklab(['--expire', 'soon', '-l', '-b', join(dir, 'x.db')])).toMatchObject({ code: 1, stderr: '--expire: "soon" is not a whole number\n' });
  });
});

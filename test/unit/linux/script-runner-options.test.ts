/**
 * LinuxScriptRunner as rtsold runs its scripts: their output to /dev/null, and only regular files
 * owned by the daemon's user (rtsold's safefile(); a link passes when it and its target are ours).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinuxScriptRunner, unsafeScript } from '../../../src/adapters/linux/script-runner.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function script(body: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'll-script-'));
  dirs.push(dir);
  const path = join(dir, 'script.sh');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return { dir, path };
}

const run = (runner: LinuxScriptRunner, path: string): Promise<[number | null, string | undefined]> => new Promise((res) => runner.run({ path, args: ['x'] }, (c, e) => res([c, e])));

describe('LinuxScriptRunner options', () => {
  it("output 'ignore' sends the script's stdout and stderr nowhere; by default they are the daemon's", () => {
    const s = script('echo to-stdout; echo to-stderr >&2');
    const program = `import { LinuxScriptRunner } from ${JSON.stringify(join(import.meta.dirname, '../../../src/adapters/linux/script-runner.ts'))};
new LinuxScriptRunner(process.argv[2] === 'ignore' ? { output: 'ignore' } : {}).run({ path: ${JSON.stringify(s.path)}, args: [] }, (code) => process.stdout.write('exit ' + code + '\\n'));`;
    const file = join(s.dir, 'runner.ts');
    writeFileSync(file, program);
    const quiet = spawnSync(process.execPath, ['--import', 'tsx', file, 'ignore'], { encoding: 'utf8' });
    expect(quiet.stdout).toBe('exit 0\n');
    expect(quiet.stderr).toBe('');
    const loud = spawnSync(process.execPath, ['--import', 'tsx', file, 'inherit'], { encoding: 'utf8' });
    expect(loud.stdout).toBe('to-stdout\nexit 0\n');
    expect(loud.stderr).toBe('to-stderr\n');
  });

  it('safe: runs our regular file and a link of ours to it; refuses a directory and a file of another user', async () => {
    const s = script(`echo ran >> "$(dirname "$0")/ran"`);
    const runner = new LinuxScriptRunner({ safe: true });
    expect(await run(runner, s.path)).toEqual([0, undefined]);
    const link = join(s.dir, 'link.sh');
    symlinkSync(s.path, link);
    expect(unsafeScript(link)).toBeUndefined();
    expect(await run(runner, link)).toEqual([0, undefined]);
    expect(readFileSync(join(s.dir, 'ran'), 'utf8')).toBe('ran\nran\n');

    const sub = join(s.dir, 'sub');
    mkdirSync(sub);
    const [code, error] = await run(runner, sub);
    expect(code).toBeNull();
    expect(error).toBe(`script "${sub}" cannot be executed safely: ${sub} is an invalid file type 040000`);

    // A file someone else owns: as root, one handed to nobody; otherwise root's /etc/passwd.
    let foreign = '/etc/passwd';
    if (process.getuid?.() === 0) {
      foreign = script('exit 0').path;
      chownSync(foreign, 65534, 65534);
    }
    expect(unsafeScript(foreign)).toBe(`${foreign} has invalid owner uid`);
    expect((await run(runner, foreign))[0]).toBeNull();
    expect(unsafeScript(join(s.dir, 'missing'))).toMatch(/^lstat failed: ENOENT/);
  });
});

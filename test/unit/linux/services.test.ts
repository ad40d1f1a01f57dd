// The resolver's hosts-file rules and the script runner's contract (absolute path, empty
// environment, arguments, stdin, exit code).
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinuxResolver, lookupHosts } from '../../../src/adapters/linux/resolver.js';
import { LinuxScriptRunner } from '../../../src/adapters/linux/script-runner.js';
import type { Ipv4Address } from '../../../src/core/wire/ipv4-address.js';

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'll-svc-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const HOSTS = `# comment
127.0.0.1 localhost
192.0.2.1   isatap isatap.example.  # the router
198.51.100.7 ISATAP
2001:db8::1 isatap
192.0.2.1 other
`;

describe('hosts file lookup', () => {
  it('collects every IPv4 address of a name, case-insensitively, once each, skipping IPv6 and comments', () => {
    expect(lookupHosts(HOSTS, 'isatap').map(String)).toEqual(['192.0.2.1', '198.51.100.7']);
    expect(lookupHosts(HOSTS, 'isatap.example').map(String)).toEqual(['192.0.2.1']);
    expect(lookupHosts(HOSTS, 'comment')).toEqual([]);
  });

  it('resolves through the hosts file, and literals as themselves', async () => {
    const d = dir();
    writeFileSync(join(d, 'hosts'), HOSTS);
    const r = new LinuxResolver({ hostsFile: join(d, 'hosts'), noDns: true });
    const ask = (name: string): Promise<[Ipv4Address[], string | undefined]> => new Promise((res) => r.resolve4(name, (a, e) => res([a, e])));
    expect((await ask('ISATAP'))[0].map(String)).toEqual(['192.0.2.1', '198.51.100.7']);
    expect((await ask('203.0.113.9'))[0].map(String)).toEqual(['203.0.113.9']);
    const [none, why] = await ask('nowhere');
    expect(none).toEqual([]);
    expect(why).toContain('nowhere');
    // Edits are seen at the next lookup.
    writeFileSync(join(d, 'hosts'), '203.0.113.5 isatap\n');
    expect((await ask('isatap'))[0].map(String)).toEqual(['203.0.113.5']);
  });

  it('answers later, never inside resolve4()', () => {
    const r = new LinuxResolver({ hostsFile: '/nonexistent', noDns: true });
    let called = false;
    r.resolve4('192.0.2.1', () => (called = true));
    expect(called).toBe(false);
  });
});

describe('LinuxScriptRunner', () => {
  function script(body: string): { path: string; out: string } {
    const d = dir();
    const path = join(d, 'script.sh');
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return { path, out: join(d, 'out') };
  }
  const run = (r: Parameters<LinuxScriptRunner['run']>[0]): Promise<[number | null, string | undefined]> =>
    new Promise((res) => new LinuxScriptRunner().run(r, (c, e) => res([c, e])));

  it('passes arguments and stdin, with an empty environment, and reports the exit code', async () => {
    const s = script(`out="$(dirname "$0")/out"; { echo "args:$*"; env; cat; } > "$out"; exit 3`);
    const [code, error] = await run({ path: s.path, args: ['-a', 'eth0:slaac'], stdin: 'nameserver 2001:db8::53\n' });
    expect(code).toBe(3);
    expect(error).toBeUndefined();
    const out = readFileSync(s.out, 'utf8').split('\n');
    expect(out[0]).toBe('args:-a eth0:slaac');
    // The shell itself sets PWD (and may set SHLVL, _); nothing comes from our environment.
    const envNames = out.slice(1).filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l)).map((l) => l.split('=')[0]);
    expect(envNames.filter((n) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(n))).toEqual([]);
    expect(out).toContain('nameserver 2001:db8::53');
  });

  it('refuses a relative path, and reports a program that cannot run', async () => {
    expect(await run({ path: 'script.sh', args: [] })).toEqual([null, 'script.sh: not an absolute path']);
    const [code, error] = await run({ path: '/nonexistent/ll-script', args: [] });
    expect(code).toBeNull();
    expect(error).toContain('/nonexistent/ll-script');
  });
});

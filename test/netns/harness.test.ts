// The harness cleans up on every path: an uncaught error, a signal, and (at the next load) a
// process that was killed outright. Namespaces, their programs and /etc/netns files all go.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { tierAvailable } from '../helpers/tier.js';
import { Netns, listNamespaces, running } from './harness.js';

const runs = tierAvailable('test/netns/harness.test.ts', { root: true, commands: ['ip'] });
const PROGRAM = join(import.meta.dirname, 'programs', 'harness-crash.ts');

interface Built {
  names: string[];
  sleeper: number;
}

function start(mode: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', PROGRAM, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  const built = new Promise<Built>((resolve, reject) => {
    const check = (): void => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as Built);
    };
    child.stdout.on('data', check);
    void exited.then(() => (out.includes('{') ? check() : reject(new Error(`no output; stderr: ${err}`))));
  });
  return { child, built, exited, output: () => out };
}


function gone(b: Built): void {
  const now = listNamespaces();
  for (const n of b.names) {
    expect(now).not.toContain(n);
    expect(existsSync(join('/etc/netns', n))).toBe(false);
  }
  expect(running(b.sleeper)).toBe(false);
}

describe.skipIf(!runs)('netns harness cleanup', () => {
  it('names namespaces ll-<pid>-<n>, and delete() removes them', () => {
    const ns = Netns.create();
    expect(ns.name).toMatch(new RegExp(`^ll-${process.pid}-\\d+$`));
    expect(listNamespaces()).toContain(ns.name);
    ns.delete();
    expect(listNamespaces()).not.toContain(ns.name);
  });

  it('leaves nothing behind when a test throws half-way', async () => {
    const p = start('throw');
    const b = await p.built;
    expect((await p.exited).code).not.toBe(0);
    gone(b);
  });

  it('leaves nothing behind when the test process gets SIGTERM', async () => {
    const p = start('sigterm');
    const b = await p.built;
    expect(listNamespaces()).toEqual(expect.arrayContaining(b.names));
    p.child.kill('SIGTERM');
    await p.exited;
    gone(b);
  });

  it('reaps what a SIGKILLed test process left, at the next harness load', async () => {
    const p = start('sigkill');
    const b = await p.built;
    p.child.kill('SIGKILL');
    await p.exited;
    expect(listNamespaces()).toEqual(expect.arrayContaining(b.names)); // nothing could run
    const next = start('noop');
    await next.exited;
    const remaining = (JSON.parse(next.output()) as { remaining: string[] }).remaining;
    for (const n of b.names) expect(remaining).not.toContain(n);
    gone(b);
  });
});

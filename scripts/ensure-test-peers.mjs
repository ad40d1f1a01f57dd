#!/usr/bin/env node
// Makes sure the programs the test tiers talk to (tshark, radvd, arping, ...) are installed.
// As root, missing Debian packages are installed with apt-get; otherwise the tiers that need them
// will print loud SKIPPED lines (and fail under CI=true).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const list = readFileSync(new URL('./debian-packages.txt', import.meta.url), 'utf8')
  .split('\n')
  .map((l) => l.replace(/#.*/, '').trim())
  .filter(Boolean);

const installed = (pkg) => {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).includes('install ok installed');
  } catch {
    return false;
  }
};

const missing = list.filter((p) => !installed(p));
if (missing.length === 0) process.exit(0);
if (process.getuid?.() !== 0) {
  process.stderr.write(`\n!!!!! not root: cannot install ${missing.join(' ')}; the tiers that need them will be SKIPPED !!!!!\n\n`);
  process.exit(0);
}
process.stderr.write(`installing test peers: ${missing.join(' ')}\n`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });

#!/usr/bin/env node
// Builds the native addon with node-gyp (npm runs this as the package's "install" script, with its
// own node-gyp on PATH and the user's nodedir in the environment). On failure it says plainly what
// failed and what the addon is for, instead of leaving a page of gyp output to decode.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function nodeGyp() {
  // npm puts its bundled node-gyp on PATH for scripts; outside npm, look next to npm itself.
  const onPath = spawnSync('sh', ['-c', 'command -v node-gyp'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return [onPath.stdout.trim()];
  const npmDir = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (existsSync(npmDir)) return [process.execPath, npmDir];
  return null;
}

const gyp = nodeGyp();
if (!gyp) {
  console.error('linklab: cannot build the native addon: node-gyp was not found (it ships with npm; run `npm install` or put node-gyp on PATH).');
  process.exit(1);
}
const args = [...gyp.slice(1), 'rebuild'];
// Headers: the configured nodedir, else the ones installed beside this node (no download).
const prefix = join(dirname(process.execPath), '..');
const nodedir = process.env.npm_config_nodedir || (existsSync(join(prefix, 'include', 'node', 'node_version.h')) ? prefix : undefined);
if (nodedir) args.push(`--nodedir=${nodedir}`);
const r = spawnSync(gyp[0], args, { cwd: here, stdio: 'inherit' });
if (r.status !== 0) {
  console.error(
    `linklab: building the native addon (src/adapters/linux/native) failed (node-gyp exit ${r.status ?? r.signal}).\n` +
      'linklab needs it for every Linux adapter (TUN/TAP, packet and raw sockets, rtnetlink, syslog, pidfile locks);\n' +
      'it needs g++, make, python3 and the Node.js headers (nodedir). The simulator and codecs work without it.',
  );
  process.exit(1);
}

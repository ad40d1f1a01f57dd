// A minimal daemon: `daemon.ts [--daemon] PIDFILE`. Takes the pidfile, reports ready, and on
// SIGTERM removes the pidfile and exits 0.
import { daemonize } from '../../../../src/adapters/linux/daemon.js';
import { Pidfile } from '../../../../src/adapters/linux/pidfile.js';

const args = process.argv.slice(2);
const start = await daemonize({ enabled: args.includes('--daemon'), name: 'testd' });
const path = args.filter((a) => !a.startsWith('--'))[0];
let pidfile: Pidfile;
try {
  pidfile = Pidfile.acquire(path);
} catch (err) {
  start.fail((err as Error).message);
  if (!start.daemonized) process.stderr.write(`testd: ${(err as Error).message}\n`);
  process.exitCode = 1;
  await new Promise((r) => setTimeout(r, 100));
  process.exit(1);
}
process.on('SIGTERM', () => {
  pidfile.remove();
  process.exit(0);
});
setInterval(() => undefined, 60_000);
start.ready();

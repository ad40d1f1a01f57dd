// The privileged half of a test daemon: opens a packet socket on a0, starts the child module as
// `--user` and serves its requests. Prints one JSON line {parent, child} once the child is ready,
// then {exit} when the child ends. Args: USER JOURNAL
import { fileURLToPath } from 'node:url';
import { PrivsepParent } from '../../../src/adapters/linux/privsep/parent.js';
import { LinuxSysctl } from '../../../src/adapters/linux/sysctl.js';

const [user, journal] = process.argv.slice(2);
const sysctl = new LinuxSysctl({ journal });
try {
  const p = await PrivsepParent.start({
    user,
    childModule: fileURLToPath(new URL('./privsep-child.ts', import.meta.url)),
    config: { note: 'hello' },
    resources: [{ kind: 'frames', name: 'lan', ifname: 'a0', protocol: 0x88b5 }],
    policy: { interfaces: ['a0'], sysctl: ['net.ipv4.neigh.a0.'], scripts: [], tunNames: ['llt*'] },
    sysctl,
  });
  process.stdout.write(JSON.stringify({ parent: process.pid, child: p.childPid, user: p.account }) + '\n');
  const e = await p.exited;
  process.stdout.write(JSON.stringify({ exit: e, denied: p.denied }) + '\n');
  process.exit(e.code ?? 1);
} catch (err) {
  process.stdout.write(JSON.stringify({ error: (err as Error).message }) + '\n');
  process.exit(1);
}

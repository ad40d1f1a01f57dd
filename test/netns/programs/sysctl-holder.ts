// Starts like a daemon with a sysctl journal (restoring what a crashed predecessor left), then,
// given KEY VALUE, changes that sysctl and waits to be killed. Prints JSON lines.
// Args: JOURNAL [KEY VALUE]
import { LinuxSysctl } from '../../../src/adapters/linux/sysctl.js';

const [journal, key, value] = process.argv.slice(2);
const sysctl = new LinuxSysctl({ journal });
process.stdout.write(JSON.stringify({ recovered: sysctl.recovered, failures: sysctl.restoreFailures }) + '\n');
if (key !== undefined) {
  sysctl.write(key, value);
  process.stdout.write(JSON.stringify({ written: key }) + '\n');
  setInterval(() => undefined, 60_000);
}

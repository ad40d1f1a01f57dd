// Takes the pidfile and holds it until killed; prints "held PID" or the error and exits 1.
import { Pidfile } from '../../../../src/adapters/linux/pidfile.js';

try {
  Pidfile.acquire(process.argv[2]);
  process.stdout.write(`held ${process.pid}\n`);
  setInterval(() => undefined, 1000);
} catch (err) {
  process.stdout.write(`error ${(err as Error).message}\n`);
  process.exit(1);
}

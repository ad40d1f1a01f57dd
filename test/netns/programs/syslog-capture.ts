// Run where /dev/log is ours (a private mount namespace): listens on /dev/log, logs through
// LinuxLog in syslog mode, and prints each datagram syslog(3) sent, as JSON.
import { LinuxLog } from '../../../src/adapters/linux/log.js';
import { native, sys } from '../../../src/adapters/linux/addon.js';

const path = '/dev/log';
const addr = new Uint8Array(2 + 108);
new DataView(addr.buffer).setUint16(0, sys().AF_UNIX, true);
addr.set(new TextEncoder().encode(path), 2);
const fd = native().socket(sys().AF_UNIX, sys().SOCK_DGRAM, 0);
native().bind(fd, addr);

const log = new LinuxLog({ format: 'syslog', ident: 'testd' });
log.emit({ level: 'info', event: 'rs.sent', msg: 'sending RS on eth0', fields: { probe: 1 } });
log.emit({ level: 'warning', event: 'ra.dropped', msg: 'RA dropped' });
log.emit({ level: 'debug', event: 'x', msg: 'below the minimum level' });
log.close();

const buf = new Uint8Array(2048);
const got: string[] = [];
for (let i = 0; i < 100 && got.length < 2; i++) {
  const r = native().recvmsg(fd, buf);
  if (r) got.push(new TextDecoder().decode(buf.subarray(0, r.length)));
  else await new Promise((res) => setTimeout(res, 10));
}
process.stdout.write(JSON.stringify({ messages: got, pid: process.pid }) + '\n');

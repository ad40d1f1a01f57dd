/**
 * A real NOTIFY_SOCKET, as systemd makes one: an AF_UNIX datagram socket bound to a path in a
 * fresh directory (or an abstract name). `take()` returns the datagrams received so far.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { native, sys } from '../../src/adapters/linux/addon.js';
import { sockaddrUn } from '../../src/adapters/linux/sd-notify.js';

export class NotifySocket {
  readonly name: string;
  private readonly fd: number;
  private readonly dir: string | undefined;

  constructor(opts: { abstract?: boolean } = {}) {
    this.dir = opts.abstract ? undefined : mkdtempSync(join(tmpdir(), 'linklab-notify-'));
    this.name = this.dir ? join(this.dir, 'notify') : `@linklab-notify-${process.pid}-${Date.now()}`;
    this.fd = native().socket(sys().AF_UNIX, sys().SOCK_DGRAM, 0);
    native().bind(this.fd, sockaddrUn(this.name));
  }

  /** Every datagram waiting, as text. */
  take(): string[] {
    const out: string[] = [];
    const buf = new Uint8Array(4096);
    for (;;) {
      const r = native().recvmsg(this.fd, buf);
      if (!r) return out;
      out.push(new TextDecoder().decode(buf.subarray(0, r.length)));
    }
  }

  close(): void {
    native().close(this.fd);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

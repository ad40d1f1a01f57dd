/**
 * The privileged and unprivileged halves talk over one SOCK_SEQPACKET Unix socket: each message
 * is one JSON text, and may carry open file descriptors (SCM_RIGHTS), so the parent can hand over
 * a socket or a TUN device it opened at any time, atomically with the message describing it.
 */
import { native, sys } from '../addon.js';
import { FdWatch } from '../fd-watch.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };

export interface Envelope {
  message: Record<string, Json | undefined>;
  fds: number[];
}

const MAX_MESSAGE = 1 << 16;

function fdBytes(fds: number[]): Uint8Array {
  const b = new Uint8Array(4 * fds.length);
  const v = new DataView(b.buffer);
  fds.forEach((fd, i) => v.setInt32(4 * i, fd, true));
  return b;
}

export class Channel {
  private readonly watch: FdWatch;
  private readonly buf = new Uint8Array(MAX_MESSAGE);
  private handler: (e: Envelope) => void = () => undefined;
  private closeHandler: () => void = () => undefined;
  private closed = false;

  /** A connected pair: one end for each side (the child's end is passed at spawn). */
  static pair(): [number, number] {
    return native().socketpair(sys().AF_UNIX, sys().SOCK_SEQPACKET);
  }

  constructor(readonly fd: number) {
    this.watch = new FdWatch(fd, () => this.drain());
  }

  onMessage(handler: (e: Envelope) => void): void {
    this.handler = handler;
  }

  /** Called once when the other side has gone (its end closed, or it died). */
  onClose(handler: () => void): void {
    this.closeHandler = handler;
  }

  send(message: Record<string, Json | undefined>, fds: number[] = []): void {
    if (this.closed) return;
    const data = new TextEncoder().encode(JSON.stringify(message));
    if (data.length > MAX_MESSAGE) throw new Error(`privsep message of ${data.length} bytes is too long`);
    const c = sys();
    const cmsgs = fds.length ? [{ level: c.SOL_SOCKET, type: c.SCM_RIGHTS, data: fdBytes(fds) }] : null;
    const n = native().sendmsg(this.fd, data, null, cmsgs);
    if (n === null) throw new Error('privsep channel is full');
  }

  private drain(): void {
    const c = sys();
    while (!this.closed) {
      let r;
      try {
        r = native().recvmsg(this.fd, this.buf, c.MSG_CMSG_CLOEXEC);
      } catch {
        return this.end();
      }
      if (r === null) return;
      if (r.length === 0) return this.end(); // the peer closed its end
      const fds: number[] = [];
      for (const cm of r.cmsgs) {
        if (cm.level !== c.SOL_SOCKET || cm.type !== c.SCM_RIGHTS) continue;
        const v = new DataView(cm.data.buffer, cm.data.byteOffset, cm.data.byteLength);
        for (let i = 0; i + 4 <= cm.data.length; i += 4) fds.push(v.getInt32(i, true));
      }
      let message: Record<string, Json | undefined>;
      try {
        message = JSON.parse(new TextDecoder().decode(this.buf.subarray(0, r.length))) as Record<string, Json | undefined>;
      } catch {
        for (const fd of fds) native().close(fd);
        continue;
      }
      this.handler({ message, fds });
    }
  }

  private end(): void {
    if (this.closed) return;
    this.close();
    this.closeHandler();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.watch.stop();
    native().close(this.fd);
  }
}

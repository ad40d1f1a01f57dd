/**
 * A NETLINK_ROUTE socket: requests with acknowledgements and multipart dumps (one at a time, as
 * the kernel allows one dump per socket), and notifications from the groups it joined. Messages
 * are decoded with the rtnetlink codec; a datagram that does not decode is counted and reported,
 * never fatal. A receive-buffer overrun (ENOBUFS: notifications were lost) is reported so the
 * owner can dump again.
 */
import { DecodeError } from '../../../core/wire/errors.js';
import * as rtnl from '../../../core/wire/rtnetlink/index.js';
import type { RtnlMessage, RtnlMessageInput } from '../../../core/wire/rtnetlink/index.js';
import type { Unsubscribe } from '../../../core/ports.js';
import { Handlers } from '../../../core/handlers.js';
import { errnoCode, native, sys } from '../addon.js';
import { FdWatch } from '../fd-watch.js';
import { parseSockaddrNl, sockaddrNl } from '../sockaddr.js';
import { NetlinkError, errnoName } from './errors.js';

const TYPE_NAMES: Record<number, string> = {
  16: 'RTM_NEWLINK', 17: 'RTM_DELLINK', 18: 'RTM_GETLINK', 19: 'RTM_SETLINK',
  20: 'RTM_NEWADDR', 21: 'RTM_DELADDR', 22: 'RTM_GETADDR',
  24: 'RTM_NEWROUTE', 25: 'RTM_DELROUTE', 26: 'RTM_GETROUTE',
  28: 'RTM_NEWNEIGH', 29: 'RTM_DELNEIGH', 30: 'RTM_GETNEIGH',
};

export function typeName(type: number): string {
  return TYPE_NAMES[type] ?? `netlink type ${type}`;
}

export type Reply = (err: NetlinkError | null, messages: RtnlMessage[]) => void;

interface Pending {
  message: RtnlMessageInput;
  dump: boolean;
  done: Reply;
  seq: number;
  collected: RtnlMessage[];
  interrupted: boolean;
  retries: number;
}

export interface NetlinkOptions {
  /** RTNLGRP_* group numbers to join for notifications. */
  groups?: number[];
  /** Receive buffer in bytes (forced when privileged). */
  receiveBuffer?: number;
  /** Wrap an already open netlink socket (privilege separation hands these over). */
  fd?: number;
}

export class NetlinkSocket {
  readonly fd: number;
  private readonly watch: FdWatch;
  private readonly buf = new Uint8Array(65536);
  private seq = 1;
  private queue: Pending[] = [];
  private current: Pending | undefined;
  private readonly eventHandlers = new Handlers<RtnlMessage>();
  private readonly overrunHandlers = new Handlers();
  private closed = false;
  /** A socket without groups keeps the process alive only while a request is out. */
  private readonly requestOnly: boolean;
  /** Datagrams that failed to decode, and overruns seen. */
  readonly stats = { malformed: 0, overruns: 0, received: 0, errors: 0 };
  lastMalformed: DecodeError | undefined;
  lastError: Error | undefined;
  private failedReads = 0;

  constructor(options: NetlinkOptions = {}) {
    const addon = native();
    const c = sys();
    this.fd = options.fd ?? addon.socket(c.AF_NETLINK, c.SOCK_RAW, c.NETLINK_ROUTE);
    if (options.fd === undefined) {
      try {
        addon.setsockopt(this.fd, c.SOL_NETLINK, c.NETLINK_EXT_ACK, 1);
        addon.setsockopt(this.fd, c.SOL_NETLINK, c.NETLINK_CAP_ACK, 1);
        if (options.receiveBuffer) this.setReceiveBuffer(options.receiveBuffer);
        addon.bind(this.fd, sockaddrNl(0, 0));
        for (const g of options.groups ?? []) addon.setsockopt(this.fd, c.SOL_NETLINK, c.NETLINK_ADD_MEMBERSHIP, g);
      } catch (err) {
        addon.close(this.fd);
        throw err;
      }
    }
    this.watch = new FdWatch(this.fd, () => this.drain());
    this.requestOnly = (options.groups ?? []).length === 0 && options.fd === undefined;
    if (this.requestOnly) this.watch.unref();
  }

  /** The port id the kernel gave this socket. */
  get portId(): number {
    return parseSockaddrNl(native().getsockname(this.fd))?.pid ?? 0;
  }

  private setReceiveBuffer(bytes: number): void {
    const c = sys();
    try {
      native().setsockopt(this.fd, c.SOL_SOCKET, c.SO_RCVBUFFORCE, bytes);
    } catch {
      native().setsockopt(this.fd, c.SOL_SOCKET, c.SO_RCVBUF, bytes);
    }
  }

  onEvent(handler: (m: RtnlMessage) => void): Unsubscribe {
    return this.eventHandlers.add(handler);
  }

  /** Called when the kernel dropped notifications because the receive buffer was full. */
  onOverrun(handler: () => void): Unsubscribe {
    return this.overrunHandlers.add(handler);
  }

  /**
   * Sends a request. Dumps (NLM_F_DUMP) answer with every part; other requests are acknowledged
   * (NLM_F_ACK) and answer with what the kernel sent before the acknowledgement (a GET's reply).
   */
  request(message: RtnlMessageInput, done: Reply): void {
    if (this.closed) {
      queueMicrotask(() => done(new NetlinkError(typeName(message.header.type), 9, 'socket closed'), []));
      return;
    }
    const dump = (message.header.flags & rtnl.NLM_F_DUMP) === rtnl.NLM_F_DUMP;
    this.queue.push({ message, dump, done, seq: 0, collected: [], interrupted: false, retries: 0 });
    if (!this.current) this.next();
  }

  /** A dump of `type` (RTM_GETLINK, RTM_GETADDR, RTM_GETNEIGH, RTM_GETROUTE) for `family`. */
  dump(type: number, family: number, done: Reply): void {
    const header = { type, flags: rtnl.NLM_F_REQUEST | rtnl.NLM_F_DUMP, seq: 0, pid: 0 };
    const kind = rtnl.kindOfType(type);
    const base = { header, family, attributes: {} };
    const msg: RtnlMessageInput =
      kind === 'link'
        ? { kind, ...base, deviceType: 0, index: 0, flags: 0, change: 0 }
        : kind === 'address'
          ? { kind, ...base, prefixLength: 0, flags: 0, scope: 0, index: 0 }
          : kind === 'neighbor'
            ? { kind, ...base, index: 0, state: 0, flags: 0, type: 0 }
            : { kind: 'route', ...base, dstLength: 0, srcLength: 0, tos: 0, table: 0, protocol: 0, scope: 0, type: 0, flags: 0 };
    this.request(msg, done);
  }

  private next(): void {
    const p = this.queue.shift();
    this.current = p;
    if (this.requestOnly) {
      if (p) this.watch.ref();
      else this.watch.unref();
    }
    if (!p) return;
    p.seq = this.seq;
    this.seq = this.seq >= 0xffff_ffff ? 1 : this.seq + 1; // 0 is what notifications carry
    p.collected = [];
    p.interrupted = false;
    const header = { ...p.message.header, seq: p.seq, pid: 0, flags: p.message.header.flags | rtnl.NLM_F_REQUEST | (p.dump ? 0 : rtnl.NLM_F_ACK) };
    const bytes = rtnl.encode({ ...p.message, header } as RtnlMessageInput);
    let sent: number | null;
    try {
      sent = native().sendmsg(this.fd, bytes, sockaddrNl(0, 0), null);
    } catch (err) {
      this.finish(new NetlinkError(typeName(p.message.header.type), Math.abs((err as { errno?: number }).errno ?? 5), (err as Error).message));
      return;
    }
    if (sent === null) this.finish(new NetlinkError(typeName(p.message.header.type), 105, 'send buffer full'));
  }

  private finish(err: NetlinkError | null): void {
    const p = this.current;
    if (!p) return;
    if (!err && p.dump && p.interrupted && p.retries < 3) {
      // The table changed during the dump (NLM_F_DUMP_INTR): its parts may disagree. Dump again.
      p.retries++;
      this.queue.unshift(p);
      this.next();
      return;
    }
    this.current = undefined;
    try {
      p.done(err, err ? [] : p.collected);
    } finally {
      if (!this.closed && !this.current) this.next();
    }
  }

  private drain(): void {
    const addon = native();
    const c = sys();
    for (;;) {
      if (this.closed) return;
      let r;
      try {
        r = addon.recvmsg(this.fd, this.buf, c.MSG_TRUNC);
      } catch (err) {
        if (errnoCode(err) === 'ENOBUFS') {
          this.stats.overruns++;
          if (this.current?.dump) this.restartCurrent();
          this.overrunHandlers.emit();
          continue;
        }
        // Anything else is unexpected on a netlink socket; count it, and give up on a socket
        // that keeps failing rather than spin on it.
        this.stats.errors++;
        this.lastError = err as Error;
        if (++this.failedReads >= 64) this.watch.stop();
        return;
      }
      this.failedReads = 0;
      if (r === null) return;
      this.stats.received++;
      if (r.length > this.buf.length) {
        this.stats.malformed++;
        continue;
      }
      let messages: RtnlMessage[];
      try {
        messages = rtnl.decodeAll(this.buf.subarray(0, r.length));
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        this.stats.malformed++;
        this.lastMalformed = err;
        continue;
      }
      for (const m of messages) this.dispatch(m);
    }
  }

  private restartCurrent(): void {
    const p = this.current;
    if (!p) return;
    // Parts of the dump were lost with the overrun; the kernel may still send the rest under the
    // old sequence number, which is now ignored.
    this.current = undefined;
    p.retries++;
    this.queue.unshift(p);
    this.next();
  }

  private dispatch(m: RtnlMessage): void {
    const p = this.current;
    if (p && m.header.seq === p.seq) {
      if (m.kind === 'error') {
        const detail = m.extAck?.message;
        return this.finish(m.error === 0 ? null : new NetlinkError(typeName(p.message.header.type), -m.error, detail));
      }
      if (m.kind === 'done') {
        if (m.error !== 0) return this.finish(new NetlinkError(typeName(p.message.header.type), -m.error, m.extAck?.message));
        return this.finish(null);
      }
      const isGet = rtnl.kindOfType(p.message.header.type) !== 'other' && (p.message.header.type & 3) === 2;
      if (p.dump && (m.header.flags & rtnl.NLM_F_MULTI) !== 0) {
        if ((m.header.flags & rtnl.NLM_F_DUMP_INTR) !== 0) p.interrupted = true;
        p.collected.push(m);
        return;
      }
      if (!p.dump && isGet) {
        p.collected.push(m);
        return;
      }
    }
    this.eventHandlers.emit(m);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.watch.stop();
    native().close(this.fd);
    const pending = [this.current, ...this.queue].filter((p): p is Pending => p !== undefined);
    this.current = undefined;
    this.queue = [];
    for (const p of pending) p.done(new NetlinkError(typeName(p.message.header.type), 9, 'socket closed'), []);
  }
}

export { NetlinkError, errnoName };

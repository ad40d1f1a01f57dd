/**
 * sd_notify's wire protocol against a real AF_UNIX datagram socket: the state arrives as one
 * datagram, at a path or an abstract name; no NOTIFY_SOCKET means nothing is sent; a socket named
 * but absent is an error naming it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sdNotify, sockaddrUn } from '../../../src/adapters/linux/sd-notify.js';
import { NotifySocket } from '../../helpers/notify-socket.js';

const sockets: NotifySocket[] = [];
afterEach(() => sockets.splice(0).forEach((s) => s.close()));

describe('sdNotify', () => {
  it('sends READY=1 and MAINPID as one datagram to a socket path', () => {
    const s = new NotifySocket();
    sockets.push(s);
    expect(sdNotify(`READY=1\nMAINPID=${process.pid}`, { NOTIFY_SOCKET: s.name })).toBe(true);
    expect(s.take()).toEqual([`READY=1\nMAINPID=${process.pid}`]);
  });

  it('reaches an abstract socket named with @', () => {
    const s = new NotifySocket({ abstract: true });
    sockets.push(s);
    sdNotify('READY=1', { NOTIFY_SOCKET: s.name });
    expect(s.take()).toEqual(['READY=1']);
  });

  it('sends nothing without NOTIFY_SOCKET', () => {
    expect(sdNotify('READY=1', {})).toBe(false);
  });

  it('names the socket it could not reach', () => {
    expect(() => sdNotify('READY=1', { NOTIFY_SOCKET: '/nonexistent/notify' })).toThrow(/NOTIFY_SOCKET \/nonexistent\/notify: .*ENOENT|No such file/);
  });

  it('refuses a name longer than sun_path', () => {
    expect(() => sockaddrUn(`/${'x'.repeat(120)}`)).toThrow(/1 to 107 bytes/);
  });
});

/**
 * Calls a drain function whenever a non-blocking file descriptor becomes readable (libuv's
 * uv_poll through the addon). The drain reads until the descriptor would block.
 *
 * A socket with a pending error (a netlink overrun sets ENOBUFS) polls as POLLERR, which libuv
 * reports as status UV_EBADF and stops the handle. The drain is still called, since reading is
 * how the error is collected, and the watch is started again.
 */
import { native } from './addon.js';
import type { PollerHandle } from './addon.js';

export class FdWatch {
  private poller: PollerHandle | undefined;

  constructor(
    readonly fd: number,
    drain: () => void,
  ) {
    const addon = native();
    this.poller = new addon.Poller(fd, (status) => {
      drain();
      // On POLLERR libuv stopped the handle; start it again unless drain() stopped this watch.
      if (status < 0) this.poller?.start(addon.Poller.READABLE);
    });
    this.poller.start(addon.Poller.READABLE);
  }

  /** Lets the process exit while this descriptor is still watched. */
  unref(): this {
    this.poller?.unref();
    return this;
  }

  ref(): this {
    this.poller?.ref();
    return this;
  }

  /** Stops watching (the descriptor itself stays open). */
  stop(): void {
    this.poller?.close();
    this.poller = undefined;
  }
}

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
  private refd = true;

  constructor(
    readonly fd: number,
    drain: () => void,
  ) {
    const addon = native();
    this.poller = new addon.Poller(fd, () => {
      drain();
      // libuv stopped the handle on POLLERR; drain() may also have stopped this watch.
      this.poller?.start(addon.Poller.READABLE);
      if (!this.refd) this.poller?.unref();
    });
    this.poller.start(addon.Poller.READABLE);
  }

  /** Lets the process exit while this descriptor is still watched. */
  unref(): this {
    this.refd = false;
    this.poller?.unref();
    return this;
  }

  ref(): this {
    this.refd = true;
    this.poller?.ref();
    return this;
  }

  /** Stops watching (the descriptor itself stays open). */
  stop(): void {
    this.poller?.close();
    this.poller = undefined;
  }
}

/**
 * Calls a drain function whenever a non-blocking file descriptor becomes readable (libuv's
 * uv_poll through the addon). The drain reads until the descriptor would block.
 */
import { native } from './addon.js';
import type { PollerHandle } from './addon.js';

export class FdWatch {
  private poller: PollerHandle | undefined;

  constructor(
    readonly fd: number,
    drain: () => void,
    onError: (err: Error) => void = (err) => {
      throw err;
    },
  ) {
    const addon = native();
    this.poller = new addon.Poller(fd, (status) => {
      if (status < 0) onError(new Error(`poll on fd ${fd} failed (libuv status ${status})`));
      else drain();
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

/**
 * Counters every socket-backed port keeps: a daemon never dies on a bad packet or a failed send,
 * it counts them (and the owner may log the last error).
 */
import { Handlers } from '../../core/handlers.js';

export class PortStats {
  received = 0;
  sent = 0;
  /** Received packets that did not decode or were not what the socket is for. */
  malformed = 0;
  /** Sends dropped: the device was busy (EAGAIN/ENOBUFS) or refused (ENETDOWN, EMSGSIZE...). */
  dropped = 0;
  lastError: Error | undefined;
  private readonly listeners = new Handlers<Error>();

  /** Called with each send error (the frame was dropped) and each malformed packet's reason. */
  onError(handler: (err: Error) => void): () => void {
    return this.listeners.add(handler);
  }

  error(err: Error): void {
    this.lastError = err;
    this.listeners.emit(err);
  }

  private failedReads = 0;

  /**
   * Records a failed read. Returns true when reads keep failing with nothing in between (the
   * descriptor is broken): the caller then stops watching it rather than spin on it.
   */
  readFailed(err: Error): boolean {
    this.error(err);
    return ++this.failedReads >= 64;
  }

  /** A read succeeded: failures are no longer consecutive. */
  readOk(): void {
    this.failedReads = 0;
  }

  drop(err?: Error): void {
    this.dropped++;
    if (err) this.error(err);
  }
}

/**
 * What the queue adapter reports to a command: one line, the password already taken out, and the
 * flag it is about when there is one (the command names it).
 */
export class QueueError extends Error {
  override readonly name = 'QueueError';

  constructor(
    message: string,
    readonly flag?: 'queue' | 'resume',
  ) {
    super(message);
  }
}

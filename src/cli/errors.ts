/** Errors a command reports as one line on stderr before exiting non-zero. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** A setting arpd cannot start with; the command reports it and exits 255 like the original. */
export class ArpdError extends Error {
  override readonly name = 'ArpdError';
}

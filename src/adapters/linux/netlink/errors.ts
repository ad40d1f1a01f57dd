/** A failed rtnetlink request, named the way `ip` would report it. */
import { constants } from 'node:os';

const names = new Map<number, string>();
for (const [name, n] of Object.entries(constants.errno)) if (!names.has(n)) names.set(n, name);

export function errnoName(errno: number): string {
  return names.get(Math.abs(errno)) ?? `errno ${Math.abs(errno)}`;
}

export class NetlinkError extends Error {
  override readonly name = 'NetlinkError';
  /** EEXIST, ENODEV, EPERM... */
  readonly code: string;

  constructor(
    readonly request: string,
    /** Positive errno. */
    readonly errno: number,
    readonly detail?: string,
  ) {
    super(`${request}: ${errnoName(errno)}${detail ? ` (${detail})` : ''}`);
    this.code = errnoName(errno);
  }
}

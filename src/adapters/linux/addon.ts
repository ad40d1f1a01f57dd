/**
 * Loads the native addon (src/adapters/linux/native, built by node-gyp on `npm install`) and gives
 * its functions types. It resolves the same file from src/ (vitest, tsx) and from dist/ (the CLI).
 * Netlink and every other binary format are host byte order here, which this project assumes is
 * little-endian: loading stops with a clear error on any other machine.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Cmsg {
  level: number;
  type: number;
  data: Uint8Array;
}

export interface Received {
  /** Bytes in the datagram (its real size when MSG_TRUNC was asked for). */
  length: number;
  flags: number;
  /** The sender's sockaddr bytes. */
  address: Uint8Array;
  cmsgs: Cmsg[];
}

export interface PollerHandle {
  start(events: number): void;
  stop(): void;
  close(): void;
  ref(): void;
  unref(): void;
}

export interface NativeAddon {
  read(fd: number, buf: Uint8Array): number | null;
  write(fd: number, data: Uint8Array): number | null;
  close(fd: number): void;
  setBlocking(fd: number, blocking: boolean): void;
  socket(domain: number, type: number, protocol: number): number;
  socketpair(domain: number, type: number): [number, number];
  bind(fd: number, address: Uint8Array): void;
  setsockopt(fd: number, level: number, name: number, value: number | Uint8Array): void;
  getsockoptInt(fd: number, level: number, name: number): number;
  getsockname(fd: number): Uint8Array;
  sendmsg(fd: number, data: Uint8Array, address: Uint8Array | null, cmsgs: Cmsg[] | null, flags?: number): number | null;
  recvmsg(fd: number, buf: Uint8Array, flags?: number): Received | null;
  openTun(name: string, tap: boolean): { fd: number; name: string };
  tunSetPersist(fd: number, on: number): void;
  tunSetOwner(fd: number, uid: number): void;
  tunSetGroup(fd: number, gid: number): void;
  Poller: { new (fd: number, callback: (status: number, events: number) => void): PollerHandle; READABLE: number; WRITABLE: number };
  openlog(ident: string, option?: number, facility?: number): void;
  syslog(priority: number, message: string): void;
  closelog(): void;
  lockWrite(fd: number): boolean;
  lockHolder(fd: number): number;
  ifNameToIndex(name: string): number;
  ifIndexToName(ifindex: number): string | null;
  ifHardwareAddress(name: string): Uint8Array | null;
  withNetns<T>(path: string, fn: () => T): T;
  /** Batched I/O (batch.cc): up to `maxBatch` packets per call in slots of one buffer. */
  readPackets(fd: number, buf: Uint8Array, slotSize: number, headroom: number, max: number, lengths: Int32Array): number;
  recvPackets(fd: number, buf: Uint8Array, slotSize: number, max: number, lengths: Int32Array): number;
  sendIpv4Packets(fd: number, buf: Uint8Array, offsets: Int32Array, lengths: Int32Array, count: number): number;
  writePackets(fd: number, buf: Uint8Array, offsets: Int32Array, lengths: Int32Array, count: number): number;
  maxBatch: number;
  /** SIOCADDPRL (add) / SIOCDELPRL on a SIT ISATAP tunnel (sit.cc); throws the errno. */
  sitPrl(ifname: string, add: boolean, address: Uint8Array, defaultRouter: boolean): void;
  constants: Record<string, number>;
  syslogConstants: Record<string, number>;
}

const BINARY = join('src', 'adapters', 'linux', 'native', 'build', 'Release', 'linklab_native.node');

/** The package root: the nearest directory above this file holding package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('linklab: cannot find the package root to load the native addon from');
    dir = up;
  }
  return dir;
}

let loaded: NativeAddon | undefined;

/** The addon; throws an Error saying how to build it when it is missing or cannot load. */
export function native(): NativeAddon {
  if (loaded) return loaded;
  if (endianness() !== 'LE') throw new Error('linklab: the Linux adapters assume a little-endian host (netlink uses host byte order)');
  const path = join(packageRoot(), BINARY);
  if (!existsSync(path)) {
    throw new Error(`linklab: the native addon is not built (${BINARY} is missing): run \`npm run build:addon\` (needs g++, make, python3 and Node headers)`);
  }
  try {
    loaded = createRequire(import.meta.url)(path) as NativeAddon;
  } catch (err) {
    throw new Error(`linklab: the native addon ${BINARY} failed to load: ${(err as Error).message}; rebuild it with \`npm run build:addon\``);
  }
  return loaded;
}

/** The addon's socket constants (AF_*, SOL_*, IPV6_*, ...), as the system headers define them. */
export function sys(): Record<string, number> {
  return native().constants;
}

/** A Node-style error (message, code, errno, syscall) as the addon throws them. */
export type ErrnoError = Error & { code?: string; errno?: number; syscall?: string };

export function errnoCode(err: unknown): string | undefined {
  return err instanceof Error ? (err as ErrnoError).code : undefined;
}

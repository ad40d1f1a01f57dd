/**
 * Netlink is host byte order, and linklab runs on little-endian hosts (the Linux adapter checks
 * `os.endianness()` before it opens a socket). These reads and writes are little-endian on
 * purpose, whatever the machine running a test is: the codec's bytes never depend on the host.
 * Callers check bounds first (see `need`).
 */

export function le16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function le32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** A signed 32-bit value (ifindex in ndmsg/ifinfomsg, errno in nlmsgerr). */
export function le32s(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}

export function putLe16(b: Uint8Array, o: number, v: number): void {
  b[o] = v;
  b[o + 1] = v >>> 8;
}

export function putLe32(b: Uint8Array, o: number, v: number): void {
  b[o] = v;
  b[o + 1] = v >>> 8;
  b[o + 2] = v >>> 16;
  b[o + 3] = v >>> 24;
}

/** Netlink aligns messages and attributes to 4 bytes (NLMSG_ALIGN, RTA_ALIGN). */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

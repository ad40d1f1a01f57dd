/** Reading what a user hands a command: a file, or standard input. */
import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';

export async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const all = Buffer.concat(chunks);
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}

/** Reads `path` (`-` is standard input); a missing or unreadable file is a UsageError naming it. */
export async function readInput(path: string): Promise<Uint8Array> {
  if (path === '-') return readStdin();
  try {
    const b = await readFile(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(err);
    throw new UsageError(`${path}: ${why}`);
  }
}

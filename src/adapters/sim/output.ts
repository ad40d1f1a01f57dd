/**
 * Files a run writes (pcapng, trace): opened before the run, written in large chunks with
 * synchronous writes so bytes land in event order, closed at the end.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const CHUNK = 1 << 16;

export class OutputFileError extends Error {
  override readonly name = 'OutputFileError';
}

export class FileSink {
  private readonly fd: number;
  private parts: Uint8Array[] = [];
  private size = 0;
  private readonly encoder = new TextEncoder();

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(err);
      throw new OutputFileError(`${path}: ${why}`);
    }
  }

  write(chunk: Uint8Array): void {
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size >= CHUNK) this.flush();
  }

  /** A line of text and a newline. */
  line(text: string): void {
    this.write(this.encoder.encode(text + '\n'));
  }

  flush(): void {
    if (this.size === 0) return;
    const all = Buffer.concat(this.parts, this.size);
    let off = 0;
    while (off < all.length) off += writeSync(this.fd, all, off);
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

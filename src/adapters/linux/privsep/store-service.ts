/**
 * A database the privileged parent holds for its unprivileged child (arpd's LMDB file): the file
 * stays root's and the child never opens it, so a compromised parser cannot write anything but
 * well-formed records through this service, nor leave a crafted file for root's next `-l` to
 * read. The child reads everything once at start (`store.read`, in chunks, from one snapshot)
 * and sends its writes at each sync (`store.write`, in chunks, the last with `commit`); the
 * parent applies a whole sync in one transaction, or nothing of it.
 */
import type { Store } from '../../../core/ports.js';
import type { Json } from './channel.js';
import type { PrivsepService } from './parent.js';
import { BatchError, fromBase64, packEntries, toBase64, unpackOps, type StoreOp } from './store-batch.js';

/** A store that can write a batch in one transaction directly (LmdbStore.apply). */
interface BatchWriter {
  apply(ops: Iterable<StoreOp>): void;
}

const canApply = (s: Store): s is Store & BatchWriter => typeof (s as Partial<BatchWriter>).apply === 'function';

export interface StoreServiceOptions {
  /** Why a record may not be stored (a malformed key or value), or undefined when it may. */
  check?: (key: Uint8Array, value: Uint8Array) => string | undefined;
  /** Told after each commit (for logs). */
  onCommit?: (ops: number) => void;
}

export class StoreService {
  private staged: StoreOp[] = [];
  private snapshot: Uint8Array[] | undefined;
  /** Syncs committed so far. */
  commits = 0;

  constructor(
    readonly store: Store,
    private readonly opts: StoreServiceOptions = {},
  ) {}

  /** The operations, for PrivsepOptions.services. */
  services(): Record<string, PrivsepService> {
    return {
      'store.read': (args, reply) => this.read(args, reply),
      'store.write': (args, reply) => this.write(args, reply),
    };
  }

  /** Forgets writes of a sync that never committed (the child died halfway). */
  discard(): void {
    this.staged = [];
    this.snapshot = undefined;
  }

  private read(args: Record<string, Json | undefined>, reply: (error?: string, result?: Json) => void): void {
    const chunk = args.chunk;
    if (typeof chunk !== 'number' || !Number.isInteger(chunk) || chunk < 0) return reply('bad request: chunk must be an integer >= 0');
    if (chunk === 0) this.snapshot = packEntries(this.store.entries());
    const chunks = this.snapshot;
    if (!chunks || chunk >= chunks.length) return reply(`bad request: no chunk ${chunk} (read chunk 0 first)`);
    const more = chunk + 1 < chunks.length;
    if (!more) this.snapshot = undefined;
    reply(undefined, { data: toBase64(chunks[chunk]), more });
  }

  private write(args: Record<string, Json | undefined>, reply: (error?: string, result?: Json) => void): void {
    let ops: StoreOp[];
    try {
      ops = unpackOps(fromBase64(args.data, 'data'));
      for (const op of ops) {
        const why = op.value && this.opts.check?.(op.key, op.value);
        if (why) throw new BatchError(why);
      }
    } catch (err) {
      // A sync with a bad record is refused whole, so no half of it ever commits.
      this.staged = [];
      return reply(`store.write refused: ${(err as Error).message}`);
    }
    for (const op of ops) this.staged.push(op);
    if (args.commit !== true) return reply(undefined, { staged: this.staged.length });
    const batch = this.staged;
    this.staged = [];
    try {
      if (canApply(this.store)) this.store.apply(batch);
      else {
        for (const op of batch) {
          if (op.value) this.store.put(op.key, op.value);
          else this.store.delete(op.key);
        }
        this.store.sync();
      }
    } catch (err) {
      return reply(`store.write: ${(err as Error).message}`);
    }
    this.commits++;
    this.opts.onCommit?.(batch.length);
    reply(undefined, { committed: batch.length });
  }
}

// Writes generations to a store: each sync puts N keys all holding the generation number, so a
// reader that ever sees two generations at once has seen a torn sync; it goes on until killed.
// `crash` mode syncs
// generation 1, writes generation 2 without syncing, prints "unsynced" and waits to be killed.
import { LmdbStore } from '../../../../src/adapters/linux/store.js';

const [path, mode, countText] = process.argv.slice(2);
const count = Number(countText ?? 50);
const store = new LmdbStore(path);
const key = (i: number): Uint8Array => new Uint8Array([0, i >> 8, i & 0xff]);
const value = (g: number): Uint8Array => new Uint8Array([g >> 24, (g >> 16) & 0xff, (g >> 8) & 0xff, g & 0xff]);

function generation(g: number): void {
  for (let i = 0; i < count; i++) store.put(key(i), value(g));
}

if (mode === 'crash') {
  generation(1);
  store.sync();
  generation(2);
  store.put(new Uint8Array([1]), value(2)); // a key that only the unsynced generation has
  process.stdout.write('unsynced\n');
  setInterval(() => undefined, 1000);
} else {
  let g = 0;
  const step = (): void => {
    generation(++g);
    store.sync();
    if (g === 1) process.stdout.write('first sync\n');
    setImmediate(step);
  };
  step();
}

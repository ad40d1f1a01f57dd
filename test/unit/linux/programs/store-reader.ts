// Reads the store opened read-only, again and again while a writer runs, and reports every read
// whose keys do not all hold the same generation (a torn sync). Prints "reads N torn M max G".
import { LmdbStore } from '../../../../src/adapters/linux/store.js';

const [path, roundsText] = process.argv.slice(2);
const store = new LmdbStore(path, { readOnly: true });
let torn = 0;
let max = 0;
let reads = 0;
for (let r = 0; r < Number(roundsText ?? 300); r++) {
  const gens = new Set<number>();
  for (const [, v] of store.entries()) gens.add((v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3]);
  if (gens.size > 1) torn++;
  for (const g of gens) max = Math.max(max, g);
  reads++;
}
store.close();
process.stdout.write(`reads ${reads} torn ${torn} max ${max}\n`);

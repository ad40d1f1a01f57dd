// Reads the store opened read-only, again and again while a writer runs, and reports every read
// whose keys do not all hold the same generation (a torn sync). It reads at least ROUNDS times
// and until it has seen 5 different generations (or 30 s passed). Prints "reads N torn M seen G".
import { LmdbStore } from '../../../../src/adapters/linux/store.js';

const [path, roundsText] = process.argv.slice(2);
const store = new LmdbStore(path, { readOnly: true });
let torn = 0;
let reads = 0;
const seen = new Set<number>();
const deadline = Date.now() + 30_000;
while ((reads < Number(roundsText ?? 300) || seen.size < 5) && Date.now() < deadline) {
  const gens = new Set<number>();
  for (const [, v] of store.entries()) gens.add((v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3]);
  if (gens.size > 1) torn++;
  for (const g of gens) seen.add(g);
  reads++;
}
store.close();
process.stdout.write(`reads ${reads} torn ${torn} seen ${seen.size}\n`);

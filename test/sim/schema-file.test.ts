/** schema/topology.schema.json is what `linklab sim schema` prints, and it is a schema that works. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaFor } from '../../src/adapters/sim/topology/load.js';
import { newAjv } from '../../src/adapters/sim/topology/validate.js';
import { REPO } from './helpers/cli.js';

const FILE = join(REPO, 'schema', 'topology.schema.json');

describe('schema/topology.schema.json', () => {
  it('is up to date with the code (regenerate: linklab sim schema > schema/topology.schema.json)', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(JSON.stringify(schemaFor(), null, 2) + '\n');
  });

  it('accepts every shipped topology and rejects a broken one, as a standalone schema', () => {
    const validate = newAjv().compile(JSON.parse(readFileSync(FILE, 'utf8')));
    const good = parse(readFileSync(join(REPO, 'sim', 'topologies', 'ra-basic.yaml'), 'utf8'));
    expect(validate(good), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...good, nodes: { r1: { ...good.nodes.r1, kind: 'no-such-kind' } } })).toBe(false);
    expect(validate({ ...good, segments: { lan: { faults: { loss: 2 } } } })).toBe(false);
  });
});

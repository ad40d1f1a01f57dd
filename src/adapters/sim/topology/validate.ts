/**
 * Schema validation with ajv (allErrors), and ajv's errors turned into messages a person can act
 * on: which key is unknown (and what was meant), what was expected (from the schema's
 * `description`), what was there instead. Each message keeps its document path for the locator.
 */
import * as ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { Path } from './types.js';

// ajv is CommonJS: under NodeNext its default export arrives as a property of the module.
const Ajv2020 = ajv2020.default.default ?? ajv2020.default;
type Ajv = InstanceType<typeof ajv2020.default.default>;

export interface SchemaProblem {
  path: Path;
  atKey: boolean;
  message: string;
}

export function newAjv(): Ajv {
  // strict off: node kinds bring their own schemas, and an annotation keyword ajv does not know
  // must not stop a topology from loading.
  return new Ajv2020({ allErrors: true, verbose: true, strict: false });
}

const compiled = new WeakMap<object, ValidateFunction>();

/** Compiles `schema` once (keyed by the object). */
export function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const known = compiled.get(schema);
  if (known) return known;
  const v = newAjv().compile(schema);
  compiled.set(schema, v);
  return v;
}

function pointerToPath(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** A value as it would read in the file, shortened. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  const s = JSON.stringify(v);
  return s.length > 48 ? s.slice(0, 45) + '..."' : s;
}

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** " (did you mean "x"?)" or " (expected one of ...)" for a word not among `known`. */
export function suggest(word: string, known: readonly string[]): string {
  if (known.length === 0) return '';
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(word, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  if (best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 3))) return ` (did you mean "${best}"?)`;
  return known.length <= 16 ? ` (expected one of ${known.join(', ')})` : '';
}

function describeOf(e: ErrorObject): string | undefined {
  const d = (e.parentSchema as { description?: unknown } | undefined)?.description;
  return typeof d === 'string' ? d : undefined;
}

function messageOf(e: ErrorObject): SchemaProblem | null {
  const path = pointerToPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  const desc = describeOf(e);
  const ps = (e.parentSchema ?? {}) as { properties?: Record<string, { description?: string }> };
  if (e.propertyName !== undefined) {
    return { path: [...path, e.propertyName], atKey: true, message: `the name "${e.propertyName}" is not ${desc ?? 'allowed here'}` };
  }
  switch (e.keyword) {
    case 'if':
    case 'propertyNames':
      return null; // the branch errors say it better
    case 'required': {
      const missing = String(p.missingProperty);
      const d = ps.properties?.[missing]?.description;
      return { path, atKey: true, message: `missing "${missing}"${d ? ` (${d})` : ''}` };
    }
    case 'additionalProperties': {
      const extra = String(p.additionalProperty);
      return { path: [...path, extra], atKey: true, message: `unknown key "${extra}"${suggest(extra, Object.keys(ps.properties ?? {}))}` };
    }
    case 'type':
      return { path, atKey: false, message: `expected ${desc ?? article(String(p.type))}, got ${show(e.data)}` };
    case 'pattern':
    case 'format':
      return { path, atKey: false, message: `expected ${desc ?? `text matching ${String(p.pattern ?? p.format)}`}, got ${show(e.data)}` };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      const near = typeof e.data === 'string' ? suggest(e.data, allowed) : '';
      return { path, atKey: false, message: `${show(e.data)} is not allowed here${near || ` (expected one of ${allowed.join(', ')})`}` };
    }
    case 'const':
      return { path, atKey: false, message: `expected ${JSON.stringify(p.allowedValue)}, got ${show(e.data)}` };
    case 'anyOf':
    case 'oneOf':
      return { path, atKey: false, message: `expected ${desc ?? 'one of the allowed forms'}, got ${show(e.data)}` };
    case 'minProperties':
    case 'maxProperties':
      return { path, atKey: false, message: desc ? `expected ${desc}` : `expected ${e.keyword === 'minProperties' ? 'at least' : 'at most'} ${String(p.limit)} entries` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, atKey: false, message: `expected ${desc ?? 'a number'} ${String(p.comparison)} ${String(p.limit)}, got ${show(e.data)}` };
    case 'minItems':
    case 'maxItems':
      return { path, atKey: false, message: `expected ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${String(p.limit)} item${p.limit === 1 ? '' : 's'}, got ${Array.isArray(e.data) ? e.data.length : show(e.data)}` };
    case 'minLength':
    case 'maxLength':
      return { path, atKey: false, message: `expected ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${String(p.limit)} characters, got ${show(e.data)}` };
    default:
      return { path, atKey: false, message: `${desc ? `expected ${desc}: ` : ''}${e.message ?? e.keyword}, got ${show(e.data)}` };
  }
}

function article(type: string): string {
  const words: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'text', integer: 'a whole number', number: 'a number', boolean: 'true or false', null: 'nothing' };
  return type
    .split(',')
    .map((t) => words[t] ?? t)
    .join(' or ');
}

/** Validates `data`; returns every problem, or an empty list. */
export function schemaProblems(validate: ValidateFunction, data: unknown): SchemaProblem[] {
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  // An anyOf's branches each complain at the same place; its own message ("expected X") is enough.
  const alternatives = new Set(errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath));
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (alternatives.has(e.instancePath) && e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.propertyName === undefined) continue;
    const m = messageOf(e);
    if (!m) continue;
    const key = JSON.stringify(m.path) + m.message;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
  }
  return out;
}

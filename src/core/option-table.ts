/**
 * A daemon's options, declared once (src/core/<daemon>/options.ts). From the table come the
 * command line (getopt specs, src/cli/option-table.ts), oclif's --help flags, the option list and
 * synopsis of --help and of the man page, the JSON Schema of the daemon's options in a simulator
 * topology (`optionsSchema`), and the value checks the command line and the config check share.
 */

export type OptionType =
  /** Present or not. */
  | 'flag'
  /** Each time it is given counts (-v -v). */
  | 'count'
  | 'text'
  | 'integer'
  | 'number'
  /** Several values (a topology's list; on the command line, the option given again). */
  | 'list'
  /** One of `choices`. */
  | 'choice';

export interface OptionDef {
  /** The setting's name: its config field, and its key in a topology's `options` (camelCase). */
  readonly name: string;
  readonly short?: string;
  readonly long?: string;
  /** The value's name in the option list (`script`, `N`); an option without one takes no value. */
  readonly arg?: string;
  readonly type: OptionType;
  readonly choices?: readonly string[];
  readonly default?: string | number | boolean;
  /** How the help shows the default when not as the value itself ("auto", "3600 seconds"). */
  readonly defaultText?: string;
  /** Range of an integer or number setting, as a topology's schema states it. */
  readonly min?: number;
  readonly max?: number;
  /** What it does, for --help and the man page; may run over lines. */
  readonly help: string;
  /** Where it exists: only on the command line (pidfile, user, logging), only in the simulator, or both (the default). */
  readonly only?: 'cli' | 'sim';
  /** The programs that take it, when not all (rtsol has fewer flags than rtsold). */
  readonly programs?: readonly string[];
  /** Not in the original program: its error messages name the option. */
  readonly linklab?: boolean;
  /** Left out of the short option list (described with another option). */
  readonly unlisted?: boolean;
  /** Where --help starts a new group of options. */
  readonly group?: number;
  /**
   * The rule a value must meet: undefined when it does, else the message (the original's words
   * where it had the rule). The command line checks a value where the original did, and the
   * config check (the simulator's) checks every setting, both with this.
   */
  readonly check?: (value: never) => string | undefined;
}

export type OptionTable = readonly OptionDef[];

/** The options `program` takes on its command line, in table order. */
export function commandLineOptions(table: OptionTable, program?: string): OptionDef[] {
  return table.filter((d) => d.only !== 'sim' && (program === undefined || d.programs === undefined || d.programs.includes(program)));
}

/** The options a simulator topology gives, in table order. */
export function topologyOptions(table: OptionTable): OptionDef[] {
  return table.filter((d) => d.only !== 'cli');
}

export function optionNamed(table: OptionTable, name: string): OptionDef {
  const d = table.find((o) => o.name === name);
  if (!d) throw new Error(`no option ${name}`);
  return d;
}

/** "a, b or c". */
export function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** The check of `d` on `value`: its own rule, or for a choice, being one of the choices. */
export function checkValue(d: OptionDef, value: unknown): string | undefined {
  if (d.type === 'choice' && d.choices && !d.choices.includes(value as string)) return `expected ${orList(d.choices)}, got ${JSON.stringify(value)}`;
  return d.check ? (d.check as (v: unknown) => string | undefined)(value) : undefined;
}

/** Runs the checks of the topology options that `values` sets; returns the first failure as [name, message]. */
export function firstProblem(table: OptionTable, values: Record<string, unknown>): [string, string] | undefined {
  for (const d of topologyOptions(table)) {
    if (values[d.name] === undefined) continue;
    const why = checkValue(d, values[d.name]);
    if (why !== undefined) return [d.name, why];
  }
  return undefined;
}

function fits(d: OptionDef, v: unknown, types: string[] | undefined): boolean {
  if (types) return types.some((t) => (t === 'integer' ? Number.isInteger(v) : typeof v === t));
  switch (d.type) {
    case 'flag':
      return typeof v === 'boolean';
    case 'count':
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'list':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'choice':
    case 'text':
      return typeof v === 'string';
  }
}

/**
 * What a topology's options get wrong in shape (what optionsSchema states): an unknown name or a
 * value of the wrong type, as [name, message]; the loader's schema check usually says it first.
 */
export function shapeProblem(table: OptionTable, daemon: string, values: Record<string, unknown>, valueTypes: Record<string, string[]> = {}): [string, string] | undefined {
  const known = topologyOptions(table);
  for (const k of Object.keys(values)) {
    if (!known.some((d) => d.name === k)) return [k, `not an ${daemon} option (known: ${known.map((d) => d.name).join(', ')})`];
  }
  for (const d of known) {
    const v = values[d.name];
    if (v !== undefined && !fits(d, v, valueTypes[d.name])) return [d.name, `expected ${valueTypes[d.name] ? 'a value as for the flag' : expected(d)}, got ${JSON.stringify(v)}`];
  }
  return undefined;
}

function expected(d: OptionDef): string {
  switch (d.type) {
    case 'flag':
      return 'true or false';
    case 'count':
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'list':
      return 'a list of names';
    case 'choice':
      return orList(d.choices ?? []);
    case 'text':
      return 'text';
  }
}

function jsonType(d: OptionDef): Record<string, unknown> {
  switch (d.type) {
    case 'flag':
      return { type: 'boolean' };
    case 'count':
    case 'integer':
      return { type: 'integer', ...(d.min !== undefined ? { minimum: d.min } : {}), ...(d.max !== undefined ? { maximum: d.max } : {}) };
    case 'number':
      return { type: 'number', ...(d.min !== undefined ? { minimum: d.min } : {}), ...(d.max !== undefined ? { maximum: d.max } : {}) };
    case 'list':
      return { type: 'array', items: { type: 'string' } };
    case 'choice':
      return { enum: [...(d.choices ?? [])] };
    case 'text':
      return { type: 'string' };
  }
}

/**
 * The JSON Schema of a daemon's options in a topology. Each property's `description` says what
 * is expected, then what the option does (schema errors quote the first part), and `title` is the
 * help line. `valueTypes` overrides the JSON type of settings a topology may give as a number or
 * as the flag's text (isatapd's `mtu: auto`).
 */
export function optionsSchema(table: OptionTable, valueTypes: Record<string, string[]> = {}): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const d of topologyOptions(table)) {
    const flag = [d.short ? `-${d.short}` : undefined, d.long ? `--${d.long}` : undefined].filter(Boolean).join(', ');
    const help = `${flag ? `${flag}: ` : ''}${d.help.replace(/\s*\n\s*/g, ' ')}`;
    const types = valueTypes[d.name];
    properties[d.name] = {
      ...(types ? { type: types } : jsonType(d)),
      title: help,
      description: `${types ? 'a value as for the flag' : expected(d)} (${help})`,
    };
  }
  return { type: 'object', additionalProperties: false, properties };
}

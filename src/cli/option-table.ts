/**
 * What a command line makes of a daemon's option table (src/core/option-table.ts): getopt's
 * specs, oclif's flags for --help, and the short option list --help and the man page print.
 */
import { Flags, type Interfaces } from '@oclif/core';
import { commandLineOptions, type OptionDef, type OptionTable } from '../core/option-table.js';
import type { OptionSpec } from './getopt.js';

/** Whether the option takes a value on the command line. */
export function takesValue(d: OptionDef): boolean {
  return d.type !== 'flag' && d.type !== 'count';
}

/** getopt's specs; each parsed option's key is its setting's name. */
export function getoptSpecs(table: OptionTable, program?: string): OptionSpec[] {
  return commandLineOptions(table, program).map((d) => ({ ...(d.short ? { short: d.short } : {}), ...(d.long ? { long: d.long } : {}), arg: takesValue(d), key: d.name }));
}

/** oclif flags for --help: the options with only a long name (linklab's own, next to the original's short ones). */
export function oclifFlags(table: OptionTable, program?: string): Interfaces.FlagInput {
  const flags: Interfaces.FlagInput = {};
  for (const d of commandLineOptions(table, program)) {
    if (!d.long || d.short) continue;
    const description = d.help;
    if (d.type === 'flag') flags[d.long] = Flags.boolean({ description });
    else if (d.type === 'integer') flags[d.long] = Flags.integer({ description, ...(typeof d.default === 'number' ? { default: d.default } : {}) });
    else flags[d.long] = Flags.string({ description, ...(d.choices ? { options: [...d.choices] } : {}), ...(typeof d.default === 'string' ? { default: d.default } : {}) });
  }
  return flags;
}

/** `  -O script   what it does`, one line per short option, the flag column `width` wide. */
export function shortOptionList(table: OptionTable, program: string | undefined, width: number): string[] {
  return commandLineOptions(table, program)
    .filter((d) => d.short && !d.unlisted)
    .map((d) => `  ${`-${d.short}${d.arg ? ` ${d.arg}` : ''}`.padEnd(width)}${d.help}`);
}

/**
 * What a command line makes of a daemon's option table (src/core/option-table.ts): getopt's
 * specs and the short option list --help and the man page print (oclif's flags are in
 * option-flags.ts, so that a daemon started without --help never loads oclif).
 */
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

/** `  -O script   what it does`, one line per short option, the flag column `width` wide. */
export function shortOptionList(table: OptionTable, program: string | undefined, width: number): string[] {
  return commandLineOptions(table, program)
    .filter((d) => d.short && !d.unlisted)
    .map((d) => `  ${`-${d.short}${d.arg ? ` ${d.arg}` : ''}`.padEnd(width)}${d.help}`);
}

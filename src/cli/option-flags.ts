/** oclif's flags for a daemon's --help, from its option table (src/core/option-table.ts). */
import { Flags, type Interfaces } from '@oclif/core';
import { commandLineOptions, type OptionTable } from '../core/option-table.js';

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

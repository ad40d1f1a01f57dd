/**
 * The base of every linklab command: errors become one line on stderr (`linklab: ...`) and the
 * exit code the original program would give, instead of oclif's multi-line banner.
 */
import { Command } from '@oclif/core';
import { stripVTControlCharacters } from 'node:util';
import { DecodeError, EncodeError } from '../core/wire/errors.js';
import { UsageError } from './errors.js';

export abstract class LinklabCommand extends Command {
  /** Prints one error line; callers decide when to exit. */
  protected warnLine(message: string): void {
    process.stderr.write(`linklab: ${message}\n`);
  }

  protected override async catch(err: Error & { code?: string; oclif?: { exit?: number } }): Promise<unknown> {
    if (err.code === 'EEXIT') throw err; // this.exit(): already reported
    if (err instanceof UsageError || err instanceof DecodeError || err instanceof EncodeError) {
      this.warnLine(err.message);
      this.exit(err instanceof UsageError ? err.exitCode : 1);
    }
    // oclif's own flag and argument errors: one line too, and exit 1 like the original programs.
    if (err.oclif?.exit !== undefined && err.oclif.exit !== 0) {
      this.warnLine(oclifReason(err.message));
      this.exit(1);
    }
    return super.catch(err);
  }
}

/**
 * oclif's flag and argument errors in one line with the whole reason: "Parsing --seed" and the
 * reason on the next line become "--seed: expected an integer but received: abc"; the "following
 * error occurred" banner and the --help hint go.
 */
export function oclifReason(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => stripVTControlCharacters(l).trim())
    .filter((l) => l !== '' && !/^The following errors? occurred:$/.test(l) && !/^See more help with --help$/.test(l));
  const parsing = /^Parsing (\S+)$/.exec(lines[0] ?? '');
  if (parsing && lines[1]) return `${parsing[1]}: ${lines[1].charAt(0).toLowerCase()}${lines.slice(1).join('; ').slice(1)}`;
  return lines.join('; ') || message;
}

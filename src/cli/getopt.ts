/**
 * getopt(3) / getopt_long(3) for commands that copy a C program's command line. oclif does not
 * bundle boolean short flags (`-dDf`), so such a command reads its raw argv with this.
 *
 * Two flavours, as the originals were built:
 * - `gnu` (glibc's getopt_long, the default): options and operands may mix (argv is permuted),
 *   long names may be abbreviated to a unique prefix, messages in glibc's words;
 * - `bsd` (POSIX/BSD getopt, e.g. rtsold): the first operand ends the options, BSD's words.
 * Both: `-dDf` bundles, `-O/x` and `-O /x` give a value, `--` ends the options, a lone `-` is an
 * operand, `--name=value` and `--name value` for long options that take one.
 */

export interface OptionSpec {
  /** The long name (`--name`), if any. */
  long?: string;
  /** The short letter (`-n`), if any. */
  short?: string;
  /** Takes a value. */
  arg: boolean;
  /** What the result calls it (default: the long name, else the short letter). */
  key?: string;
}

export interface ParsedOption {
  key: string;
  value?: string;
}

export interface GetoptResult {
  /** In command-line order. */
  options: ParsedOption[];
  operands: string[];
}

export interface GetoptOptions {
  style?: 'gnu' | 'bsd';
}

export class GetoptError extends Error {
  override readonly name = 'GetoptError';
}

const keyOf = (s: OptionSpec): string => s.key ?? s.long ?? s.short ?? '';

function findLong(specs: readonly OptionSpec[], name: string, gnu: boolean): OptionSpec {
  const exact = specs.find((s) => s.long === name);
  if (exact) return exact;
  if (gnu && name.length > 0) {
    const matches = specs.filter((s) => s.long?.startsWith(name));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw new GetoptError(`option '--${name}' is ambiguous; possibilities: ${matches.map((s) => `'--${s.long}'`).join(' ')}`);
  }
  throw new GetoptError(gnu ? `unrecognized option '--${name}'` : `unrecognized option \`--${name}'`);
}

/** Parses `argv` (without the program name); throws GetoptError with getopt's own message. */
export function getopt(argv: readonly string[], specs: readonly OptionSpec[], opts: GetoptOptions = {}): GetoptResult {
  const gnu = (opts.style ?? 'gnu') === 'gnu';
  const options: ParsedOption[] = [];
  const operands: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const s = findLong(specs, name, gnu);
      const shown = s.long ?? name;
      let value: string | undefined;
      if (s.arg) {
        if (eq >= 0) value = arg.slice(eq + 1);
        else if (i + 1 < argv.length) value = argv[++i];
        else throw new GetoptError(gnu ? `option '--${shown}' requires an argument` : `option \`--${shown}' requires an argument`);
      } else if (eq >= 0) {
        throw new GetoptError(gnu ? `option '--${shown}' doesn't allow an argument` : `option \`--${shown}' doesn't allow an argument`);
      }
      options.push(value === undefined ? { key: keyOf(s) } : { key: keyOf(s), value });
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (!gnu) break;
      operands.push(arg);
      continue;
    }
    // A bundle: `-dDf`, `-dO/x`, or `-O` with its value in the next argument.
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j];
      const s = specs.find((x) => x.short === c);
      if (!s) throw new GetoptError(gnu ? `invalid option -- '${c}'` : `illegal option -- ${c}`);
      if (!s.arg) {
        options.push({ key: keyOf(s) });
        continue;
      }
      let value: string;
      if (j + 1 < arg.length) value = arg.slice(j + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      else throw new GetoptError(gnu ? `option requires an argument -- '${c}'` : `option requires an argument -- ${c}`);
      options.push({ key: keyOf(s), value });
      break;
    }
  }
  operands.push(...argv.slice(i));
  return { options, operands };
}

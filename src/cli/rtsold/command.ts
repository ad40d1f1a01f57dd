/**
 * What `linklab rtsold` and `linklab rtsol` share: their help (the man page's options), reading
 * the command line with getopt, and starting the daemon. Only light modules load here; the
 * daemon itself is imported when it runs, so start-up costs no more than it must.
 */
import { loadHelpClass, type Command } from '@oclif/core';
import { usageText, DEFAULT_DUMPFILE, DEFAULT_USER, type Program } from './options.js';
import { runParsed } from './program.js';
import { OPTIONS } from '../../core/rtsold/options.js';
import { shortOptionList } from '../option-table.js';
import { oclifFlags } from '../option-flags.js';

/** The man page's options, one short line each (oclif wraps long ones badly). */
function optionLines(prog: Program): string {
  return [
    'Options (getopt: bundle them, -dDf, before the interfaces):',
    ...shortOptionList(OPTIONS, prog, 12),
    '',
    `SIGUSR1 writes the state dump to --dump-file (rtsold's default ${DEFAULT_DUMPFILE});`,
    'SIGTERM and SIGINT end it with 0. RAs are parsed by a child running as',
    `--user (default ${DEFAULT_USER}); the root parent holds the sockets, applies -F`,
    'and runs the scripts.',
  ].join('\n');
}

/** linklab's long options, for oclif's --help (the same for rtsold and rtsol). */
export const SHARED_FLAGS = oclifFlags(OPTIONS, 'rtsol');

export function helpFor(prog: Program): { summary: string; description: string; usage: string[] } {
  const daemon = prog === 'rtsold';
  return {
    summary: daemon ? 'Router solicitation daemon: solicit routers and keep their DNS options (FreeBSD rtsold).' : 'Solicit routers once and exit: rtsold -f1 (FreeBSD rtsol).',
    description: `${daemon ? 'Sends up to 3 Router Solicitations on each interface when it starts and when a link (re)attaches, accepts Router Advertisements, runs the -O script when the O flag turns on and hands RDNSS/DNSSL to the -R script. Without -f it becomes a daemon and logs to syslog.' : 'Sends up to 3 Router Solicitations on each interface and exits 0 once every interface has a valid RA or gave up (about 9 to 10 s without an answer). It stays in the foreground and writes no pidfile.'}\n\n${optionLines(prog)}`,
    usage: usageText(prog)
      .trim()
      .split('\n')
      .map((l) => l.replace(/^usage: /, '')),
  };
}

/** oclif's main shows --help before a command runs; this covers the class run directly (tests). */
function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--help');
}

async function showHelp(command: Command, prog: Program): Promise<void> {
  const Help = await loadHelpClass(command.config);
  await new Help(command.config).showHelp([prog]);
}

/**
 * Reads `argv` and runs the program; returns the exit code. Usage errors print the original's
 * words and the usage text on stderr.
 */
export async function runProgram(command: Command, prog: Program, argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) {
    await showHelp(command, prog);
    return 0;
  }
  return runParsed(prog, argv);
}

/**
 * `linklab arpd`'s help and its entry point: read the command line with getopt, check the
 * interfaces, then load/list (-f, -l) or run the daemon. Only light modules load here; the rest
 * is imported when it runs.
 */
import { Flags } from '@oclif/core';
import { DEFAULT_DATABASE, DEFAULT_PIDFILE, DEFAULT_USER } from './options.js';

export const SUMMARY = 'Userspace ARP daemon: learn ARP bindings into a crash-safe database and answer the kernel from it (iproute2 arpd).';

export const DESCRIPTION = `Collects ARP information (requests, replies, gratuitous ARP) into a database and, as the kernel's helper (app_solicit), feeds it to the kernel on demand, so that fewer broadcasts are needed. Options are arpd's own, read with getopt (-lk bundles; interfaces may come anywhere):
  -l            print the database (filtered by the interfaces given) and exit; after -f, the database it made
  -f FILE       load a dump (the -l format; - or -- is stdin) and exit; a malformed line stops it (exit 255), earlier rows stay
  -b DB         the database (default ${DEFAULT_DATABASE}; LMDB, safe to read with -l while arpd runs)
  -a N          broadcast queries of its own, N before a host counts as dead (default 0: passive)
  -k            suppress the kernel's own broadcast queries (mcast_solicit 0); with -a
  -n SEC        negative cache timeout (default 60)
  -p SEC        seconds between syncs of the database (default 30, at least 0.1)
  -R RATE       steady broadcast rate per second (default 1, 1..1000)
  -B N          broadcasts back to back (default 3); never more than B + R*T in any interval T
With interfaces named it sets net.ipv4.neigh.IF.app_solicit (and mcast_solicit with -a) and puts the saved values back on exit, or on the next start after a crash.
Signals: SIGHUP syncs; SIGUSR1 syncs and logs statistics; SIGINT/SIGTERM sync, restore the sysctls and exit 0.
Packets are parsed by an unprivileged child (--user, default ${DEFAULT_USER}); the root parent holds the sockets and the database file.
-h and -? print arpd's usage (exit 1, as the original).`;

export const FLAGS = {
  foreground: Flags.boolean({ description: 'stay in the foreground and log to stderr (the original always becomes a daemon)' }),
  pid: Flags.string({ description: 'pidfile, locked while arpd runs; its sysctl journal lives beside it (.sysctl)', default: DEFAULT_PIDFILE }),
  json: Flags.boolean({ description: 'on SIGUSR1 also print every counter as one JSON object on stdout; with --foreground' }),
  user: Flags.string({ description: 'the account that parses packets (privilege separation)', default: DEFAULT_USER }),
  'max-entries': Flags.integer({ description: 'most entries kept; beyond, expired then negative then least recently heard entries go (default 1048576)' }),
  expire: Flags.integer({ description: 'seconds an entry not heard from again is kept (default 0: forever)' }),
};

export { runProgram } from './program.js';

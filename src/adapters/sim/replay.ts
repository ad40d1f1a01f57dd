/** The `linklab sim run` command line that replays a run, as a shell would need it. */

/** An argument as a shell would need it. */
export function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export interface ReplaySpec {
  file?: string;
  seed: number;
  until?: string;
  /** Extra flags (--drop-event, --zero ...), already split into arguments. */
  extra?: readonly string[];
}

export function replayCommand(r: ReplaySpec): string {
  return ['linklab', 'sim', 'run', ...(r.file ? [r.file] : []), ...(r.until ? ['--until', r.until] : []), '--seed', String(r.seed), ...(r.extra ?? [])].map(quote).join(' ');
}

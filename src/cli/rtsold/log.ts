/**
 * Where rtsold's messages go, as the original sends them: stderr in the foreground (-f), syslog
 * (LOG_DAEMON) as a daemon, notices and warnings always, -d adding info and -D (or -dd) debug.
 * `--json` prints every event, whatever its level, as one JSON object per line on stdout.
 */
import type { Log, LogEvent, LogLevel } from '../../core/ports.js';
import { LinuxLog } from '../../adapters/linux/log.js';

export interface LogSetup {
  format: 'text' | 'syslog' | 'json';
  /** -d counts 1, -D counts 2. */
  debug: number;
  ident: string;
}

export type ClosableLog = Log & { close(): void };

export function levelFor(debug: number): LogLevel {
  return debug > 1 ? 'debug' : debug > 0 ? 'info' : 'notice';
}

/** One object per event: time, level, event, msg, fields. */
export class JsonLinesLog implements ClosableLog {
  constructor(private readonly write: (line: string) => void = (l) => process.stdout.write(l)) {}

  emit(e: LogEvent): void {
    this.write(JSON.stringify({ time: new Date().toISOString(), level: e.level, event: e.event, msg: e.msg, fields: e.fields ?? {} }) + '\n');
  }

  close(): void {}
}

export function openLog(s: LogSetup): ClosableLog {
  if (s.format === 'json') return new JsonLinesLog();
  return new LinuxLog({ format: s.format, ident: s.ident, minLevel: levelFor(s.debug) });
}

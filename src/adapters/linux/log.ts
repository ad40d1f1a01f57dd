/**
 * The Log port for real daemons: readable text on stderr in the foreground, syslog (LOG_DAEMON)
 * when daemonized, or one JSON object per line (--json). Levels below `minLevel` are dropped
 * (-v lowers it to debug, -q raises it to warning).
 */
import type { Log, LogEvent, LogLevel } from '../../core/ports.js';
import { native } from './addon.js';

export type LogFormat = 'text' | 'json' | 'syslog';

export const LEVELS: readonly LogLevel[] = ['debug', 'info', 'notice', 'warning', 'error'];

export interface LogOptions {
  format: LogFormat;
  /** Program name: the text prefix and the syslog ident. */
  ident: string;
  minLevel?: LogLevel;
  /** Where text and JSON go (default: process.stderr). */
  write?: (line: string) => void;
  /** Time for JSON lines (default: now). */
  time?: () => Date;
}

function fieldText(fields: Record<string, unknown> | undefined): string {
  if (!fields) return '';
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`);
  return parts.length ? ` (${parts.join(' ')})` : '';
}

export class LinuxLog implements Log {
  private readonly min: number;
  private readonly write: (line: string) => void;
  private syslogOpen = false;

  constructor(private readonly opts: LogOptions) {
    this.min = LEVELS.indexOf(opts.minLevel ?? 'info');
    this.write = opts.write ?? ((line) => process.stderr.write(line));
    if (opts.format === 'syslog') {
      const s = native().syslogConstants;
      native().openlog(opts.ident, s.LOG_PID, s.LOG_DAEMON);
      this.syslogOpen = true;
    }
  }

  emit(e: LogEvent): void {
    if (LEVELS.indexOf(e.level) < this.min) return;
    switch (this.opts.format) {
      case 'json':
        this.write(JSON.stringify({ time: (this.opts.time?.() ?? new Date()).toISOString(), level: e.level, event: e.event, msg: e.msg, ...e.fields }) + '\n');
        break;
      case 'syslog': {
        const s = native().syslogConstants;
        const priority = { debug: s.LOG_DEBUG, info: s.LOG_INFO, notice: s.LOG_NOTICE, warning: s.LOG_WARNING, error: s.LOG_ERR }[e.level];
        native().syslog(priority, e.msg + fieldText(e.fields));
        break;
      }
      default:
        this.write(`${this.opts.ident}: ${e.level === 'warning' || e.level === 'error' ? `${e.level}: ` : ''}${e.msg}${fieldText(e.fields)}\n`);
    }
  }

  close(): void {
    if (this.syslogOpen) native().closelog();
    this.syslogOpen = false;
  }
}

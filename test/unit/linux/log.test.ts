// The Log adapter's text and JSON renderings and level filtering (syslog is exercised in
// test/netns/syslog.test.ts, where a private /dev/log can be set up).
import { describe, expect, it } from 'vitest';
import { LinuxLog } from '../../../src/adapters/linux/log.js';

function capture(format: 'text' | 'json', minLevel?: 'debug' | 'warning') {
  const lines: string[] = [];
  const log = new LinuxLog({ format, ident: 'rtsold', minLevel, write: (l) => lines.push(l), time: () => new Date('2026-01-02T03:04:05.000Z') });
  return { log, lines };
}

describe('LinuxLog', () => {
  it('renders text with the program name, level for problems, and fields', () => {
    const { log, lines } = capture('text');
    log.emit({ level: 'info', event: 'rs.sent', msg: 'sending RS on eth0', fields: { ifname: 'eth0', probe: 2 } });
    log.emit({ level: 'warning', event: 'ra.dropped', msg: 'RA dropped', fields: { reason: 'hop limit 64' } });
    expect(lines).toEqual(['rtsold: sending RS on eth0 (ifname=eth0 probe=2)\n', 'rtsold: warning: RA dropped (reason="hop limit 64")\n']);
  });

  it('renders one JSON object per line', () => {
    const { log, lines } = capture('json');
    log.emit({ level: 'notice', event: 'arp.learned', msg: 'learned', fields: { ip: '192.0.2.1' } });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0])).toEqual({ time: '2026-01-02T03:04:05.000Z', level: 'notice', event: 'arp.learned', msg: 'learned', ip: '192.0.2.1' });
  });

  it('drops levels below the minimum (-q) and keeps debug with -v', () => {
    const quiet = capture('text', 'warning');
    quiet.log.emit({ level: 'info', event: 'x', msg: 'info' });
    quiet.log.emit({ level: 'error', event: 'x', msg: 'bad' });
    expect(quiet.lines).toEqual(['rtsold: error: bad\n']);
    const verbose = capture('text', 'debug');
    verbose.log.emit({ level: 'debug', event: 'x', msg: 'detail' });
    expect(verbose.lines).toEqual(['rtsold: detail\n']);
  });
});

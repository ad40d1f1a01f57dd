/**
 * Where rtsold's messages go: the original's levels (notices and warnings always, -d info, -D or
 * -dd debug), and --json's one object per event, whatever its level.
 */
import { describe, expect, it } from 'vitest';
import { JsonLinesLog, levelFor } from '../../../src/cli/rtsold/log.js';

describe('rtsold log', () => {
  it('maps -d and -D to the original\'s syslog levels', () => {
    expect(levelFor(0)).toBe('notice');
    expect(levelFor(1)).toBe('info');
    expect(levelFor(2)).toBe('debug'); // -D, or -dd
    expect(levelFor(3)).toBe('debug');
  });

  it('--json writes every event as one line: time, level, event, msg, fields', () => {
    const lines: string[] = [];
    const log = new JsonLinesLog((l) => lines.push(l));
    log.emit({ level: 'debug', event: 'rs.sent', msg: 'send RS on eth0, whose state is PROBE', fields: { ifname: 'eth0', probe: 1 } });
    log.emit({ level: 'warning', event: 'autoprobe.none', msg: 'no interface found to probe' });
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const [a, b] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(a)).toEqual(['time', 'level', 'event', 'msg', 'fields']);
    expect(a).toMatchObject({ level: 'debug', event: 'rs.sent', msg: 'send RS on eth0, whose state is PROBE', fields: { ifname: 'eth0', probe: 1 } });
    expect(Number.isNaN(Date.parse(a.time as string))).toBe(false);
    expect(b).toMatchObject({ level: 'warning', event: 'autoprobe.none', fields: {} });
  });
});

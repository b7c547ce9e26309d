import { describe, expect, it } from 'vitest';
import { loggerOptions, logSettingsFrom, textDestination } from './log-setup.ts';

describe('choosing how to log', () => {
  it('writes readable lines to a terminal without request lines, JSON elsewhere with them', () => {
    expect(logSettingsFrom({}, true)).toEqual({ format: 'text', requests: false, level: 'info' });
    expect(logSettingsFrom({}, false)).toEqual({ format: 'json', requests: true, level: 'info' });
  });

  it('obeys LOG_FORMAT, LOG_REQUESTS and LOG_LEVEL whatever stdout is', () => {
    expect(logSettingsFrom({ LOG_FORMAT: 'json' }, true)).toEqual({ format: 'json', requests: true, level: 'info' });
    expect(logSettingsFrom({ LOG_FORMAT: 'text', LOG_REQUESTS: 'on', LOG_LEVEL: 'debug' }, false)).toEqual({ format: 'text', requests: true, level: 'debug' });
    expect(logSettingsFrom({ LOG_REQUESTS: 'off' }, false)).toEqual({ format: 'json', requests: false, level: 'info' });
  });

  it('refuses a setting it does not know rather than guess', () => {
    expect(() => logSettingsFrom({ LOG_FORMAT: 'pretty' }, true)).toThrow(/LOG_FORMAT must be "text" or "json", not "pretty"/);
    expect(() => logSettingsFrom({ LOG_REQUESTS: 'yes' }, true)).toThrow(/LOG_REQUESTS must be "on" or "off"/);
    expect(() => logSettingsFrom({ LOG_LEVEL: 'verbose' }, true)).toThrow(/LOG_LEVEL must be one of/);
  });

  it('gives pino a formatting stream for text, coloured only on a terminal without NO_COLOR', () => {
    const written: string[] = [];
    const terminal = { isTTY: true, write: (text: string) => written.push(text) };
    const record = JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 1, 9, 5, 7), msg: 'slow', pid: 1, hostname: 'h' });
    loggerOptions(logSettingsFrom({}, true), terminal, {}).stream!.write(record);
    loggerOptions(logSettingsFrom({}, true), terminal, { NO_COLOR: '1' }).stream!.write(record);
    expect(written[0]).toContain('\u001b[');
    expect(written[1]).not.toContain('\u001b[');
    expect(written[1]).toMatch(/^\d\d:\d\d:\d\d WARN slow\n$/);
    expect(loggerOptions(logSettingsFrom({}, false), terminal, {})).toEqual({ level: 'info' });
  });

  it('passes a line that is not JSON through unchanged', () => {
    const written: string[] = [];
    textDestination({ write: (text: string) => written.push(text) }, { color: false, stacks: false }).write('not json\n');
    expect(written).toEqual(['not json\n']);
  });
});

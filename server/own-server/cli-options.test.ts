import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { cliStudentAddress, parseCliArgs } from './cli-options.ts';

describe('the arguments of npm run check-server', () => {
  it('--lang chooses the language over LANG, on any OS (a Windows terminal sets no LANG)', () => {
    expect(parseCliArgs(['rest', '127.0.0.1:8000', '--lang', 'ru'], {})).toMatchObject({ language: 'ru' });
    expect(parseCliArgs(['rest', '127.0.0.1:8000', '--lang=en'], { LANG: 'ru_RU.UTF-8' })).toMatchObject({ language: 'en' });
    expect(parseCliArgs(['rest', '127.0.0.1:8000'], { LANG: 'ru_RU.UTF-8' })).toMatchObject({ language: 'ru' });
    expect(parseCliArgs(['rest', '127.0.0.1:8000'], {})).toMatchObject({ language: 'en' });
  });

  it('--json and --junit take the file that follows them; without one the report goes to standard output', () => {
    expect(parseCliArgs(['rest', '127.0.0.1:8000', '--junit', 'report.xml'], {})).toEqual({
      protocol: 'rest',
      target: '127.0.0.1:8000',
      language: 'en',
      format: 'junit',
      file: 'report.xml',
    });
    expect(parseCliArgs(['--json', 'out.json', 'sse', '127.0.0.1:8000'], {})).toMatchObject({ protocol: 'sse', format: 'json', file: 'out.json' });
    expect(parseCliArgs(['rest', '127.0.0.1:8000', '--json=out.json'], {})).toMatchObject({ format: 'json', file: 'out.json' });
    expect(parseCliArgs(['rest', '127.0.0.1:8000', '--junit'], {})).toMatchObject({ format: 'junit', file: null });
    expect(parseCliArgs(['--junit', 'rest', '127.0.0.1:8000'], {})).toMatchObject({ protocol: 'rest', format: 'junit', file: null });
  });

  it('anything else: the usage, in the language asked for', () => {
    expect(parseCliArgs(['rest'], {})).toEqual({ usage: expect.stringMatching(/^usage: npm run check-server -- <rest\|.*--lang ru\|en\]$/) });
    expect(parseCliArgs(['rest', '127.0.0.1:8000', '--xml'], { LANG: 'ru_RU.UTF-8' })).toEqual({ usage: expect.stringMatching(/^запуск: /) });
    expect(parseCliArgs(['soap', '127.0.0.1:8000'], {})).toHaveProperty('usage');
    expect(parseCliArgs(['rest', '127.0.0.1:8000', '--lang', 'de'], {})).toHaveProperty('usage');
    expect(parseCliArgs(['rest', '127.0.0.1:8000', '--json', '--junit'], {})).toHaveProperty('usage');
  });
});

describe('whom the guard takes the person at the terminal for', () => {
  const info = (address: string, family: 'IPv4' | 'IPv6') => ({ address, family, internal: false, netmask: '', mac: '', cidr: null }) as NetworkInterfaceInfo;
  const interfaces = { lo: [info('127.0.0.1', 'IPv4')], eth0: [info('192.168.1.5', 'IPv4'), info('fe80::1', 'IPv6')] };

  it('the LAN address a starter prints, when it is this machine’s: that address’s owner', () => {
    expect(cliStudentAddress('192.168.1.5:8000', interfaces)).toBe('192.168.1.5');
    expect(cliStudentAddress('http://192.168.1.5:8000/', interfaces)).toBe('192.168.1.5');
    expect(cliStudentAddress('[FE80::1]:8000', interfaces)).toBe('fe80::1');
  });

  it('any other address: a loopback user, who may check loopback only', () => {
    expect(cliStudentAddress('192.168.1.6:8000', interfaces)).toBe('127.0.0.1');
    expect(cliStudentAddress('localhost:8000', interfaces)).toBe('127.0.0.1');
  });
});

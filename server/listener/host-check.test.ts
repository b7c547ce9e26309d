import { describe, expect, it } from 'vitest';
import { knownHosts, parseAllowedHosts } from './host-check.ts';

const hosts = knownHosts({
  machineName: 'Lab-PC.department.example.edu',
  publicUrl: 'http://wirelab.example.edu:8080',
  allowedOrigins: ['https://proxy.example.edu'],
  allowedHosts: parseAllowedHosts('extra.example.org, .lab.example.org'),
});
const admits = (host?: string) => hosts.admits(host === undefined ? {} : { host });

describe('the hosts Wirelab answers to', () => {
  it('IP literals, localhost and *.localhost, this machine’s names, PUBLIC_URL, ALLOWED_ORIGINS, ALLOWED_HOSTS', () => {
    for (const host of ['127.0.0.1:8080', '10.0.0.5', '[::1]:8080', '[fe80::1]', 'localhost:8080', 'a.localhost', 'LOCALHOST']) expect(admits(host)).toBe(true);
    for (const host of ['lab-pc', 'lab-pc.local', 'lab-pc.department.example.edu:8080', 'wirelab.example.edu:8080', 'proxy.example.edu'])
      expect(admits(host)).toBe(true);
    for (const host of ['extra.example.org', 'room1.lab.example.org', 'wirelab.example.edu.']) expect(admits(host)).toBe(true);
    expect(admits(undefined)).toBe(true);
  });

  it('refuses any other name, and what is not a host at all', () => {
    for (const host of [
      'rebind.attacker.example',
      'lab.example.org',
      'example.edu',
      'localhost.attacker.example',
      '127.0.0.1.nip.io',
      '',
      'a b',
      'evil.example/x',
      'user@localhost',
    ])
      expect({ host, admitted: admits(host) }).toEqual({ host, admitted: false });
  });

  it('ALLOWED_HOSTS takes names and .suffixes only', () => {
    expect(parseAllowedHosts(undefined)).toEqual([]);
    expect(() => parseAllowedHosts('wirelab.example.edu:8080')).toThrow(/ALLOWED_HOSTS/);
    expect(() => parseAllowedHosts('http://wirelab.example.edu')).toThrow(/ALLOWED_HOSTS/);
  });
});

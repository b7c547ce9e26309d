import { describe, expect, it } from 'vitest';
import { joinOrigins, lanAddresses, parsePublicUrl, startupUrls } from './startup-urls.ts';

const interfaces = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  wlan0: [
    { address: '192.168.1.20', netmask: '255.255.255.0', family: 'IPv4', mac: 'aa:bb:cc:dd:ee:ff', internal: false, cidr: '192.168.1.20/24' },
    { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: 'aa:bb:cc:dd:ee:ff', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
  ],
} as const;

describe('startupUrls', () => {
  it('lists the LAN addresses when listening on every address, and the teacher link on the first', () => {
    const urls = startupUrls({ host: '0.0.0.0', port: 8080, teacherKey: 'K', interfaces: structuredClone(interfaces) as never });
    expect(urls).toEqual({
      local: 'http://localhost:8080/',
      lan: ['http://192.168.1.20:8080/'],
      teacher: { ru: 'http://192.168.1.20:8080/ru/class/teach#key=K', en: 'http://192.168.1.20:8080/en/class/teach#key=K' },
    });
  });

  it('keeps to the local address when only that one listens', () => {
    const urls = startupUrls({ host: '127.0.0.1', port: 9000, teacherKey: 'K', interfaces: structuredClone(interfaces) as never });
    expect(urls.lan).toEqual([]);
    expect(urls.teacher.en).toBe('http://127.0.0.1:9000/en/class/teach#key=K');
  });

  it('leaves loopback and IPv6 link-local addresses out', () => {
    expect(lanAddresses(structuredClone(interfaces) as never)).toEqual(['192.168.1.20']);
  });
});

describe('joinOrigins', () => {
  const base = { listeningHost: '0.0.0.0', listeningPort: 8081, interfaces: structuredClone(interfaces) as never };

  it('names the port the teacher’s browser reached (HAProxy’s in front of an instance), not the instance’s own', () => {
    expect(joinOrigins({ ...base, hostHeader: 'localhost:8080' })).toEqual(['http://192.168.1.20:8080']);
    expect(joinOrigins({ ...base, hostHeader: 'wirelab.lan' })).toEqual(['http://192.168.1.20:80']);
    expect(joinOrigins({ ...base, hostHeader: undefined })).toEqual(['http://192.168.1.20:8081']);
  });

  it('names PUBLIC_URL alone when it is set, and nothing when only one address listens', () => {
    expect(joinOrigins({ ...base, hostHeader: 'localhost:8080', publicUrl: 'http://10.0.0.5:8080' })).toEqual(['http://10.0.0.5:8080']);
    expect(joinOrigins({ ...base, listeningHost: '127.0.0.1', hostHeader: 'localhost:8081' })).toEqual([]);
  });
});

describe('parsePublicUrl', () => {
  it('keeps the origin of an http(s) address and refuses anything else, saying why', () => {
    expect(parsePublicUrl('http://10.0.0.5:8080/some/path')).toBe('http://10.0.0.5:8080');
    expect(parsePublicUrl(undefined)).toBeUndefined();
    expect(() => parsePublicUrl('10.0.0.5:8080')).toThrow(/PUBLIC_URL must/);
    expect(() => parsePublicUrl('ftp://x')).toThrow(/http:\/\/ or https:\/\//);
  });

  it('makes the printed student address and teacher link PUBLIC_URL’s', () => {
    const urls = startupUrls({
      host: '0.0.0.0',
      port: 8081,
      teacherKey: 'K',
      interfaces: structuredClone(interfaces) as never,
      publicUrl: 'http://10.0.0.5:8080',
    });
    expect(urls.lan).toEqual(['http://10.0.0.5:8080/']);
    expect(urls.teacher.en).toBe('http://10.0.0.5:8080/en/class/teach#key=K');
  });
});

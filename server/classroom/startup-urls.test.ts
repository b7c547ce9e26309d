import { describe, expect, it } from 'vitest';
import { lanAddresses, startupUrls } from './startup-urls.ts';

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

import { describe, expect, it } from 'vitest';
import { MQTT_SNIFF_MAX_BYTES, sniffMqttConnect } from './mqtt-connect-sniff.ts';

// A real CONNECT as mosquitto_sub sends it: MQTT 3.1.1, clean session, keep-alive 60, client id "sub".
const connect311 = Buffer.from([0x10, 0x0f, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x03, 0x73, 0x75, 0x62]);
// MQTT 3.1: protocol name "MQIsdp", level 3.
const connect31 = Buffer.from([0x10, 0x11, 0x00, 0x06, ...Buffer.from('MQIsdp'), 0x03, 0x02, 0x00, 0x3c, 0x00, 0x03, 0x73, 0x75, 0x62]);

describe('sniffMqttConnect', () => {
  it('recognises MQTT 3.1.1 and 3.1 CONNECTs', () => {
    expect(sniffMqttConnect(connect311)).toBe('mqtt');
    expect(sniffMqttConnect(connect31)).toBe('mqtt');
  });

  it('asks for more bytes at every truncation before the protocol level, then decides', () => {
    for (const packet of [connect311, connect31]) {
      const levelAt = packet[3] === 4 ? 8 : 10;
      for (let n = 0; n <= levelAt; n++) expect(sniffMqttConnect(packet.subarray(0, n)), `first ${n} bytes`).toBe('need-more');
      expect(sniffMqttConnect(packet.subarray(0, levelAt + 1))).toBe('mqtt');
    }
  });

  it('reads a remaining length of several bytes', () => {
    // remaining length 200 = 0xC8 0x01
    const long = Buffer.from([0x10, 0xc8, 0x01, 0x00, 0x04, ...Buffer.from('MQTT'), 0x04]);
    expect(sniffMqttConnect(long.subarray(0, 2))).toBe('need-more');
    expect(sniffMqttConnect(long)).toBe('mqtt');
  });

  it('refuses what cannot be a CONNECT', () => {
    expect(sniffMqttConnect(Buffer.from('GET / HTTP/1.1\r\n'))).toBe('not-mqtt');
    expect(sniffMqttConnect(Buffer.from('PRI * HTTP/2.0'))).toBe('not-mqtt');
    // another packet type (PUBLISH), or CONNECT with reserved flags set
    expect(sniffMqttConnect(Buffer.from([0x30, 0x0a]))).toBe('not-mqtt');
    expect(sniffMqttConnect(Buffer.from([0x11, 0x0f]))).toBe('not-mqtt');
    // a remaining length of 5 bytes, and one too short for a variable header
    expect(sniffMqttConnect(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x01]))).toBe('not-mqtt');
    expect(sniffMqttConnect(Buffer.from([0x10, 0x02, 0x00, 0x04]))).toBe('not-mqtt');
    // a name of another length, and a wrong name noticed before it is complete
    expect(sniffMqttConnect(Buffer.from([0x10, 0x0f, 0x00, 0x05, 0x4d]))).toBe('not-mqtt');
    expect(sniffMqttConnect(Buffer.from([0x10, 0x0f, 0x00, 0x04, 0x4d, 0x58]))).toBe('not-mqtt');
  });

  it('always decides within MQTT_SNIFF_MAX_BYTES bytes', () => {
    const worst = Buffer.from([0x10, 0x80, 0x80, 0x80, 0x01, 0x00, 0x06, ...Buffer.from('MQIsdp'), 0x03]);
    expect(worst.length).toBe(MQTT_SNIFF_MAX_BYTES);
    expect(sniffMqttConnect(worst.subarray(0, MQTT_SNIFF_MAX_BYTES - 1))).toBe('need-more');
    expect(sniffMqttConnect(worst)).toBe('mqtt');
    for (let seed = 0; seed < 2000; seed++) {
      const bytes = Buffer.from(Array.from({ length: MQTT_SNIFF_MAX_BYTES }, (_, i) => (i === 0 ? 0x10 : (seed * 131 + i * 17) & 0xff)));
      expect(sniffMqttConnect(bytes)).not.toBe('need-more');
    }
  });
});

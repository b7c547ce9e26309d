import { describe, expect, it } from 'vitest';
import { parseMqttCell } from './mqtt-cell-config.ts';
import { describePayload, encodePayload } from './payload.ts';
import { summarizePacket } from './packet-summary.ts';
import { mqttConsoleStrings } from './strings.ts';
import { checkTopicFilter, checkTopicName } from './topic-rules.ts';

describe('topic names and filters (MQTT 3.1.1 §4.7)', () => {
  it('accepts what a broker accepts', () => {
    for (const name of ['sensors/kitchen/temp', 'a', '/leading/slash', 'trailing/', 'x//y', 'события/кухня'])
      expect(checkTopicName(name), name).toEqual({ ok: true });
    for (const filter of ['#', '+', 'sensors/#', 'sensors/+/temp', '+/+/#', 'sensors/kitchen/temp', '/#'])
      expect(checkTopicFilter(filter), filter).toEqual({ ok: true });
  });

  it('refuses wildcards in a name and misplaced wildcards in a filter, saying where', () => {
    expect(checkTopicName('sensors/+/temp')).toEqual({ ok: false, error: { code: 'wildcard-in-name', char: '+' } });
    expect(checkTopicName('sensors/#')).toEqual({ ok: false, error: { code: 'wildcard-in-name', char: '#' } });
    expect(checkTopicFilter('sensors/#/temp')).toEqual({ ok: false, error: { code: 'hash-not-last', level: 2 } });
    expect(checkTopicFilter('sensors#')).toEqual({ ok: false, error: { code: 'wildcard-inside-level', char: '#', level: 1 } });
    expect(checkTopicFilter('sensors/kit+/temp')).toEqual({ ok: false, error: { code: 'wildcard-inside-level', char: '+', level: 2 } });
  });

  it('refuses empty, $-topics, U+0000 and topics past 65 535 bytes', () => {
    expect(checkTopicFilter('')).toEqual({ ok: false, error: { code: 'empty' } });
    expect(checkTopicName('$SYS/broker')).toEqual({ ok: false, error: { code: 'reserved' } });
    expect(checkTopicName('a\u0000b')).toEqual({ ok: false, error: { code: 'null-character' } });
    // 'я' is two bytes in UTF-8: the limit counts bytes, not characters
    expect(checkTopicName('я'.repeat(40_000))).toEqual({ ok: false, error: { code: 'too-long', bytes: 80_000 } });
  });

  it('explains every refusal in both languages', () => {
    const errors = [
      checkTopicFilter(''),
      checkTopicName('a/+'),
      checkTopicFilter('a/#/b'),
      checkTopicFilter('a+'),
      checkTopicName('$x'),
      checkTopicName('a\u0000'),
      checkTopicName('x'.repeat(70_000)),
    ];
    for (const result of errors) {
      if (result.ok) throw new Error('expected a refusal');
      const en = mqttConsoleStrings.en.topicError(result.error, 'filter');
      const ru = mqttConsoleStrings.ru.topicError(result.error, 'filter');
      expect(en).not.toBe('');
      expect(ru).toMatch(/[а-я]/);
    }
    expect(mqttConsoleStrings.ru.topicError({ code: 'hash-not-last', level: 2 }, 'filter')).toBe(
      '«#» означает «все оставшиеся уровни», поэтому стоит только последним уровнем, а здесь это уровень 2.',
    );
  });
});

describe('payloads', () => {
  it('encodes text as UTF-8, checks JSON and reads hex pairs', () => {
    expect(encodePayload('hé', 'text')).toEqual({ ok: true, bytes: new Uint8Array([0x68, 0xc3, 0xa9]) });
    expect(encodePayload('{"t": 21.5}', 'json')).toEqual({ ok: true, bytes: new TextEncoder().encode('{"t": 21.5}') });
    expect(encodePayload('01 02 FF', 'hex')).toEqual({ ok: true, bytes: new Uint8Array([1, 2, 255]) });
    expect(encodePayload('  ', 'hex')).toEqual({ ok: true, bytes: new Uint8Array(0) });
  });

  it('refuses bad JSON and bad hex with the reason', () => {
    const json = encodePayload('{"t": }', 'json');
    expect(json.ok).toBe(false);
    expect(!json.ok && json.error.format).toBe('json');
    expect(encodePayload('01 0g', 'hex')).toEqual({ ok: false, error: { format: 'hex', error: { code: 'not-hex', char: 'g', position: 4 } } });
    expect(encodePayload('010', 'hex')).toEqual({ ok: false, error: { format: 'hex', error: { code: 'odd-digits', digits: 3 } } });
  });

  it('shows a received payload as text when it is printable UTF-8, else as hex', () => {
    expect(describePayload(new TextEncoder().encode('{"id":1}'))).toEqual({ kind: 'text', text: '{"id":1}' });
    expect(describePayload(new Uint8Array([0xff, 0x00]))).toEqual({ kind: 'hex', text: 'ff 00' });
    expect(describePayload(new Uint8Array([0x01, 0x41]))).toEqual({ kind: 'hex', text: '01 41' });
  });
});

describe('*.mqtt.json cell files', () => {
  it('fills what the file leaves out', () => {
    const parsed = parseMqttCell('{ "clientId": "sensor-1" }');
    expect(parsed).toEqual({
      ok: true,
      config: {
        clientId: 'sensor-1',
        clean: true,
        keepAlive: 60,
        will: null,
        subscribe: { filter: '#', qos: 0 },
        publish: { topic: 'hello', payload: 'hi', format: 'text', qos: 0, retain: false },
      },
    });
  });

  it('reads a will, a subscription and a publication', () => {
    const parsed = parseMqttCell(
      JSON.stringify({
        clientId: 'w',
        clean: false,
        keepAlive: 10,
        will: { topic: 'status/w', payload: 'offline', qos: 1, retain: true },
        subscribe: { filter: 'status/+', qos: 2 },
        publish: { topic: 'raw', payload: '01 ff', format: 'hex', qos: 2, retain: true },
      }),
    );
    expect(parsed.ok && parsed.config.will).toEqual({ topic: 'status/w', payload: 'offline', qos: 1, retain: true });
    expect(parsed.ok && parsed.config.publish).toEqual({ topic: 'raw', payload: '01 ff', format: 'hex', qos: 2, retain: true });
  });

  it('names every problem of a malformed file', () => {
    const parsed = parseMqttCell(
      JSON.stringify({
        clean: false,
        keepAlive: 70_000,
        will: { topic: 'a/#', payload: 1 },
        subscribe: { filter: 'a/#/b', qos: 3 },
        publish: { topic: 'x', payload: 'zz', format: 'hex' },
        url: '/mqtt',
      }),
    );
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems).toEqual([
      'the cell has unknown field "url" (allowed: clientId, clean, keepAlive, will, subscribe, publish)',
      'a persistent session (clean: false) needs a clientId: the broker keeps the session under it',
      'keepAlive must be whole seconds from 0 to 65535',
      'will.topic must be a topic name without wildcards (wildcard-in-name)',
      'will.payload must be a string',
      'subscribe.filter must be a topic filter (hash-not-last)',
      'subscribe.qos must be 0, 1 or 2',
      'publish.payload is not hex',
    ]);
    expect(parseMqttCell('{').ok).toBe(false);
    expect(parseMqttCell('[]').ok).toBe(false);
  });
});

describe('packet summaries in the log', () => {
  it('names each packet as the inspector does', () => {
    expect(summarizePacket({ cmd: 'publish', topic: 'a/b', qos: 2, messageId: 7, retain: true, payload: new Uint8Array(3) })).toBe(
      'PUBLISH · a/b · QoS 2 · id 7 · retain · 3 B',
    );
    expect(summarizePacket({ cmd: 'pubrec', messageId: 7 })).toBe('PUBREC · id 7');
    expect(summarizePacket({ cmd: 'suback', messageId: 1, granted: [1, 128] })).toBe('SUBACK · id 1 · QoS 1, 0x80 failure');
    expect(summarizePacket({ cmd: 'connect', clientId: 'w', clean: false, keepalive: 30, will: { topic: 'status/w', qos: 1 } })).toBe(
      'CONNECT · client w · clean 0 · keep-alive 30 s · will status/w QoS 1',
    );
    expect(summarizePacket({ cmd: 'pingreq' })).toBe('PINGREQ');
    // the Russian console says the same in Russian; names from the spec stay as written
    expect(summarizePacket({ cmd: 'publish', topic: 'a/b', qos: 2, messageId: 7, retain: true, payload: new Uint8Array(3) }, 'ru')).toBe(
      'PUBLISH · a/b · QoS 2 · id 7 · сохраняемое · 3 байта',
    );
    expect(summarizePacket({ cmd: 'connack', returnCode: 0, sessionPresent: false }, 'ru')).toBe('CONNACK · код ответа 0 · session present 0');
    expect(summarizePacket({ cmd: 'connect', clientId: 'w', clean: true, keepalive: 30 }, 'ru')).toBe('CONNECT · клиент w · чистая сессия 1 · keep-alive 30 с');
    expect(summarizePacket({ cmd: 'suback', messageId: 1, granted: [1, 128] }, 'ru')).toBe('SUBACK · id 1 · QoS 1, 0x80 отказ');
  });
});

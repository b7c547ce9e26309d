// The MQTT relay's gate on bytes a Redis client, a broker and mqtt.js would send: only whole,
// well-formed packets pass, beginning with CONNECT from the page and CONNACK from the server.
import { describe, expect, it } from 'vitest';
import { encodeConnect, encodePacket, encodePublish, encodeSubscribe, PACKET } from '../../wire/mqtt/mqtt-packets.ts';
import { connectHoldsTextLine, MqttGate } from './mqtt-gate.ts';

const text = (value: string) => new TextEncoder().encode(value);
const LIMIT = 1024 * 1024;

describe('from the page', () => {
  it('refuses Redis commands, inline or in RESP, before forwarding a byte', () => {
    expect(new MqttGate('page', LIMIT).take(text('SET wirelab owned\r\n'))).toEqual({ packets: [], refusal: { packet: 'PUBREC', rule: 'not-connect-first' } });
    // RESP's '*' is 0x2a: a CONNACK's type with flags a client never sends
    expect(new MqttGate('page', LIMIT).take(text('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n')).refusal).toEqual({
      packet: 'CONNACK',
      rule: 'not-connect-first',
    });
    // an HTTP request line
    expect(new MqttGate('page', LIMIT).take(text('GET / HTTP/1.1\r\n')).refusal?.rule).toBe('not-connect-first');
  });

  it('passes a CONNECT cut anywhere, then packets, each whole', () => {
    const gate = new MqttGate('page', LIMIT);
    const connect = encodeConnect({ clientId: 'student-01', keepAlive: 10 });
    expect(gate.take(connect.subarray(0, 5))).toEqual({ packets: [] });
    const rest = new Uint8Array([...connect.subarray(5), ...encodeSubscribe(1, [{ filter: 'a/#', qos: 1 }])]);
    const { packets, refusal } = gate.take(rest);
    expect(refusal).toBeUndefined();
    expect(packets.map(({ packet }) => packet.type)).toEqual([PACKET.connect, PACKET.subscribe]);
    expect(packets[0]!.bytes).toEqual(connect);
  });

  it('refuses a malformed packet, a second CONNECT and a packet only a server sends', () => {
    const connected = () => {
      const gate = new MqttGate('page', LIMIT);
      gate.take(encodeConnect({ clientId: 'a' }));
      return gate;
    };
    expect(connected().take(encodePublish({ topic: 't', payload: 'x', qos: 3, packetId: 1 })).refusal).toEqual({ packet: 'PUBLISH', rule: 'mqtt-qos-3' });
    expect(connected().take(encodeConnect({ clientId: 'b' })).refusal?.rule).toBe('second-connect');
    expect(connected().take(encodePacket(PACKET.suback, 0, Uint8Array.of(0, 1, 0))).refusal?.rule).toBe('wrong-direction');
    expect(connected().take(Uint8Array.of(0x30, 0x80, 0x80, 0x80, 0x80, 0x01)).refusal?.rule).toBe('mqtt-malformed-length');
  });

  it('refuses a CONNECT that carries a whole text line (a Redis command in the will message)', () => {
    const smuggling = encodeConnect({ clientId: 'a', will: { topic: 't', payload: '\nSET wirelab owned\n', qos: 0 } });
    expect(connectHoldsTextLine(smuggling)).toBe(true);
    expect(new MqttGate('page', LIMIT).take(smuggling).refusal).toEqual({ packet: 'CONNECT', rule: 'text-line' });
    // keep-alive 10 s is 00 0a, followed by the client id's length 00 …: no text line
    expect(connectHoldsTextLine(encodeConnect({ clientId: 'x', keepAlive: 10, will: { topic: 't', payload: 'one\nline', qos: 0 } }))).toBe(false);
  });

  it('refuses a packet larger than the cap before it has all come', () => {
    expect(new MqttGate('page', 100).take(encodeConnect({ clientId: 'a'.repeat(200) }).subarray(0, 150)).refusal?.rule).toBe('too-large');
  });
});

describe('from the server', () => {
  it('wants a CONNACK first: a Redis error reply is not one', () => {
    expect(new MqttGate('server', LIMIT).take(text('-ERR unknown command\r\n')).refusal).toEqual({ packet: 'CONNACK', rule: 'mqtt-bad-flags' });
    expect(new MqttGate('server', LIMIT).take(text('+OK\r\n')).refusal?.rule).toBe('mqtt-bad-flags');
    const gate = new MqttGate('server', LIMIT);
    expect(gate.take(Uint8Array.of(0x20, 0x02, 0x00, 0x00, 0xd0, 0x00)).packets.map(({ packet }) => packet.type)).toEqual([PACKET.connack, PACKET.pingresp]);
  });
});

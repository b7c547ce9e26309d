import { describe, expect, it } from 'vitest';
import { clientPacketViolation, connectUserName, topicFilterViolation } from './client-packet-rules.ts';
import { ClientPacketGate } from './client-packet-gate.ts';

const str = (value: string | number[]): number[] => {
  const bytes = typeof value === 'string' ? [...Buffer.from(value)] : value;
  return [bytes.length >> 8, bytes.length & 0xff, ...bytes];
};
const connectBody = (level = 4, flags = 0x02, rest: number[] = str('id')): Uint8Array => Uint8Array.from([...str('MQTT'), level, flags, 0x00, 0x3c, ...rest]);
const clauseOf = (first: number, body: number[] | Uint8Array, connected = true): string | undefined =>
  clientPacketViolation(first, Uint8Array.from(body), { connected })?.clause;

describe('clientPacketViolation', () => {
  it('takes what real clients send', () => {
    expect(clauseOf(0x10, connectBody(), false)).toBeUndefined();
    expect(
      clauseOf(0x10, connectBody(4, 0xc2 | 0x2c, [...str('id'), ...str('status/id'), ...str('gone'), ...str('user'), ...str('pw')]), false),
    ).toBeUndefined();
    expect(clauseOf(0x32, [...str('orders/1'), 0x00, 0x01, 0x61])).toBeUndefined();
    expect(clauseOf(0x82, [0x00, 0x01, ...str('orders/#'), 0x01, ...str('+/x/+'), 0x02, ...str('#'), 0x00])).toBeUndefined();
    expect(clauseOf(0xa2, [0x00, 0x01, ...str('orders/#')])).toBeUndefined();
    expect(clauseOf(0x62, [0x00, 0x01])).toBeUndefined();
    expect(clauseOf(0xc0, [])).toBeUndefined();
  });

  it('names the clause of each CONNECT it refuses, and CONNACK 1 only for the protocol level', () => {
    expect(clientPacketViolation(0x10, connectBody(7), { connected: false })).toMatchObject({ clause: 'MQTT-3.1.2-2', connack: 1 });
    expect(clauseOf(0x10, [...str('MQTX'), 4, 2, 0, 60, ...str('id')], false)).toBe('MQTT-3.1.2-1');
    expect(clauseOf(0x10, connectBody(4, 0x03), false)).toBe('MQTT-3.1.2-3');
    expect(clauseOf(0x10, connectBody(4, 0x42), false)).toBe('MQTT-3.1.2-22');
    expect(clauseOf(0x10, connectBody(4, 0x1e, [...str('id'), ...str('t'), ...str('m')]), false)).toBe('MQTT-3.1.2-14');
    expect(clauseOf(0x10, connectBody(4, 0x0a), false)).toBe('MQTT-3.1.2-13');
    expect(clauseOf(0x10, connectBody(4, 0x22), false)).toBe('MQTT-3.1.2-15');
    expect(clauseOf(0x10, connectBody(4, 0x02, str([0xff, 0xfe])), false)).toBe('MQTT-1.5.3-1');
    expect(clauseOf(0x10, connectBody(4, 0x02, str([0xed, 0xa0, 0x80])), false)).toBe('MQTT-1.5.3-1');
    expect(clauseOf(0x10, connectBody(4, 0x02, str([0x61, 0x00])), false)).toBe('MQTT-1.5.3-2');
    expect(clauseOf(0x10, connectBody(4, 0x06, [...str('id'), ...str('a/+'), ...str('m')]), false)).toBe('MQTT-3.3.2-2');
    expect(clauseOf(0x10, connectBody(4, 0x02, [...str('id'), 0x00]), false)).toBe('MQTT-4.8.0-1');
    expect(clauseOf(0x10, connectBody(), true)).toBe('MQTT-3.1.0-2');
    expect(clauseOf(0xc0, [], false)).toBe('MQTT-3.1.0-1');
  });

  it('names the clause of each later packet it refuses', () => {
    expect(clauseOf(0x32, [...str('a'), 0x00, 0x00])).toBe('MQTT-2.3.1-1');
    expect(clauseOf(0x36, [...str('a'), 0x00, 0x01])).toBe('MQTT-3.3.1-4');
    expect(clauseOf(0x38, [...str('a')])).toBe('MQTT-3.3.1-2');
    expect(clauseOf(0x30, [...str('a/#')])).toBe('MQTT-3.3.2-2');
    expect(clauseOf(0x30, [...str('')])).toBe('MQTT-4.7.3-1');
    expect(clauseOf(0x30, [...str([0xff, 0xfe])])).toBe('MQTT-1.5.3-1');
    expect(clauseOf(0xa2, [0x00, 0x01])).toBe('MQTT-3.10.3-2');
    expect(clauseOf(0x82, [0x00, 0x01])).toBe('MQTT-3.8.3-3');
    expect(clauseOf(0x82, [0x00, 0x01, ...str('a'), 0x04])).toBe('MQTT-3.8.3-4');
    expect(clauseOf(0x80, [0x00, 0x01, ...str('a'), 0x00])).toBe('MQTT-2.2.2-2');
    expect(clauseOf(0x20, [0x00, 0x00])).toBe('MQTT-2.2.2-2');
    expect(clauseOf(0x40, [0x00])).toBe('MQTT-4.8.0-1');
  });

  it('knows where wildcards may stand in a filter', () => {
    for (const good of ['#', '+', 'a/#', '+/+', 'a/+/b', '/', 'a//b', '$SYS/#']) expect(topicFilterViolation(Buffer.from(good)), good).toBeNull();
    expect(topicFilterViolation(Buffer.from('a/#/b'))?.clause).toBe('MQTT-4.7.1-2');
    expect(topicFilterViolation(Buffer.from('a#'))?.clause).toBe('MQTT-4.7.1-2');
    expect(topicFilterViolation(Buffer.from('a+'))?.clause).toBe('MQTT-4.7.1-3');
    expect(topicFilterViolation(Buffer.from('a/b+/c'))?.clause).toBe('MQTT-4.7.1-3');
  });
});

describe('ClientPacketGate', () => {
  it('passes whole packets however the bytes are cut, and nothing from the first bad one on', () => {
    const connect = Buffer.from([0x10, connectBody().length, ...connectBody()]);
    const ping = Buffer.from([0xc0, 0x00]);
    const bad = Buffer.from([0x32, 5, ...str('a'), 0x00, 0x00]);
    const stream = Buffer.concat([connect, ping, bad, ping]);
    const gate = new ClientPacketGate();
    const passed: Buffer[] = [];
    const clauses: string[] = [];
    for (const byte of stream) {
      const result = gate.feed(Buffer.from([byte]));
      passed.push(...result.passed);
      if (result.violation) clauses.push(result.violation.clause);
    }
    expect(passed).toEqual([connect, ping]);
    expect(clauses).toEqual(['MQTT-2.3.1-1']);
  });

  it('hands the broker every whole packet of a chunk as one piece, keeping a packet cut short for later', () => {
    const connect = Buffer.from([0x10, connectBody().length, ...connectBody()]);
    const puback = Buffer.from([0x40, 0x02, 0x00, 0x07]);
    const ping = Buffer.from([0xc0, 0x00]);
    const gate = new ClientPacketGate();
    expect(gate.feed(Buffer.concat([connect, puback, ping.subarray(0, 1)]))).toEqual({ passed: [Buffer.concat([connect, puback])] });
    expect(gate.feed(Buffer.concat([ping.subarray(1), puback]))).toEqual({ passed: [Buffer.concat([ping, puback])] });
    expect(gate.feed(puback.subarray(0, 3))).toEqual({ passed: [] });
    // a good packet, then a bad one (a PUBLISH at QoS 1 with packet id 0): the good one still goes
    const bad = Buffer.from([0x32, 5, ...str('a'), 0x00, 0x00]);
    const result = gate.feed(Buffer.concat([puback.subarray(3), ping, bad, ping]));
    expect(result.passed).toEqual([Buffer.concat([puback, ping])]);
    expect(result.violation?.clause).toBe('MQTT-2.3.1-1');
    expect(gate.feed(ping)).toEqual({ passed: [] });
  });

  it('keeps back the PUBACKs taken before the broker, passing the runs of packets around them in order', () => {
    const connect = Buffer.from([0x10, connectBody().length, ...connectBody()]);
    const puback = (id: number) => Buffer.from([0x40, 0x02, 0x00, id]);
    const ping = Buffer.from([0xc0, 0x00]);
    const pubcomp = Buffer.from([0x70, 0x02, 0x00, 0x09]);
    // before CONNECT a lone PUBACK is not offered: the first packet must be CONNECT
    const early = new ClientPacketGate();
    expect(early.feed(puback(1), () => true).violation?.clause).toBe('MQTT-3.1.0-1');
    const gate = new ClientPacketGate();
    let asked = 0;
    const answering = (answer: boolean) => () => {
      asked += 1;
      return answer;
    };
    // not taken (say, not connected yet): passed as before
    expect(gate.feed(Buffer.concat([connect, puback(1)]), answering(false))).toEqual({ passed: [Buffer.concat([connect, puback(1)])] });
    const taken = answering(true);
    // only PUBACKs are offered, and a taken one's neighbours still go, in their order
    expect(gate.feed(Buffer.concat([ping, puback(2), pubcomp, puback(3), puback(4), ping]), taken)).toEqual({ passed: [ping, pubcomp, ping] });
    expect(gate.feed(Buffer.concat([puback(5), puback(6)]), taken)).toEqual({ passed: [] });
    // a PUBACK cut over two chunks is offered once, when it is whole
    expect(gate.feed(puback(7).subarray(0, 2), taken)).toEqual({ passed: [] });
    expect(gate.feed(Buffer.concat([puback(7).subarray(2), ping]), taken)).toEqual({ passed: [ping] });
    expect(asked).toBe(1 + 3 + 2 + 1);
    // a lone PUBACK, the commonest chunk: taken, or passed as it came
    expect(gate.feed(puback(8), taken)).toEqual({ passed: [] });
    expect(gate.feed(puback(9), answering(false))).toEqual({ passed: [puback(9)] });
    expect(asked).toBe(9);
    // a PUBACK that breaks a rule (flags set) is never offered: the connection ends there
    const bad = Buffer.from([0x42, 0x02, 0x00, 0x08]);
    const result = gate.feed(Buffer.concat([ping, bad]), taken);
    expect(result.passed).toEqual([ping]);
    expect(result.violation?.clause).toBe('MQTT-2.2.2-2');
    expect(asked).toBe(9);
    // nor anything once the connection is refused
    expect(gate.feed(puback(10), taken)).toEqual({ passed: [] });
    expect(asked).toBe(9);
  });
});

describe('connectUserName', () => {
  it('reads the user name of a CONNECT the rules refuse, MQTT 5 properties and will included', () => {
    const user = str('sandbox:abc');
    expect(connectUserName(connectBody(7, 0x82, [...str('id'), ...user]))).toBe('sandbox:abc');
    expect(connectUserName(connectBody(4, 0xc6 | 0x18, [...str('id'), ...str('t'), ...str('w'), ...user, ...str('pw')]))).toBe('sandbox:abc');
    // MQTT 5: properties after keep-alive (here a session expiry interval), will properties before the will topic
    const v5 = [...str('MQTT'), 5, 0x86, 0, 60, 5, 0x11, 0, 0, 0, 10, ...str('id'), 0, ...str('t'), ...str('w'), ...user];
    expect(connectUserName(Uint8Array.from(v5))).toBe('sandbox:abc');
  });

  it('finds none where there is none or the packet is cut short', () => {
    expect(connectUserName(connectBody(4, 0x42, [...str('id'), ...str('pw')]))).toBeUndefined();
    expect(connectUserName(connectBody(4, 0x82, [...str('id'), 0, 20, 0x61]))).toBeUndefined();
    expect(connectUserName(Uint8Array.from([...str('MQTT'), 5, 0x82, 0, 60, 9, 0x11]))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { ConnackGate, type GatedClient } from './connack-gate.ts';

function fakeClient(log: string[]): GatedClient {
  return {
    connected: false,
    deliverQoS: (packet, done) => {
      log.push(`qos:${String(packet)}`);
      done();
    },
    deliver0: (packet, done) => {
      log.push(`0:${String(packet)}`);
      done();
    },
  };
}

describe('ConnackGate', () => {
  it('holds deliveries until the client is ready, then sends them in the order they came', () => {
    const log: string[] = [];
    const client = fakeClient(log);
    const gate = new ConnackGate();
    gate.guard(client);
    const done: string[] = [];
    client.deliverQoS('a', () => done.push('a'));
    client.deliver0('b', () => done.push('b'));
    expect(log).toEqual([]);
    log.push('connack', 'queue');
    client.connected = true;
    gate.opened(client);
    client.deliverQoS('c', () => done.push('c'));
    expect(log).toEqual(['connack', 'queue', 'qos:a', '0:b', 'qos:c']);
    expect(done).toEqual(['a', 'b', 'c']);
  });

  it('delivers nothing to a connection that closed first, but tells the broker each one is done', () => {
    const log: string[] = [];
    const client = fakeClient(log);
    const gate = new ConnackGate();
    gate.guard(client);
    const done: string[] = [];
    client.deliverQoS('a', () => done.push('a'));
    gate.dropped(client);
    gate.opened(client);
    expect(log).toEqual([]);
    expect(done).toEqual(['a']);
  });

  it('tells the broker at once that a delivery is done once the connection closed before it was ready', () => {
    const log: string[] = [];
    const client = fakeClient(log);
    const gate = new ConnackGate();
    gate.guard(client);
    gate.dropped(client);
    // aedes removes the subscriptions of a closed client a turn later: a message may still come
    const done: string[] = [];
    client.deliverQoS('late', () => done.push('late'));
    client.deliver0('late0', () => done.push('late0'));
    expect(log).toEqual([]);
    expect(done).toEqual(['late', 'late0']);
  });

  it('hands the client its own delivery functions back once it is ready (later subscriptions skip the gate)', () => {
    const log: string[] = [];
    const client = fakeClient(log);
    const { deliverQoS, deliver0 } = client;
    const gate = new ConnackGate();
    gate.guard(client);
    expect(client.deliverQoS).not.toBe(deliverQoS);
    client.connected = true;
    gate.opened(client);
    expect(client.deliverQoS).toBe(deliverQoS);
    expect(client.deliver0).toBe(deliver0);
  });
});

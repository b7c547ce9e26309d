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
});

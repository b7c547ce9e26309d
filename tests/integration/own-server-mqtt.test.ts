// The MQTT suite against real brokers: Wirelab's own (aedes behind its packet rules) and Debian's
// mosquitto pass every check; mosquitto limited by its configuration (max_qos 1, no retained
// messages) gets exactly those checks as not offered; and a broker that accepts what MQTT 3.1.1
// says to refuse fails exactly the checks that should catch it. Servers start once.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressGuard } from '../../server/own-server/address-guard.ts';
import { ConnectionBudget } from '../../server/own-server/connection.ts';
import { mqttSuite } from '../../server/own-server/checks/mqtt.ts';
import { OWN_SERVER_LIMITS } from '../../server/own-server/limits.ts';
import { PACKET, decodePackets, encodeAck, encodePacket } from '../../wire/mqtt/mqtt-packets.ts';
import { checkAsLoopbackStudent, idsWith } from './own-server-starters.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { MOSQUITTO, startMosquitto, started, type RunningBroker } from './mosquitto.ts';

const CHECK_COUNT = 17;

/**
 * A broker that says yes to everything: CONNACK 0 whatever the level or client id, a PUBACK for
 * every PUBLISH (packet id 0 and QoS 3 included), a CONNACK for a second CONNECT; it never closes.
 */
async function startYesBroker(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    let pending: Buffer = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      const { packets, rest } = decodePackets(Buffer.concat([pending, chunk]));
      pending = Buffer.from(rest);
      for (const packet of packets) {
        if (packet.type === PACKET.connect) socket.write(encodePacket(PACKET.connack, 0, Buffer.from([0, 0])));
        if (packet.type === PACKET.publish && ((packet.flags >> 1) & 3) > 0) {
          const body = Buffer.from(packet.body);
          socket.write(encodeAck(PACKET.puback, body.readUInt16BE(2 + body.readUInt16BE(0))));
        }
      }
    });
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

let wirelab: RunningServer;
let mosquitto: RunningBroker;
let limitedMosquitto: RunningBroker;

beforeAll(async () => {
  expect(spawnSync(MOSQUITTO, ['-h']).stdout.toString()).toMatch(/mosquitto version 2\./);
  [wirelab, mosquitto, limitedMosquitto] = await Promise.all([startServer(), startMosquitto(), startMosquitto(['max_qos 1', 'retain_available false'])]);
});

afterAll(async () => {
  await Promise.all([wirelab?.close(), ...started.map((broker) => broker.stop())]);
});

describe('a broker that keeps MQTT 3.1.1 passes every check', () => {
  it.each([
    ['Wirelab’s own broker (on its one port)', () => wirelab.port],
    ['Debian’s mosquitto', () => mosquitto.port],
  ])('%s', async (_name, port) => {
    const report = await checkAsLoopbackStudent('mqtt', port());
    expect(report.reachable).toBe(true);
    expect(report.results).toHaveLength(CHECK_COUNT);
    expect(report.results.filter((result) => result.outcome !== 'pass').map((result) => [result.id, result.difference?.en, result.got])).toEqual([]);
    for (const result of report.results) {
      expect(result.sent, result.id).toMatch(/\] → CONNECT "MQTT" level \d/);
      expect(result.got, result.id).toMatch(/\] ← (CONNACK|TCP closed)/);
      expect(result.why.clause, result.id).toMatch(/^MQTT 3\.1\.1 §\d/);
      expect(result.name.ru && result.expected.ru && result.why.text.ru, result.id).toMatch(/[а-яё]/i);
    }
  });
});

describe('what a broker declines by its configuration is not offered, never passed', () => {
  it('mosquitto with max_qos 1 and retain_available false', async () => {
    const report = await checkAsLoopbackStudent('mqtt', limitedMosquitto.port);
    expect(idsWith(report, 'fail')).toEqual([]);
    expect(idsWith(report, 'not-offered')).toEqual(['qos2-exactly-once', 'retained-cleared-by-empty', 'retained-to-new-subscriber']);
    expect(idsWith(report, 'pass')).toHaveLength(CHECK_COUNT - 3);
    const qos2 = report.results.find((result) => result.id === 'qos2-exactly-once')!;
    expect(qos2.difference?.en).toMatch(/granted QoS 1 for a QoS 2 subscription/);
    expect(qos2.difference?.ru).toMatch(/сервер выдал QoS 1/);
    expect(qos2.got).toMatch(/← SUBACK id 1 granted QoS 1/);
    const retained = report.results.find((result) => result.id === 'retained-to-new-subscriber')!;
    expect(retained.difference?.en).toMatch(/closed the connection at a retained PUBLISH/);
    expect(retained.got).toMatch(/→ PUBLISH QoS 1 RETAIN id 7[^\n]*\n\[pub\] ← TCP closed/);
  });

  it('the command line says NOT OFFERED and exits 0: nothing failed', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/own-server/cli.ts', 'mqtt', `127.0.0.1:${limitedMosquitto.port}`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stdout).toMatch(/^NOT OFFERED {2}qos2-exactly-once — /m);
    expect(run.stdout.trim().split('\n').at(-1)).toBe(`${CHECK_COUNT - 3} passed, 0 failed, 3 not offered`);
    expect(run.status).toBe(0);
  });
});

describe('a broker that accepts what it must refuse', () => {
  let yes: { server: Server; port: number };
  beforeAll(async () => {
    yes = await startYesBroker();
  });
  afterAll(() => new Promise<void>((resolve) => yes.server.close(() => resolve())));

  it('fails exactly the checks that should catch it, saying what differed in both languages', async () => {
    const ids = ['protocol-level-connack-1', 'empty-client-id-connack-2', 'publish-packet-id-0-closes', 'publish-qos-3-closes', 'second-connect-closes'];
    const context = {
      guard: createAddressGuard({ studentAddress: '127.0.0.1', enabled: true }),
      // the five run at once here (each waits the full 5 s for a close that never comes)
      budget: new ConnectionBudget(10),
      target: { host: '127.0.0.1', port: yes.port },
      signal: AbortSignal.timeout(OWN_SERVER_LIMITS.suiteTimeoutMs),
    };
    const state = await mqttSuite.prepare(context);
    const observations = await Promise.all(ids.map((id) => mqttSuite.checks.find((check) => check.id === id)!.run(context, state)));
    expect(observations.map((observation) => observation.outcome)).toEqual(['fail', 'fail', 'fail', 'fail', 'fail']);
    const [level, emptyId, packetId0] = observations;
    expect(level.difference).toEqual({ en: 'return code 0, not 1', ru: 'код возврата 0, а не 1' });
    expect(emptyId.difference?.en).toBe('return code 0, not 2');
    expect(packetId0.difference?.en).toMatch(/^the server answered: \[client\] ← PUBACK id 0/);
    expect(packetId0.difference?.ru).toMatch(/^сервер ответил: /);
  });
});

// The MQTT suite against real brokers: Wirelab's own (aedes behind its packet rules) and Debian's
// mosquitto pass every check; mosquitto limited by its configuration (max_qos 1, no retained
// messages) gets exactly those checks as not offered; and a broker that accepts what MQTT 3.1.1
// says to refuse fails exactly the checks that should catch it. Servers start once.
import { execFile, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAddressGuard } from '../../server/own-server/address-guard.ts';
import { ConnectionBudget } from '../../server/own-server/connection.ts';
import { mqttSuite } from '../../server/own-server/checks/mqtt.ts';
import { OWN_SERVER_LIMITS } from '../../server/own-server/limits.ts';
import { PACKET, decodePackets, encodeAck, encodePacket } from '../../wire/mqtt/mqtt-packets.ts';
import { checkAsLoopbackStudent, failingIds, idsWith } from './own-server-starters.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { MOSQUITTO, startMosquitto, started, type RunningBroker } from './mosquitto.ts';
import { LATE_MS, startMqttProxy, type MqttFault } from './own-server-fixtures/mqtt-proxy.ts';

// the suite's own length: a count of checks is never a literal (lessons/code-figures.test.ts)
const CHECK_COUNT = mqttSuite.checks.length;

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
      // a CONNECT first (with another protocol name where that is the check), or the packet that must not come first
      expect(result.sent, result.id).toMatch(/^\[\w+\] → (CONNECT "MQT[TX]" level \d|SUBSCRIBE)/);
      expect(result.got, result.id).toMatch(/\] ← (CONNACK|TCP closed|not MQTT)/);
      expect(result.why.clause, result.id).toMatch(/^MQTT 3\.1\.1 §\d/);
      expect(result.name.ru && result.expected.ru && result.why.text.ru, result.id).toMatch(/[а-яё]/i);
    }
  });
});

describe('what a broker declines by its configuration is not offered, never passed', () => {
  it('mosquitto with max_qos 1 and retain_available false', async () => {
    const report = await checkAsLoopbackStudent('mqtt', limitedMosquitto.port);
    expect(idsWith(report, 'fail')).toEqual([]);
    expect(idsWith(report, 'not-offered')).toEqual([
      'qos2-exactly-once',
      'retain-0-not-stored',
      'retained-cleared-by-empty',
      'retained-qos0-replaces',
      'retained-to-new-subscriber',
    ]);
    expect(idsWith(report, 'pass')).toHaveLength(CHECK_COUNT - 5);
    const qos2 = report.results.find((result) => result.id === 'qos2-exactly-once')!;
    expect(qos2.difference?.en).toMatch(/granted QoS 1 for a QoS 2 subscription/);
    expect(qos2.difference?.ru).toMatch(/сервер выдал QoS 1/);
    expect(qos2.got).toMatch(/← SUBACK id 1 granted QoS 1/);
    const retained = report.results.find((result) => result.id === 'retained-to-new-subscriber')!;
    expect(retained.difference?.en).toMatch(/closed the connection at a retained PUBLISH/);
    expect(retained.got).toMatch(/→ PUBLISH QoS 1 RETAIN id 7[^\n]*\n\[pub\] ← TCP closed/);
  });

  it('the command line says NOT OFFERED and exits 0: nothing failed', async () => {
    // run without blocking this worker (not spawnSync): its servers and brokers' pipes stay served meanwhile
    const run = await new Promise<{ stdout: string; status: number | null }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', 'server/own-server/cli.ts', 'mqtt', `127.0.0.1:${limitedMosquitto.port}`],
        { encoding: 'utf8', timeout: 60_000 },
        (_error, stdout) => resolve({ stdout, status: child.exitCode }),
      );
    });
    expect(run.stdout).toMatch(/^NOT OFFERED {2}qos2-exactly-once — /m);
    expect(run.stdout.trim().split('\n').at(-1)).toBe(`${CHECK_COUNT - 5} passed, 0 failed, 5 not offered`);
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

describe('a broker with one mistake of a hand-written broker (a proxy in front of mosquitto)', () => {
  // issue 38, item 6: each check MQTT 3.1.1's conformance statements brought fails on a fault;
  // all faults at once, each suite against its own proxy (one mosquitto behind them all)
  const FAULTS: Record<MqttFault, string[]> = {
    '': [],
    lax: [
      'connect-reserved-flag-closes',
      'first-packet-not-connect-closes',
      'protocol-name-closes',
      'publish-topic-nul-closes',
      'publish-wildcard-topic-closes',
      'pubrel-reserved-flags-closes',
      'subscribe-invalid-filter',
      'subscribe-qos-3-closes',
      'subscribe-reserved-flags-closes',
      'subscribe-without-filter-closes',
      'unsubscribe-reserved-flags-closes',
    ],
    'no-takeover': ['client-id-takeover'],
    'keeps-session': ['clean-session-discards-session'],
    // it also says session present 1 after the session was discarded
    'session-present-1': ['clean-session-discards-session', 'session-present-0-new-session'],
    'empty-id-shared': ['empty-client-id-clean-session', 'empty-client-id-connack-2'],
    'lowercase-ids': ['client-id-23-characters'],
    reorders: ['qos1-order-per-topic'],
    'qos-not-downgraded': ['delivery-qos-is-minimum'],
    'dollar-matched': ['dollar-topics-not-matched-by-hash'],
    'unsuback-only-on-match': ['unsubscribe-unsuback-no-match'],
    'unsubscribe-ignored': ['unsubscribe-stops-delivery'],
    'retained-qos0-ignored': ['retained-qos0-replaces'],
    'retains-everything': ['retain-0-not-stored'],
    'keeps-cleared-late': ['retained-cleared-by-empty'],
    'qos2-copy-late': ['qos2-exactly-once'],
  };

  it('fails exactly the checks that catch each fault', async () => {
    const failing = await Promise.all(
      Object.keys(FAULTS).map(async (fault) => {
        const proxy = await startMqttProxy(mosquitto.port, fault as MqttFault);
        try {
          return [fault, failingIds(await checkAsLoopbackStudent('mqtt', proxy.port))] as const;
        } finally {
          await proxy.close();
        }
      }),
    );
    expect(Object.fromEntries(failing)).toEqual(Object.fromEntries(Object.entries(FAULTS).map(([fault, ids]) => [fault, [...ids].sort()])));
    // sixteen suites at once, one of them waiting its 5 s for an UNSUBACK that never comes
  }, 60_000);
});

describe('what must not arrive, sent late by a slow broker that keeps order (a proxy in front of mosquitto)', () => {
  // Such a "nothing more came" check once judged by 400 ms of silence alone: a broker sending the
  // wrong message later than that passed. Now a marker published after it ends the wait.
  const runOne = async (fault: MqttFault, id: string) => {
    const proxy = await startMqttProxy(mosquitto.port, fault);
    try {
      const context = {
        guard: createAddressGuard({ studentAddress: '127.0.0.1', enabled: true }),
        budget: new ConnectionBudget(4),
        target: { host: '127.0.0.1', port: proxy.port },
        signal: AbortSignal.timeout(OWN_SERVER_LIMITS.suiteTimeoutMs),
      };
      const state = await mqttSuite.prepare(context);
      return await mqttSuite.checks.find((check) => check.id === id)!.run(context, state);
    } finally {
      await proxy.close();
    }
  };

  it(`a cleared retained message kept and sent ${LATE_MS} ms after the SUBACK fails retained-cleared-by-empty`, async () => {
    const observation = await runOne('keeps-cleared-late', 'retained-cleared-by-empty');
    expect(observation.outcome).toBe('fail');
    expect(observation.difference).toEqual({
      en: expect.stringMatching(/^the new subscriber still got "to be cleared [0-9a-f]{6}"$/),
      ru: expect.stringMatching(/^новый подписчик всё равно получил "to be cleared [0-9a-f]{6}"$/),
    });
    // the kept message, then the marker the check waited for
    expect(observation.got).toMatch(
      /\[late\] ← SUBACK[^\n]*\n(?:.*\n)*\[late\] ← PUBLISH[^\n]*RETAIN[^\n]*"to be cleared [^\n]*\n(?:.*\n)*\[late\] ← PUBLISH[^\n]*"marker /,
    );
  });

  it(`a QoS 2 message copied and sent again ${LATE_MS} ms after its PUBCOMP fails qos2-exactly-once`, async () => {
    const observation = await runOne('qos2-copy-late', 'qos2-exactly-once');
    expect(observation.outcome).toBe('fail');
    expect(observation.difference).toEqual({ en: 'delivered 2 times, not once', ru: 'число доставок: 2, а не одна' });
    expect(observation.got).toMatch(/\[sub\] ← PUBLISH QoS 2 id 65534[^\n]*"exactly once [^\n]*\n(?:.*\n)*\[sub\] ← PUBLISH QoS 2[^\n]*"marker /);
  });
});

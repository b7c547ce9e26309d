// What the MQTT suite's checks share (checks/mqtt.ts): the run's names, one check's conversation
// judged as a whole, and the few steps most checks take (connect, subscribe, publish at QoS 1).
import type { Bilingual } from '../../../shared/bilingual.ts';
import { OwnServerRefusal } from '../address-guard.ts';
import { NoAnswer, failed, notOffered, verdict, withSeen, type Observation, type SuiteContext, type Expectation } from '../check-kit.ts';
import { CheckStopped } from '../connection.ts';
import { MqttLog, connectMqtt, quietFor, type CheckedMqttConnection } from '../mqtt-client.ts';
import {
  PACKET,
  PINGREQ,
  encodePublish,
  encodeSubscribe,
  packetName,
  readPacketId,
  readSuback,
  type Connack,
  type ConnectOptions,
  type MqttPacket,
  type PublishSpec,
} from '../../../wire/mqtt/mqtt-packets.ts';

export interface MqttState {
  /** Six hex digits, new for every run: the topics' and client ids' common part. */
  run: string;
  /**
   * In every topic: the run's mark where Wirelab listens (`runTagOf`: a SUBSCRIBE or PUBLISH of it
   * reaching Wirelab's broker gives the run away, wirelab-itself.ts), else `run`. Client ids keep `run`:
   * 23 characters are all a broker must accept.
   */
  topicPart: string;
  /** Retained messages a check set and has not cleared yet: cleanUp clears them. */
  retained: Set<string>;
  /** Persistent sessions a check made and has not ended yet: cleanUp ends them. */
  sessions: Set<string>;
}

export type { Expectation };
export type Judgement = Expectation[] | { notOffered: Bilingual };

/** How long "nothing more came" must last, after a marker message proved the way is clear. */
export const SILENCE_MS = 400;

export const topicOf = (state: MqttState, name: string) => `wirelab-check/${state.topicPart}/${name}`;

/** At most 23 characters, letters, digits and `-`: what every broker must accept (§3.1.3.1). */
export const clientIdOf = (state: MqttState, tag: string) => `wlc-${state.run}-${tag}`.slice(0, 23);

/** A precondition that did not hold (a subscription refused, a CONNECT not accepted): the check fails with it. */
export class Unmet extends Error {
  constructor(readonly difference: Bilingual) {
    super(difference.en);
  }
}

/** Runs one check's conversation and judges it; whatever it opened is closed before the next check. */
export async function mqttExchange(talk: (log: MqttLog) => Promise<Judgement>): Promise<Observation> {
  const log = new MqttLog();
  try {
    const judgement = await talk(log);
    if (!Array.isArray(judgement)) return notOffered(log.sent(), log.got(), judgement.notOffered);
    return verdict(log.sent(), log.got(), judgement);
  } catch (error) {
    if (error instanceof OwnServerRefusal || error instanceof CheckStopped) throw error;
    if (error instanceof Unmet) return failed(log.sent(), log.got(), error.difference);
    // a timeout or a broken connection: the runner says it in both languages, with what came so far
    throw withSeen(error, { sent: log.sent(), got: log.got() });
  } finally {
    await log.closeAll();
  }
}

/** What each refusal of CONNACK means (MQTT 3.1.1 §3.2.2.3, table 3.1), and its usual cause. */
export const CONNACK_MEANINGS: Record<number, Bilingual> = {
  1: { en: 'unacceptable protocol version', ru: 'неприемлемая версия протокола' },
  2: { en: 'identifier rejected', ru: 'идентификатор клиента отклонён' },
  3: { en: 'server unavailable', ru: 'сервер недоступен' },
  4: { en: 'bad user name or password', ru: 'неверное имя пользователя или пароль' },
  5: {
    en: 'not authorized: the broker wants a user name; mosquitto 2 refuses anonymous clients unless its configuration says "allow_anonymous true" (the suite connects anonymously)',
    ru: 'нет прав: брокер требует имя пользователя; mosquitto 2 не пускает анонимных клиентов, если в его конфигурации нет «allow_anonymous true» (проверки подключаются анонимно)',
  },
};

/** Why a retained-message check is not offered: the server refused the retained PUBLISH. */
export const RETAIN_NOT_OFFERED: Bilingual = {
  en: 'the server closed the connection at a retained PUBLISH: it does not keep retained messages (mosquitto: retain_available false)',
  ru: 'на PUBLISH с RETAIN сервер закрыл соединение: сохранённых сообщений он не держит (у mosquitto: retain_available false)',
};

/** A connection whose CONNECT was accepted (CONNACK 0), or the check fails saying why not. */
export async function accepted(context: SuiteContext, log: MqttLog, label: string, options: ConnectOptions): Promise<CheckedMqttConnection> {
  const { connection, connack, first } = await connectMqtt(context, log, label, options);
  if (!connack) {
    const answer = first ? packetName(first.type) : null;
    throw new Unmet({
      en: `${label}: CONNECT was answered by ${answer ?? 'nothing (the connection closed)'}, not CONNACK`,
      ru: `${label}: на CONNECT пришёл ${answer ?? 'не ответ, а закрытие соединения'}, а не CONNACK`,
    });
  }
  if (connack.returnCode !== 0) {
    const meaning = CONNACK_MEANINGS[connack.returnCode] ?? { en: 'a code MQTT 3.1.1 does not define', ru: 'код, которого нет в MQTT 3.1.1' };
    throw new Unmet({
      en: `${label}: CONNACK return code ${connack.returnCode} (${meaning.en}), not 0 (accepted)`,
      ru: `${label}: код возврата CONNACK ${connack.returnCode} (${meaning.ru}), а не 0 (принято)`,
    });
  }
  return connection;
}

/** SUBSCRIBE and its SUBACK; the granted QoS of each filter. A refused filter (0x80) fails the check. */
export async function subscribed(connection: CheckedMqttConnection, packetId: number, filters: Array<{ filter: string; qos: number }>): Promise<number[]> {
  connection.send(encodeSubscribe(packetId, filters));
  const suback = await connection.next(PACKET.suback, `the SUBACK of ${connection.label}`);
  if (!suback)
    throw new Unmet({ en: `${connection.label}: the connection closed instead of a SUBACK`, ru: `${connection.label}: вместо SUBACK соединение закрылось` });
  const { returnCodes } = readSuback(suback);
  if (returnCodes.length !== filters.length || returnCodes.some((code) => code > 2)) {
    throw new Unmet({
      en: `${connection.label}: SUBACK granted ${returnCodes.join(', ') || 'nothing'} for ${filters.length} filter(s) — refused (0x80) or not one code per filter`,
      ru: `${connection.label}: SUBACK выдал ${returnCodes.join(', ') || 'пустой список'} (фильтров в запросе: ${filters.length}) — отказ (0x80) или не по коду на каждый фильтр`,
    });
  }
  return returnCodes;
}

/**
 * A QoS 1 PUBLISH and its PUBACK: true when acknowledged with the same packet id, false when the
 * server closed the connection instead (how an MQTT 3.1.1 broker refuses, e.g. a retained message
 * it does not keep).
 */
export async function publishedAtQos1(connection: CheckedMqttConnection, spec: Omit<PublishSpec, 'qos'> & { packetId: number }): Promise<boolean> {
  connection.send(encodePublish({ ...spec, qos: 1 }));
  const puback = await connection.next(PACKET.puback, `the PUBACK of ${connection.label}'s PUBLISH`);
  if (!puback) return false;
  const id = readPacketId(puback);
  if (id !== spec.packetId)
    throw new Unmet({ en: `PUBACK carries packet id ${id}, not ${spec.packetId}`, ru: `в PUBACK идентификатор пакета ${id}, а не ${spec.packetId}` });
  return true;
}

/** After a marker arrived, a moment more for anything that should not come. */
export const settle = (context: SuiteContext) => quietFor(SILENCE_MS, context.signal);

/**
 * Sends `refused` (bytes the specification says to refuse) and then a PINGREQ: a server that
 * went on answers the PINGREQ at once, one that closed answers nothing, so a lax server fails
 * fast instead of after the whole wait. `processed`: the answers that show the server took the
 * packet (by default any MQTT packet at all). Expectations: nothing processed, then closed.
 */
export async function refusedWithClose(
  client: CheckedMqttConnection,
  log: MqttLog,
  refused: Uint8Array,
  processed: (packet: MqttPacket) => boolean = () => true,
): Promise<Expectation[]> {
  const before = log.lines.length;
  client.send(refused);
  client.send(PINGREQ, ' (only a server that kept the connection answers it)');
  const answers: string[] = [];
  let closed = false;
  for (;;) {
    const packet = await client.next(null, { en: 'the server closing the connection', ru: 'закрытие соединения сервером' }).catch((error: unknown) => {
      if (error instanceof NoAnswer) return undefined;
      throw error;
    });
    if (packet === undefined) break;
    if (packet === null) {
      closed = true;
      break;
    }
    if (processed(packet)) {
      answers.push(...log.lines.slice(before).filter((line) => line.includes('] ← ') && !line.endsWith('TCP closed')));
      break;
    }
  }
  return [
    [answers.length === 0, { en: `the server answered: ${answers.join('; ')}`, ru: `сервер ответил: ${answers.join('; ')}` }],
    [closed, { en: 'the server kept the connection open', ru: 'сервер не закрыл соединение' }],
  ];
}

/** Ends a persistent session the suite made: a clean-session CONNECT discards it (§3.1.2.4). */
export async function endSession(context: SuiteContext, state: MqttState, clientId: string): Promise<void> {
  await mqttExchange(async (log) => {
    const client = await accepted(context, log, 'cleanup', { clientId, cleanSession: true });
    await client.disconnect();
    state.sessions.delete(clientId);
    return [];
  });
}

/** What a CONNECT got, for a difference: `return code 5 (not authorized…)`, or no CONNACK at all. */
export function connackText(connack: Connack | null): Bilingual {
  if (!connack) return { en: 'no CONNACK', ru: 'не CONNACK' };
  const meaning = connack.returnCode === 0 ? { en: 'accepted', ru: 'принято' } : CONNACK_MEANINGS[connack.returnCode];
  return {
    en: `return code ${connack.returnCode}${meaning ? ` (${meaning.en})` : ''}`,
    ru: `код возврата ${connack.returnCode}${meaning ? ` (${meaning.ru})` : ''}`,
  };
}

// The MQTT suite's refusals (checks/mqtt.ts): a connection accepted, then one packet MQTT 3.1.1
// says a server must not process — malformed (§2.2.2's reserved flags, §1.5.3's strings) or a
// protocol violation (§4.8) — and the server must close the connection unanswered. Each is one
// conformance statement of the specification's chapter 7 list.
import type { Bilingual } from '../../../shared/bilingual.ts';
import type { CheckDefinition } from '../check-kit.ts';
import { PACKET, encodeAck, encodeConnect, encodePublish, encodeSubscribe, encodeUnsubscribe, type ConnectOptions } from '../../../wire/mqtt/mqtt-packets.ts';
import { accepted, clientIdOf, mqttExchange, refusedWithClose, topicOf, type MqttState } from './mqtt-exchange.ts';

/** A connection accepted, then one packet the specification says to refuse: the server must close it, unanswered. */
function refusalCheck(spec: {
  id: string;
  tag: string;
  name: Bilingual;
  clause: string;
  text: Bilingual;
  packet: (state: MqttState, connect: ConnectOptions) => Uint8Array;
}): CheckDefinition<MqttState> {
  return {
    id: spec.id,
    name: spec.name,
    expected: {
      en: 'the server closes the connection, answering neither that packet nor the PINGREQ sent after it',
      ru: 'сервер закрывает соединение и не отвечает ни на этот пакет, ни на отправленный следом PINGREQ',
    },
    why: { clause: spec.clause, text: spec.text },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const connect: ConnectOptions = { clientId: clientIdOf(state, spec.tag) };
        const client = await accepted(context, log, 'client', connect);
        return refusedWithClose(client, log, spec.packet(state, connect));
      }),
  };
}

export const refusals: CheckDefinition<MqttState>[] = [
  refusalCheck({
    id: 'publish-packet-id-0-closes',
    tag: 'id0',
    name: { en: 'PUBLISH at QoS 1 with packet id 0: closed', ru: 'PUBLISH с QoS 1 и идентификатором 0: закрытие' },
    clause: 'MQTT 3.1.1 §2.3.1, §4.8 [MQTT-2.3.1-1]',
    text: {
      en: 'A QoS 1 or 2 PUBLISH MUST carry a non-zero packet id: the acknowledgements are matched by it. A packet that breaks the protocol ends the connection; it is not acknowledged.',
      ru: 'PUBLISH с QoS 1 или 2 ОБЯЗАН нести ненулевой идентификатор пакета: по нему сопоставляют подтверждения. Пакет, нарушающий протокол, разрывает соединение, а не подтверждается.',
    },
    packet: (state) => encodePublish({ topic: topicOf(state, 'refused/id0'), payload: 'packet id 0', qos: 1, packetId: 0 }),
  }),
  refusalCheck({
    id: 'publish-qos-3-closes',
    tag: 'qos3',
    name: { en: 'PUBLISH at QoS 3: closed', ru: 'PUBLISH с QoS 3: закрытие' },
    clause: 'MQTT 3.1.1 §3.3.1.2 [MQTT-3.3.1-4]',
    text: {
      en: 'There are three QoS levels, 0 to 2; a PUBLISH with both QoS bits set MUST make the receiver close the connection.',
      ru: 'Уровней QoS три, от 0 до 2; получив PUBLISH с обоими битами QoS, получатель ОБЯЗАН закрыть соединение.',
    },
    packet: (state) => encodePublish({ topic: topicOf(state, 'refused/qos3'), payload: 'QoS 3', qos: 3, packetId: 3 }),
  }),
  refusalCheck({
    id: 'second-connect-closes',
    tag: 'again',
    name: { en: 'A second CONNECT: closed', ru: 'Второй CONNECT: закрытие' },
    clause: 'MQTT 3.1.1 §3.1 [MQTT-3.1.0-2]',
    text: {
      en: 'A client sends CONNECT once per connection; the server MUST treat a second one as a protocol violation and disconnect.',
      ru: 'Клиент отправляет CONNECT один раз на соединение; повторный CONNECT сервер ОБЯЗАН считать нарушением протокола и разорвать соединение.',
    },
    packet: (_state, connect) => encodeConnect(connect),
  }),
  refusalCheck({
    id: 'publish-wildcard-topic-closes',
    tag: 'pubwild',
    name: { en: 'PUBLISH to a topic with a wildcard: closed', ru: 'PUBLISH в тему с подстановочным знаком: закрытие' },
    clause: 'MQTT 3.1.1 §3.3.2.1, §4.7.1 [MQTT-3.3.2-2, MQTT-4.7.1-1]',
    text: {
      en: 'Wildcards belong to topic filters, which choose topics; a topic name is one exact topic and MUST NOT hold + or #. A PUBLISH to "a/+/b" is a protocol violation: the server closes the connection (§4.8).',
      ru: 'Подстановочные знаки — для фильтров тем, которые выбирают темы; имя темы — одна конкретная тема и НЕ ДОЛЖНО содержать + или #. PUBLISH в «a/+/b» — нарушение протокола: сервер закрывает соединение (§4.8).',
    },
    packet: (state) => encodePublish({ topic: topicOf(state, 'refused/+/wildcard'), payload: 'to a filter', qos: 1, packetId: 5 }),
  }),
  refusalCheck({
    id: 'publish-topic-nul-closes',
    tag: 'pubnul',
    name: { en: 'A topic holding U+0000: closed', ru: 'Тема с символом U+0000: закрытие' },
    clause: 'MQTT 3.1.1 §1.5.3, §4.7.3 [MQTT-1.5.3-2, MQTT-4.7.3-2]',
    text: {
      en: 'MQTT strings are UTF-8 without the null character: a receiver that gets U+0000 in one MUST close the connection (a C broker would otherwise cut the topic there).',
      ru: 'Строки MQTT — это UTF-8 без нулевого символа: получив U+0000 в строке, получатель ОБЯЗАН закрыть соединение (иначе брокер на C обрезал бы тему в этом месте).',
    },
    packet: (state) => encodePublish({ topic: topicOf(state, 'refused/nul\u0000here'), payload: 'NUL in the topic', qos: 1, packetId: 6 }),
  }),
  refusalCheck({
    id: 'subscribe-qos-3-closes',
    tag: 'subqos3',
    name: { en: 'SUBSCRIBE asking for QoS 3: closed', ru: 'SUBSCRIBE с запросом QoS 3: закрытие' },
    clause: 'MQTT 3.1.1 §3.8.3.1 [MQTT-3-8.3-4]',
    text: {
      en: 'The requested QoS byte of a filter holds 0, 1 or 2 with its upper six bits 0; anything else makes the SUBSCRIBE malformed, and the server MUST close the connection.',
      ru: 'Байт запрошенного QoS у фильтра содержит 0, 1 или 2, а шесть старших бит равны 0; иначе SUBSCRIBE искажён, и сервер ОБЯЗАН закрыть соединение.',
    },
    packet: (state) => encodeSubscribe(8, [{ filter: topicOf(state, 'refused/subqos3'), qos: 3 }]),
  }),
  refusalCheck({
    id: 'subscribe-reserved-flags-closes',
    tag: 'subflags',
    name: { en: 'SUBSCRIBE with its reserved flags 0000: closed', ru: 'SUBSCRIBE с зарезервированными флагами 0000: закрытие' },
    clause: 'MQTT 3.1.1 §3.8.1, §2.2.2 [MQTT-3.8.1-1, MQTT-2.2.2-2]',
    text: {
      en: 'The first byte of a SUBSCRIBE is 0x82: its four flag bits are fixed at 0010. Any other value is malformed, and the server MUST close the connection.',
      ru: 'Первый байт SUBSCRIBE — 0x82: четыре бита флагов зафиксированы как 0010. Любое другое значение — искажённый пакет, и сервер ОБЯЗАН закрыть соединение.',
    },
    packet: (state) => encodeSubscribe(9, [{ filter: topicOf(state, 'refused/subflags'), qos: 1 }], 0),
  }),
  refusalCheck({
    id: 'subscribe-without-filter-closes',
    tag: 'subnone',
    name: { en: 'SUBSCRIBE without a topic filter: closed', ru: 'SUBSCRIBE без фильтра темы: закрытие' },
    clause: 'MQTT 3.1.1 §3.8.3 [MQTT-3.8.3-3]',
    text: {
      en: 'A SUBSCRIBE carries at least one filter with its QoS; one with no payload is a protocol violation, so the server closes the connection instead of answering an empty SUBACK.',
      ru: 'SUBSCRIBE несёт хотя бы один фильтр с его QoS; пакет без полезной нагрузки — нарушение протокола, поэтому сервер закрывает соединение, а не отвечает пустым SUBACK.',
    },
    packet: () => encodeSubscribe(10, []),
  }),
  refusalCheck({
    id: 'unsubscribe-reserved-flags-closes',
    tag: 'unsflags',
    name: { en: 'UNSUBSCRIBE with its reserved flags 0000: closed', ru: 'UNSUBSCRIBE с зарезервированными флагами 0000: закрытие' },
    clause: 'MQTT 3.1.1 §3.10.1 [MQTT-3.10.1-1]',
    text: {
      en: 'The first byte of an UNSUBSCRIBE is 0xa2: its flag bits are fixed at 0010. Any other value is malformed, and the server MUST close the connection.',
      ru: 'Первый байт UNSUBSCRIBE — 0xa2: биты флагов зафиксированы как 0010. Любое другое значение — искажённый пакет, и сервер ОБЯЗАН закрыть соединение.',
    },
    packet: (state) => encodeUnsubscribe(11, [topicOf(state, 'refused/unsflags')], 0),
  }),
  refusalCheck({
    id: 'pubrel-reserved-flags-closes',
    tag: 'relflags',
    name: { en: 'PUBREL with its reserved flags 0000: closed', ru: 'PUBREL с зарезервированными флагами 0000: закрытие' },
    clause: 'MQTT 3.1.1 §3.6.1 [MQTT-3.6.1-1]',
    text: {
      en: 'PUBREL, alone among the acknowledgements, has the flags 0010 (0x62). A PUBREL with other flags is malformed, and the server MUST close the connection rather than answer PUBCOMP.',
      ru: 'PUBREL — единственное из подтверждений с флагами 0010 (0x62). PUBREL с другими флагами — искажённый пакет, и сервер ОБЯЗАН закрыть соединение, а не отвечать PUBCOMP.',
    },
    packet: () => encodeAck(PACKET.pubrel, 12, 0),
  }),
];

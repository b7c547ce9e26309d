// The MQTT suite's routing checks (checks/mqtt.ts): how subscriptions are made, replaced and
// removed (§3.8.4, §3.10.4), with which QoS a message is delivered (§3.8.4), in which
// order (§4.6), what `#` must not match (§4.7.2), and what a retained message is replaced by
// (§3.3.1.3). Each named with its conformance statement of OASIS MQTT 3.1.1's chapter 7.
import type { CheckDefinition } from '../check-kit.ts';
import { PACKET, encodePublish, encodeSubscribe, encodeUnsubscribe, readPacketId, readSuback, utf8Text } from '../../../wire/mqtt/mqtt-packets.ts';
import type { CheckedMqttConnection } from '../mqtt-client.ts';
import {
  RETAIN_NOT_OFFERED,
  accepted,
  clientIdOf,
  mqttExchange,
  publishedAtQos1,
  subscribed,
  topicOf,
  type Expectation,
  type MqttState,
} from './mqtt-exchange.ts';

/** The payloads `connection` got, as text, in order. */
const payloads = (connection: CheckedMqttConnection) => connection.delivered.map((message) => utf8Text(message.payload));

/** UNSUBSCRIBE and its UNSUBACK: the packet id it carries, or null when none came. */
async function unsubscribed(connection: CheckedMqttConnection, packetId: number, filters: string[]): Promise<number | null> {
  connection.send(encodeUnsubscribe(packetId, filters));
  const unsuback = await connection.next(PACKET.unsuback, `the UNSUBACK of ${connection.label}`);
  return unsuback ? readPacketId(unsuback) : null;
}

const unsubackCarries = (id: number | null, wanted: number): Expectation => [
  id === wanted,
  id === null
    ? { en: 'the connection closed instead of an UNSUBACK', ru: 'вместо UNSUBACK соединение закрылось' }
    : { en: `UNSUBACK carries packet id ${id}, not ${wanted}`, ru: `в UNSUBACK идентификатор ${id}, а не ${wanted}` },
];

const subscriptions: CheckDefinition<MqttState>[] = [
  {
    id: 'unsubscribe-unsuback-no-match',
    name: { en: 'UNSUBSCRIBE of a filter never subscribed: UNSUBACK', ru: 'UNSUBSCRIBE фильтра без подписки: UNSUBACK' },
    expected: { en: 'UNSUBACK with packet id 77, though no subscription was removed', ru: 'UNSUBACK с идентификатором 77, хотя ни одна подписка не удалена' },
    why: {
      clause: 'MQTT 3.1.1 §3.10.4 [MQTT-3.10.4-4, MQTT-3.10.4-5]',
      text: {
        en: 'The server MUST answer every UNSUBSCRIBE with an UNSUBACK carrying its packet id, even when no subscription matched: the client waits for it either way.',
        ru: 'На каждый UNSUBSCRIBE сервер ОБЯЗАН ответить UNSUBACK с его идентификатором, даже если ни одна подписка не совпала: клиент ждёт ответа в любом случае.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const client = await accepted(context, log, 'client', { clientId: clientIdOf(state, 'unsnone') });
        const id = await unsubscribed(client, 77, [topicOf(state, 'never-subscribed')]);
        return [unsubackCarries(id, 77)];
      }),
  },
  {
    id: 'unsubscribe-stops-delivery',
    name: { en: 'After UNSUBSCRIBE nothing more comes', ru: 'После UNSUBSCRIBE больше ничего не приходит' },
    expected: {
      en: 'UNSUBACK 78; a message published afterwards is not delivered, while the marker on a topic still subscribed is',
      ru: 'UNSUBACK 78; опубликованное потом сообщение не доставляется, а метка в теме, на которую подписка осталась, доставляется',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.10.4 [MQTT-3.10.4-1, MQTT-3.10.4-2]',
      text: {
        en: 'A filter in UNSUBSCRIBE that is identical, character for character, to a subscription deletes it, and the server MUST stop adding new messages for it.',
        ru: 'Фильтр в UNSUBSCRIBE, посимвольно совпадающий с подпиской, удаляет её, и сервер ОБЯЗАН перестать добавлять для неё новые сообщения.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const gone = topicOf(state, 'unsubscribed');
        const kept = topicOf(state, 'still-subscribed');
        const subscriber = await accepted(context, log, 'sub', { clientId: clientIdOf(state, 'unssub') });
        await subscribed(subscriber, 1, [
          { filter: gone, qos: 1 },
          { filter: kept, qos: 1 },
        ]);
        const id = await unsubscribed(subscriber, 78, [gone]);
        const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, 'unspub') });
        await publishedAtQos1(publisher, { topic: gone, payload: 'after UNSUBSCRIBE', packetId: 60 });
        await publishedAtQos1(publisher, { topic: kept, payload: 'marker', packetId: 61 });
        await subscriber.nextDelivery('marker', 'the marker');
        const leaked = subscriber.delivered.filter((message) => message.topic === gone).length;
        return [
          unsubackCarries(id, 78),
          [leaked === 0, { en: 'the unsubscribed topic was still delivered', ru: 'тема, от которой отписались, всё равно доставлена' }],
        ];
      }),
  },
  {
    id: 'subscribe-invalid-filter',
    name: { en: 'SUBSCRIBE to "a/#/b": refused with 0x80, or closed', ru: 'SUBSCRIBE на «a/#/b»: отказ 0x80 или закрытие' },
    expected: {
      en: 'for […/ok, …/#/b]: SUBACK with a QoS for the first and 0x80 for the second, or the connection closed without a SUBACK',
      ru: 'на […/ok, …/#/b]: SUBACK с QoS для первого и 0x80 для второго или закрытие соединения без SUBACK',
    },
    why: {
      clause: 'MQTT 3.1.1 §4.7.1.2, §3.9.3 [MQTT-4.7.1-2, MQTT-3.9.3-1]',
      text: {
        en: '# must be the last character of a filter, alone on its level: "a/#/b" is no filter. The server may refuse that one filter with 0x80 in its place in the SUBACK, or treat the packet as a violation and close; granting it is wrong.',
        ru: '# должен быть последним символом фильтра и занимать уровень целиком: «a/#/b» — не фильтр. Сервер может отказать именно этому фильтру кодом 0x80 на его месте в SUBACK или счесть пакет нарушением и закрыть соединение; выдать подписку — ошибка.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const client = await accepted(context, log, 'client', { clientId: clientIdOf(state, 'badfilter') });
        client.send(
          encodeSubscribe(79, [
            { filter: topicOf(state, 'ok'), qos: 1 },
            { filter: topicOf(state, '#/b'), qos: 1 },
          ]),
        );
        const suback = await client.next(PACKET.suback, 'the SUBACK, or the server closing the connection');
        if (!suback) return [];
        const { returnCodes } = readSuback(suback);
        return [
          [
            returnCodes.length === 2 && returnCodes[0]! <= 1 && returnCodes[1] === 0x80,
            { en: `SUBACK granted ${returnCodes.join(', ')}, not a QoS and 0x80`, ru: `SUBACK выдал ${returnCodes.join(', ')}, а не QoS и 0x80` },
          ],
        ];
      }),
  },
  {
    id: 'subscribe-replaces-identical',
    name: { en: 'The same filter again replaces its subscription', ru: 'Тот же фильтр ещё раз заменяет свою подписку' },
    expected: {
      en: '…/replace at QoS 0, then …/replace at QoS 1: a QoS 1 message comes once, at QoS 1',
      ru: '…/replace с QoS 0, затем …/replace с QoS 1: сообщение QoS 1 приходит один раз, с QoS 1',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.8.4 [MQTT-3.8.4-3]',
      text: {
        en: 'A SUBSCRIBE with a filter identical to an existing subscription MUST replace it completely (its QoS may change): the client then has one subscription, not two.',
        ru: 'SUBSCRIBE с фильтром, совпадающим с существующей подпиской, ОБЯЗАН полностью её заменить (QoS может измениться): у клиента остаётся одна подписка, а не две.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const topic = topicOf(state, 'replace');
        const subscriber = await accepted(context, log, 'sub', { clientId: clientIdOf(state, 'replsub') });
        await subscribed(subscriber, 1, [{ filter: topic, qos: 0 }]);
        const [granted] = await subscribed(subscriber, 2, [{ filter: topic, qos: 1 }]);
        const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, 'replpub') });
        await publishedAtQos1(publisher, { topic, payload: 'once', packetId: 62 });
        await publishedAtQos1(publisher, { topic, payload: 'marker', packetId: 63 });
        const once = await subscriber.nextDelivery('once', 'the message');
        await subscriber.nextDelivery('marker', 'the marker');
        const copies = payloads(subscriber).filter((payload) => payload === 'once').length;
        return [
          [
            copies === 1,
            { en: `delivered ${copies} times: the second SUBSCRIBE added a subscription`, ru: `доставлено ${copies} раза: второй SUBSCRIBE добавил подписку` },
          ],
          [
            once?.qos === granted,
            {
              en: `delivered at QoS ${once?.qos}, the new subscription granted ${granted}`,
              ru: `доставлено с QoS ${once?.qos}, а новая подписка выдала ${granted}`,
            },
          ],
        ];
      }),
  },
];

const delivery: CheckDefinition<MqttState>[] = [
  {
    id: 'delivery-qos-is-minimum',
    name: { en: 'A QoS 1 message to a QoS 0 subscription comes at QoS 0', ru: 'Сообщение QoS 1 подписке с QoS 0 приходит с QoS 0' },
    expected: {
      en: 'a QoS 1 message to a subscription granted QoS 0 arrives at QoS 0, without a packet id',
      ru: 'сообщение QoS 1 для подписки с выданным QoS 0 приходит с QoS 0, без идентификатора пакета',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.8.4 [MQTT-3.8.4-6]',
      text: {
        en: 'A message is delivered at the lower of two: the QoS it was published with and the QoS granted to the subscription. A subscriber that asked for QoS 0 does not want acknowledgements to send.',
        ru: 'Сообщение доставляется с меньшим из двух: QoS, с которым его опубликовали, и QoS, выданным подписке. Подписчик, попросивший QoS 0, не хочет отправлять подтверждения.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const topic = topicOf(state, 'downgrade');
        const subscriber = await accepted(context, log, 'sub', { clientId: clientIdOf(state, 'downsub') });
        const [granted] = await subscribed(subscriber, 1, [{ filter: topic, qos: 0 }]);
        const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, 'downpub') });
        await publishedAtQos1(publisher, { topic, payload: 'at most once', packetId: 66 });
        const message = await subscriber.nextDelivery('at most once', 'the message');
        return [
          [message !== null, { en: 'the subscriber got nothing', ru: 'подписчик ничего не получил' }],
          [
            message?.qos === granted,
            { en: `delivered at QoS ${message?.qos}, granted ${granted}`, ru: `доставлено с QoS ${message?.qos}, а выдан ${granted}` },
          ],
        ];
      }),
  },
  {
    id: 'qos1-order-per-topic',
    name: { en: 'QoS 1 messages on one topic come in the order sent', ru: 'Сообщения QoS 1 одной темы приходят в порядке отправки' },
    expected: {
      en: 'five QoS 1 messages sent back to back (1…5) reach the subscriber as 1, 2, 3, 4, 5',
      ru: 'пять сообщений QoS 1, отправленных подряд (1…5), приходят подписчику как 1, 2, 3, 4, 5',
    },
    why: {
      clause: 'MQTT 3.1.1 §4.6 [MQTT-4.6.0-5, MQTT-4.6.0-6]',
      text: {
        en: 'Every topic is an ordered topic by default: the server MUST send a subscriber the messages of one topic and QoS in the order it received them from a client.',
        ru: 'По умолчанию каждая тема упорядочена: сервер ОБЯЗАН отправлять подписчику сообщения одной темы и одного QoS в том порядке, в каком получил их от клиента.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const topic = topicOf(state, 'ordered');
        const subscriber = await accepted(context, log, 'sub', { clientId: clientIdOf(state, 'ordsub') });
        await subscribed(subscriber, 1, [{ filter: topic, qos: 1 }]);
        const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, 'ordpub') });
        const sent = ['1', '2', '3', '4', '5'];
        // all five at once, before any PUBACK: the order is the client's, not the round trips'
        for (const [index, payload] of sent.entries()) publisher.send(encodePublish({ topic, payload, qos: 1, packetId: 70 + index }));
        for (const _ of sent) await publisher.next(PACKET.puback, 'the PUBACKs');
        await subscriber.nextDelivery('5', 'the fifth message');
        for (const payload of sent) if (!payloads(subscriber).includes(payload)) await subscriber.nextDelivery(payload, `message ${payload}`);
        const got = payloads(subscriber);
        return [[got.join(', ') === sent.join(', '), { en: `delivered ${got.join(', ')}`, ru: `доставлено ${got.join(', ')}` }]];
      }),
  },
  {
    id: 'dollar-topics-not-matched-by-hash',
    name: { en: '# does not match $SYS topics', ru: '# не совпадает с темами $SYS' },
    expected: {
      en: "a subscription to # gets the marker published after it, and no topic beginning with $ (such as the broker's retained $SYS/…)",
      ru: 'подписка на # получает метку, опубликованную после неё, и ни одной темы на $ (например, сохранённых $SYS/… брокера)',
    },
    why: {
      clause: 'MQTT 3.1.1 §4.7.2 [MQTT-4.7.2-1]',
      text: {
        en: 'Topics beginning with $ are the server\'s own ($SYS/… for its statistics). The server MUST NOT match a filter that starts with # or + against them: "#" means every application topic, not the broker\'s internals.',
        ru: 'Темы на $ принадлежат самому серверу ($SYS/… для его статистики). Фильтры, начинающиеся с # или +, сервер НЕ ДОЛЖЕН с ними сопоставлять: «#» — это все темы приложений, а не внутренности брокера.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const subscriber = await accepted(context, log, 'sub', { clientId: clientIdOf(state, 'hashsub') });
        await subscribed(subscriber, 1, [{ filter: '#', qos: 0 }]);
        const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, 'hashpub') });
        const marker = `marker ${state.run}`;
        await publishedAtQos1(publisher, { topic: topicOf(state, 'hash-marker'), payload: marker, packetId: 67 });
        await subscriber.nextDelivery(marker, 'the marker');
        const dollar = subscriber.delivered.map((message) => message.topic).filter((topic) => topic.startsWith('$'));
        return [[dollar.length === 0, { en: `# got ${dollar.slice(0, 3).join(', ')}`, ru: `на # пришли ${dollar.slice(0, 3).join(', ')}` }]];
      }),
  },
];

/**
 * Publishes `first` retained at QoS 1 and then `second` (`retain` and `qos` as given) on one
 * topic; a new subscriber then subscribes, and a marker on the topic ends the wait. What the new
 * subscriber got before the marker, or null when the server does not keep retained messages.
 */
async function retainedAfter(
  context: Parameters<CheckDefinition<MqttState>['run']>[0],
  log: Parameters<Parameters<typeof mqttExchange>[0]>[0],
  state: MqttState,
  tag: string,
  second: { payload: string; retain: boolean; qos: 0 | 1 },
): Promise<string[] | null> {
  const topic = topicOf(state, tag);
  const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, `${tag}pub`) });
  state.retained.add(topic);
  if (!(await publishedAtQos1(publisher, { topic, payload: 'first', retain: true, packetId: 80 }))) return null;
  if (second.qos === 1) await publishedAtQos1(publisher, { topic, payload: second.payload, retain: second.retain, packetId: 81 });
  else publisher.send(encodePublish({ topic, payload: second.payload, retain: second.retain, qos: 0 }));
  const late = await accepted(context, log, 'late', { clientId: clientIdOf(state, `${tag}late`) });
  await subscribed(late, 1, [{ filter: topic, qos: 1 }]);
  await publishedAtQos1(publisher, { topic, payload: 'marker', packetId: 82 });
  await late.nextDelivery('marker', 'the marker');
  const got = payloads(late);
  if (await publishedAtQos1(publisher, { topic, payload: '', retain: true, packetId: 83 })) state.retained.delete(topic);
  return got.slice(0, got.indexOf('marker'));
}

const retained: CheckDefinition<MqttState>[] = [
  {
    id: 'retained-qos0-replaces',
    name: { en: 'A retained QoS 0 message replaces the retained one', ru: 'Сохраняемое сообщение QoS 0 заменяет сохранённое' },
    expected: {
      en: 'after "first" retained at QoS 1 and "second" retained at QoS 0, a new subscriber gets "second" or nothing, never "first"',
      ru: 'после «first», сохранённого с QoS 1, и «second», сохранённого с QoS 0, новый подписчик получает «second» или ничего, но не «first»',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.3.1.3 [MQTT-3.3.1-7]',
      text: {
        en: 'A retained QoS 0 message MUST discard the message retained for its topic before; the server should keep the new one, but may drop it, so "nothing" is allowed too.',
        ru: 'Сохраняемое сообщение QoS 0 ОБЯЗАНО вытеснить сообщение, сохранённое для темы до него; новое сервер должен сохранить, но может и выбросить, поэтому «ничего» тоже допустимо.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const got = await retainedAfter(context, log, state, 'rq0', { payload: 'second', retain: true, qos: 0 });
        if (got === null) return { notOffered: RETAIN_NOT_OFFERED };
        return [[!got.includes('first'), { en: `the new subscriber got ${got.join(', ')}`, ru: `новый подписчик получил ${got.join(', ')}` }]];
      }),
  },
  {
    id: 'retain-0-not-stored',
    name: { en: 'A message without RETAIN leaves the retained one as it is', ru: 'Сообщение без RETAIN не трогает сохранённое' },
    expected: {
      en: 'after "first" retained and "second" without RETAIN, a new subscriber gets "first" (RETAIN 1), not "second"',
      ru: 'после сохранённого «first» и «second» без RETAIN новый подписчик получает «first» (RETAIN 1), а не «second»',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.3.1.3 [MQTT-3.3.1-12]',
      text: {
        en: 'With RETAIN 0 the server MUST NOT store the message, and MUST NOT remove or replace the retained one: live traffic does not wipe the last known value.',
        ru: 'При RETAIN 0 сервер НЕ ДОЛЖЕН сохранять сообщение, а также удалять или заменять сохранённое: обычный поток не стирает последнее известное значение.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const got = await retainedAfter(context, log, state, 'r0', { payload: 'second', retain: false, qos: 1 });
        if (got === null) return { notOffered: RETAIN_NOT_OFFERED };
        return [
          [
            got.join(', ') === 'first',
            { en: `the new subscriber got ${got.join(', ') || 'nothing'}`, ru: `новый подписчик получил ${got.join(', ') || 'ничего'}` },
          ],
        ];
      }),
  },
];

export const routingChecks: CheckDefinition<MqttState>[] = [...subscriptions, ...delivery, ...retained];

// The MQTT decoder's error codes in both languages, each naming the clause of MQTT 3.1.1 (OASIS,
// 2014) it breaks: a conformance statement `MQTT-x.y.z-n`, or the section when the rule has no
// numbered statement. node-text.ts merges them into every decoder's table.

import type { Bilingual } from '../../shared/bilingual.ts';

export const MQTT_ERROR_TEXT: Readonly<Record<string, Bilingual>> = {
  'mqtt-reserved-type': { en: 'packet types 0 and 15 are reserved in MQTT 3.1.1 (§2.2.1)', ru: 'типы пакетов 0 и 15 в MQTT 3.1.1 зарезервированы (§2.2.1)' },
  'mqtt-bad-flags': {
    en: 'these flags are not the ones MQTT requires for this packet type: the receiver closes the connection (MQTT-2.2.2-2)',
    ru: 'флаги не те, что MQTT требует для этого типа пакета: получатель закрывает соединение (MQTT-2.2.2-2)',
  },
  'mqtt-qos-3': {
    en: 'QoS 3 does not exist: the receiver closes the connection (MQTT-3.3.1-4)',
    ru: 'QoS 3 не существует: получатель закрывает соединение (MQTT-3.3.1-4)',
  },
  'mqtt-dup-on-qos-0': { en: 'DUP must be 0 on a QoS 0 PUBLISH (MQTT-3.3.1-2)', ru: 'у PUBLISH с QoS 0 флаг DUP должен быть 0 (MQTT-3.3.1-2)' },
  'mqtt-malformed-length': { en: 'the remaining length takes at most 4 bytes (§2.2.3)', ru: 'оставшаяся длина занимает не больше 4 байт (§2.2.3)' },
  'mqtt-trailing-bytes': {
    en: 'bytes left in the packet after its last field: a malformed packet (MQTT-4.8.0-1)',
    ru: 'в пакете остались байты после последнего поля: пакет искажён (MQTT-4.8.0-1)',
  },
  'mqtt-no-topics': {
    en: 'SUBSCRIBE and UNSUBSCRIBE need at least one topic filter (MQTT-3.8.3-3, MQTT-3.10.3-2)',
    ru: 'SUBSCRIBE и UNSUBSCRIBE требуют хотя бы один фильтр тем (MQTT-3.8.3-3, MQTT-3.10.3-2)',
  },
  'mqtt-no-return-codes': {
    en: 'SUBACK holds one return code for each topic filter of the SUBSCRIBE (MQTT-3.8.4-5)',
    ru: 'в SUBACK по одному коду ответа на каждый фильтр тем из SUBSCRIBE (MQTT-3.8.4-5)',
  },
  'mqtt-requested-qos': {
    en: 'the requested QoS must be 0, 1 or 2 and the other bits 0 (MQTT-3.8.3-4)',
    ru: 'запрошенный QoS может быть только 0, 1 или 2, остальные биты — 0 (MQTT-3.8.3-4)',
  },
  'mqtt-suback-code': {
    en: 'SUBACK return codes are 0x00, 0x01, 0x02 and 0x80 only (MQTT-3.9.3-2)',
    ru: 'коды ответа SUBACK — только 0x00, 0x01, 0x02 и 0x80 (MQTT-3.9.3-2)',
  },
  'mqtt-connack-refused-session': {
    en: 'a CONNACK with a non-zero return code must have session present 0 (MQTT-3.2.2-4)',
    ru: 'в CONNACK с ненулевым кодом ответа флаг «сессия уже есть» должен быть 0 (MQTT-3.2.2-4)',
  },
  'mqtt-connack-code': { en: 'CONNACK return codes 6 to 255 are reserved (§3.2.2.3)', ru: 'коды ответа CONNACK от 6 до 255 зарезервированы (§3.2.2.3)' },
  'mqtt-connack-flags': {
    en: 'bits 7 to 1 of the acknowledge flags are reserved and must be 0 (§3.2.2.1)',
    ru: 'биты 7–1 флагов подтверждения зарезервированы и должны быть 0 (§3.2.2.1)',
  },
  'mqtt-protocol-name': {
    en: 'the protocol name must be "MQTT" (MQTT 3.1: "MQIsdp"); a server may close the connection (MQTT-3.1.2-1)',
    ru: 'имя протокола должно быть «MQTT» (в MQTT 3.1 — «MQIsdp»); сервер может закрыть соединение (MQTT-3.1.2-1)',
  },
  'mqtt-protocol-level': {
    en: 'a level this broker does not speak (4 is MQTT 3.1.1, 3 is 3.1): the server answers CONNACK 1 and closes (MQTT-3.1.2-2)',
    ru: 'версия, которую этот брокер не поддерживает (4 — MQTT 3.1.1, 3 — 3.1): сервер отвечает CONNACK 1 и закрывает соединение (MQTT-3.1.2-2)',
  },
  'mqtt-connect-reserved': {
    en: 'the reserved connect flag must be 0: the server closes the connection (MQTT-3.1.2-3)',
    ru: 'зарезервированный флаг подключения должен быть 0: сервер закрывает соединение (MQTT-3.1.2-3)',
  },
  'mqtt-will-qos-3': { en: 'a will cannot have QoS 3 (MQTT-3.1.2-14)', ru: 'у завещания не бывает QoS 3 (MQTT-3.1.2-14)' },
  'mqtt-will-qos-without-will': {
    en: 'without a will, the will QoS must be 0 (MQTT-3.1.2-13)',
    ru: 'без завещания QoS завещания должен быть 0 (MQTT-3.1.2-13)',
  },
  'mqtt-will-retain-without-will': {
    en: 'without a will, will retain must be 0 (MQTT-3.1.2-15)',
    ru: 'без завещания флаг «сохранять завещание» должен быть 0 (MQTT-3.1.2-15)',
  },
  'mqtt-password-without-user': {
    en: 'a password needs a user name in MQTT 3.1.1 (MQTT-3.1.2-22)',
    ru: 'в MQTT 3.1.1 пароль передают только вместе с именем пользователя (MQTT-3.1.2-22)',
  },
  'mqtt-empty-client-id': {
    en: 'an empty client id needs clean session 1; the server answers CONNACK 2 (MQTT-3.1.3-7, MQTT-3.1.3-8)',
    ru: 'с пустым идентификатором клиента нужна чистая сессия (1); сервер отвечает CONNACK 2 (MQTT-3.1.3-7, MQTT-3.1.3-8)',
  },
  'mqtt-packet-id-zero': { en: 'a packet id must not be 0 (MQTT-2.3.1-1)', ru: 'идентификатор пакета не может быть 0 (MQTT-2.3.1-1)' },
  'mqtt-topic-wildcard': {
    en: 'a topic name must not hold # or +: only filters may (MQTT-3.3.2-2, MQTT-4.7.1-1)',
    ru: 'в имени темы не может быть # или +: они только для фильтров (MQTT-3.3.2-2, MQTT-4.7.1-1)',
  },
  'mqtt-empty-topic': {
    en: 'topic names and filters are at least one character long (MQTT-4.7.3-1)',
    ru: 'имя темы и фильтр — хотя бы один символ (MQTT-4.7.3-1)',
  },
  'mqtt-filter-multi-level': {
    en: '# must be a whole level, the last of the filter (MQTT-4.7.1-2)',
    ru: '# должен занимать целый уровень, последний в фильтре (MQTT-4.7.1-2)',
  },
  'mqtt-filter-single-level': { en: '+ must be a whole level of the filter (MQTT-4.7.1-3)', ru: '+ должен занимать целый уровень фильтра (MQTT-4.7.1-3)' },
  'mqtt-invalid-utf8': {
    en: 'a string must be valid UTF-8: the receiver closes the connection (MQTT-1.5.3-1)',
    ru: 'строка должна быть корректным UTF-8: получатель закрывает соединение (MQTT-1.5.3-1)',
  },
  'mqtt-null-character': {
    en: 'a string must not hold U+0000: the receiver closes the connection (MQTT-1.5.3-2)',
    ru: 'в строке не может быть символа U+0000: получатель закрывает соединение (MQTT-1.5.3-2)',
  },
};

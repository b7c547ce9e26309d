import type { Bilingual } from '../shared/bilingual.ts';
import type { WireNode } from './types.ts';
import { countRu } from '../shared/russian-plural.ts';
import { MQTT_ERROR_TEXT } from './mqtt/mqtt-error-text.ts';

// Decoders write a node's `label` and `value` in English (stable, what tests and lesson checks
// read). A decoder may also give a node its Russian text here; the inspector shows it to readers
// of the Russian interface. The text rides on the node under a non-enumerable symbol, so WireNode
// stays plain data for JSON, comparisons and rendering. (A WeakMap, as in message-marks.ts, was
// measured first: with a million nodes its ephemeron bookkeeping tripled garbage collection.)
// Values that are data (a header's value, a number, a string from the wire) need no translation:
// give only the label, and the inspector keeps the node's own value.

export interface NodeText {
  label: string;
  value?: string;
}

const RUSSIAN = Symbol('wirelab.russian');
const RUSSIAN_SUMMARY = Symbol('wirelab.russian-summary');

type WithRussian = WireNode & { [RUSSIAN]?: NodeText; [RUSSIAN_SUMMARY]?: string };

function attach(node: WireNode, key: typeof RUSSIAN | typeof RUSSIAN_SUMMARY, text: NodeText | string): void {
  Object.defineProperty(node, key, { value: text, enumerable: false, writable: true, configurable: true });
}

/** Sets `node`'s Russian label (and value, when the English value is words rather than data). */
export function ru<T extends WireNode>(node: T, label: string, value?: string): T {
  attach(node, RUSSIAN, value === undefined ? { label } : { label, value });
  return node;
}

export function russianTextOf(node: WireNode): NodeText | undefined {
  return (node as WithRussian)[RUSSIAN];
}

/** Error codes of the HTTP/2, HPACK, gRPC and protobuf decoders, in both languages. */
export const WIRE_ERROR_TEXT: Readonly<Record<string, Bilingual>> = {
  incomplete: { en: 'not all bytes have arrived', ru: 'ещё не все байты пришли' },
  truncated: { en: 'cut short: the rest was never recorded', ru: 'оборвано: остальное так и не записалось' },
  'missing-preface': { en: 'an HTTP/2 connection must start with the client preface', ru: 'соединение HTTP/2 должно начинаться с преамбулы клиента' },
  'frame-size-error': { en: 'the frame has the wrong size for its type', ru: 'размер кадра не подходит для его типа' },
  'must-be-on-stream-0': { en: 'this frame type belongs to the whole connection (stream 0)', ru: 'кадр этого типа относится ко всему соединению (поток 0)' },
  'must-not-be-on-stream-0': { en: 'this frame type needs a stream, not stream 0', ru: 'кадру этого типа нужен поток, а не поток 0' },
  'zero-increment': { en: 'a window update of 0 is a protocol error', ru: 'увеличение окна на 0 — ошибка протокола' },
  'padding-too-long': { en: 'the padding is longer than the payload', ru: 'заполнение длиннее полезной нагрузки' },
  'reserved-bit-set': { en: 'the reserved bit must be 0', ru: 'зарезервированный бит должен быть 0' },
  'unexpected-continuation': {
    en: 'CONTINUATION without an unfinished header block before it',
    ru: 'CONTINUATION без незаконченного блока заголовков перед ним',
  },
  'expected-continuation': {
    en: 'a header block must be continued by CONTINUATION frames only',
    ru: 'блок заголовков могут продолжать только кадры CONTINUATION',
  },
  'frame-too-large': {
    en: 'the frame is longer than the receiver allows (SETTINGS_MAX_FRAME_SIZE, 16 384 bytes unless raised)',
    ru: 'кадр длиннее, чем разрешил получатель (SETTINGS_MAX_FRAME_SIZE, 16 384 байта, если не увеличен)',
  },
  'push-promise-from-client': {
    en: 'only a server may send PUSH_PROMISE: from a client it is a protocol error',
    ru: 'PUSH_PROMISE может отправлять только сервер: от клиента это ошибка протокола',
  },
  'table-size-above-limit': {
    en: 'the dynamic table size update is above the limit the decoder announced (SETTINGS_HEADER_TABLE_SIZE)',
    ru: 'новый размер динамической таблицы больше предела, объявленного декодером (SETTINGS_HEADER_TABLE_SIZE)',
  },
  'table-size-update-after-field': {
    en: 'a dynamic table size update must come at the start of the header block, before any field (RFC 7541 §4.2)',
    ru: 'изменение размера динамической таблицы должно стоять в начале блока заголовков, до первого поля (RFC 7541 §4.2)',
  },
  'header-block-incomplete': { en: 'the header block was not recorded to its end', ru: 'блок заголовков записан не до конца' },
  'truncated-integer': { en: 'an HPACK integer is cut short', ru: 'целое число HPACK оборвано' },
  'truncated-string': { en: 'an HPACK string is longer than the block', ru: 'строка HPACK длиннее блока' },
  'index-zero': { en: 'index 0 is not a table entry', ru: 'индекса 0 в таблице нет' },
  'index-out-of-range': { en: 'the index is past the end of the table', ru: 'индекс за концом таблицы' },
  'dynamic-entry-before-gap': { en: 'the entry was added before a gap in the recording', ru: 'запись добавлена до пропуска в записи трафика' },
  'huffman-invalid-code': { en: 'not a valid Huffman code', ru: 'недопустимый код Хаффмана' },
  'huffman-invalid-padding': {
    en: 'the Huffman padding must be the start of EOS (all ones, at most 7 bits)',
    ru: 'добивка Хаффмана должна быть началом EOS (одни единицы, не больше 7 бит)',
  },
  'huffman-eos': { en: 'EOS must not appear inside a Huffman string', ru: 'символ EOS не может стоять внутри строки' },
  'truncated-varint': { en: 'a varint that never ends', ru: 'varint не заканчивается' },
  'length-past-end': { en: 'the length goes past the end of the message', ru: 'длина выходит за конец сообщения' },
  'truncated-fixed': { en: 'a fixed-size value is cut short', ru: 'значение фиксированной длины оборвано' },
  'invalid-wire-type': { en: 'wire types 6 and 7 do not exist', ru: 'типов 6 и 7 не существует' },
  'invalid-field-number': { en: 'a field number must be from 1 to 536 870 911 (2^29 − 1)', ru: 'номер поля должен быть от 1 до 536 870 911 (2^29 − 1)' },
  'group-not-decoded': { en: 'groups (deprecated) are not decoded', ru: 'группы (устаревшие) не разбираются' },
  'invalid-utf8': { en: 'a string field must be valid UTF-8', ru: 'строковое поле должно быть корректным UTF-8' },
  'invalid-base64': { en: 'not valid base64', ru: 'это не base64' },
  'invalid-json': { en: 'not valid JSON', ru: 'это не JSON' },
  'connection-decode-failed': {
    en: 'decoding this connection failed: its bytes are shown raw',
    ru: 'разобрать это соединение не удалось: его байты показаны как есть',
  },
  // JSON bodies (wire/json): the RFC 8259 section a syntax error breaks
  'json-invalid-2': {
    en: 'not JSON (RFC 8259 §2: one value between optional whitespace)',
    ru: 'это не JSON (RFC 8259 §2: одно значение, вокруг только пробельные символы)',
  },
  'json-invalid-4': { en: 'not a valid JSON object (RFC 8259 §4)', ru: 'неверный JSON-объект (RFC 8259 §4)' },
  'json-invalid-5': { en: 'not a valid JSON array (RFC 8259 §5)', ru: 'неверный JSON-массив (RFC 8259 §5)' },
  'json-invalid-6': { en: 'not a valid JSON number (RFC 8259 §6)', ru: 'неверное JSON-число (RFC 8259 §6)' },
  'json-invalid-7': { en: 'not a valid JSON string (RFC 8259 §7)', ru: 'неверная JSON-строка (RFC 8259 §7)' },
  'json-invalid-9': {
    en: 'nested deeper than this decoder reads (RFC 8259 §9 lets a parser limit nesting)',
    ru: 'вложенность глубже, чем читает этот декодер (RFC 8259 §9 разрешает парсеру её ограничить)',
  },
  'not-delivered': {
    en: 'not delivered: the client was gone when these bytes were written',
    ru: 'не доставлено: когда эти байты записали, клиента уже не было',
  },
  'decoder-failed': { en: 'the decoder failed on these bytes', ru: 'декодер не справился с этими байтами' },
  'decoder-unavailable': {
    en: 'the decoder for these bytes could not be downloaded: reload the page to try again',
    ru: 'декодер для этих байтов не удалось загрузить: обновите страницу, чтобы попробовать снова',
  },
  // GraphQL layers (wire/graphql)
  'graphql-syntax-error': { en: 'not valid GraphQL syntax', ru: 'синтаксическая ошибка GraphQL' },
  'missing-query': { en: 'the request has no "query"', ru: 'в запросе нет поля "query"' },
  'not-an-object': { en: 'a JSON object was expected here', ru: 'здесь ожидался JSON-объект' },
  'unknown-type': { en: 'not a message type of this subprotocol', ru: 'в этом подпротоколе нет такого типа сообщений' },
  'missing-type': { en: 'the message has no "type"', ru: 'у сообщения нет поля "type"' },
  'binary-message': { en: 'this subprotocol allows text messages only', ru: 'этот подпротокол допускает только текстовые сообщения' },
  'not-executable': { en: 'type definitions cannot be executed', ru: 'определения типов нельзя выполнить' },
  // MQTT (wire/mqtt), each naming its clause of the specification
  ...MQTT_ERROR_TEXT,
};

/** A decoder error code in the reader's language; undefined for codes of other decoders. */
export function wireErrorText(code: string, lang: 'en' | 'ru'): string | undefined {
  const known = WIRE_ERROR_TEXT[code];
  if (known) return known[lang];
  // every non-OK gRPC status is an error of its node: grpc-not-found, grpc-invalid-argument…
  if (code.startsWith('grpc-'))
    return lang === 'ru'
      ? `вызов завершился со статусом ${code.slice(5).toUpperCase().replace(/-/g, '_')}`
      : `the call ended with ${code.slice(5).toUpperCase().replace(/-/g, '_')}`;
  return undefined;
}

export const bytesRu = (count: number): string => countRu(count, 'байт', 'байта', 'байт');

/** Replaces a node's value in both languages (when the value became data: a type name, a date). */
export function setValue(node: WireNode, value: string): void {
  node.value = value;
  const text = russianTextOf(node);
  if (text) attach(node, RUSSIAN, { ...text, value });
}

/** The Russian one-line summary of the WireMessage whose tree is `tree`. */
export function ruSummary(tree: WireNode, summary: string): void {
  attach(tree, RUSSIAN_SUMMARY, summary);
}

export function russianSummaryOf(message: { tree: WireNode }): string | undefined {
  return (message.tree as WithRussian)[RUSSIAN_SUMMARY];
}

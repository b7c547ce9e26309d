import type { Bilingual } from '../../../shared/bilingual.ts';
import { countRu } from '../../../shared/russian-plural.ts';
import { MAX_CLOSE_REASON_BYTES } from './limits.ts';

export type { Bilingual };

/**
 * A close frame's reason in both languages when that fits in the frame's 123 bytes, otherwise
 * the English one alone (a page sees the reason in its close event; the full text went before
 * it as an error message).
 */
export function closeReason(text: Bilingual): string {
  const both = `${text.en} / ${text.ru}`;
  if (Buffer.byteLength(both) <= MAX_CLOSE_REASON_BYTES) return both;
  return Buffer.byteLength(text.en) <= MAX_CLOSE_REASON_BYTES ? text.en : '';
}

export const messages = {
  notFound: (path: string, known: readonly string[]): Bilingual => ({
    en: `There is no WebSocket endpoint ${path}. There are: ${known.join(', ')}.`,
    ru: `WebSocket-адреса ${path} нет. Есть такие: ${known.join(', ')}.`,
  }),
  upgradeRequired: (path: string): Bilingual => ({
    en: `${path} speaks WebSocket only: send a GET over HTTP/1.1 with Upgrade: websocket (new WebSocket("ws://…${path}") in a page).`,
    ru: `${path} говорит только по WebSocket: нужен GET по HTTP/1.1 с заголовком Upgrade: websocket (на странице — new WebSocket("ws://…${path}")).`,
  }),
  shuttingDown: (): Bilingual => ({ en: 'server shutting down', ru: 'сервер выключается' }),
  tooManyConnections: (max: number): Bilingual => ({
    en: `too many WebSockets (max ${max})`,
    ru: `слишком много WebSocket (макс. ${max})`,
  }),
  roomFull: (max: number): Bilingual => ({ en: `chat room full (max ${max})`, ru: `чат заполнен (макс. ${max})` }),
  tooSlow: (): Bilingual => ({ en: 'client reads too slowly', ru: 'клиент читает слишком медленно' }),
  badQuery: (): Bilingual => ({ en: 'bad query parameter', ru: 'неверный параметр запроса' }),
  badPingInterval: (value: string, min: number, max: number): Bilingual => ({
    en: `ping must be a whole number of milliseconds from ${min} to ${max}, not "${value}".`,
    ru: `ping — целое число миллисекунд от ${min} до ${max}, а не «${value}».`,
  }),
  badFragments: (value: string, max: number): Bilingual => ({
    en: `fragments must be a whole number from 1 to ${max}, not "${value}".`,
    ru: `fragments — целое число от 1 до ${max}, а не «${value}».`,
  }),
  unknownQuery: (name: string, known: readonly string[]): Bilingual => ({
    en: `Unknown query parameter "${name}". This endpoint knows: ${known.join(', ')}.`,
    ru: `Неизвестный параметр запроса «${name}». Этот адрес понимает: ${known.join(', ')}.`,
  }),
  // The echo endpoint's control messages.
  // JSON.parse explains itself in English only: the Russian text keeps just where it stopped.
  badCommandJson: (problem: string): Bilingual => {
    const position = /at position (\d+)/.exec(problem)?.[1];
    const where = position === undefined ? '' : ` (разбор остановился на символе ${Number(position) + 1})`;
    return {
      en: `This looks like a control message ({"wirelab": …}), but it is not valid JSON: ${problem}. Send {"wirelab":"help"} for the list of commands.`,
      ru: `Это похоже на управляющее сообщение ({"wirelab": …}), но это некорректный JSON${where}. Список команд — {"wirelab":"help"}.`,
    };
  },
  unknownCommand: (command: string, known: readonly string[]): Bilingual => ({
    en: `Unknown command "${command}". Commands: ${known.join(', ')}.`,
    ru: `Неизвестная команда «${command}». Команды: ${known.join(', ')}.`,
  }),
  badField: (field: string, expected: Bilingual): Bilingual => ({
    en: `"${field}" must be ${expected.en}.`,
    ru: `«${field}» должно быть ${expected.ru}.`,
  }),
  unknownFields: (fields: readonly string[], known: readonly string[]): Bilingual => ({
    en: `Unknown field(s) ${fields.map((f) => `"${f}"`).join(', ')}; this command takes ${known.join(', ') || 'nothing else'}.`,
    ru: `Лишние поля: ${fields.map((f) => `«${f}»`).join(', ')}; эта команда принимает ${known.join(', ') || 'только имя команды'}.`,
  }),
  textOrHex: (): Bilingual => ({
    en: 'Give the message as "text" or as "hex" (bytes), exactly one of them.',
    ru: 'Укажите сообщение в поле "text" или "hex" (байты) — ровно в одном из них.',
  }),
  tooFewBytes: (frames: number, bytes: number): Bilingual => ({
    en: `${bytes} byte(s) cannot be split into ${frames} non-empty frames: send a longer message or fewer frames.`,
    ru: `${countRu(bytes, 'байт', 'байта', 'байт')} нельзя разделить на ${countRu(frames, 'непустой кадр', 'непустых кадра', 'непустых кадров')}: отправьте сообщение длиннее или уменьшите число кадров.`,
  }),
  tooLarge: (bytes: number, max: number): Bilingual => ({
    en: `The message is ${bytes} bytes; this endpoint allows ${max}.`,
    ru: `В сообщении ${countRu(bytes, 'байт', 'байта', 'байт')}, а этот адрес принимает не больше ${max}.`,
  }),
  closeCodeNotSendable: (code: number): Bilingual => ({
    en: `${code} cannot be sent in a close frame: use 1000–1003, 1007–1014 or 3000–4999 (1005, 1006 and 1015 are never on the wire, 1004 is reserved).`,
    ru: `Код ${code} нельзя отправить в кадре закрытия: допустимы 1000–1003, 1007–1014 и 3000–4999 (1005, 1006 и 1015 никогда не передаются, 1004 зарезервирован).`,
  }),
  // The chat (wirelab.chat.v1).
  subprotocolRequired: (name: string): Bilingual => ({ en: `offer subprotocol ${name}`, ru: `нужен подпротокол ${name}` }),
  binaryInChat: (): Bilingual => ({ en: 'chat messages are text', ru: 'сообщения чата — текст' }),
  badChatText: (max: number): Bilingual => ({
    en: `A chat message is 1 to ${max} characters of text, not only spaces.`,
    ru: `Сообщение чата — от 1 до ${max} символов текста, не одни пробелы.`,
  }),
  badChatName: (max: number): Bilingual => ({
    en: `name must be 1 to ${max} characters without control characters.`,
    ru: `name — от 1 до ${max} символов без управляющих символов.`,
  }),
  chatRateLimited: (max: number): Bilingual => ({
    en: `Too many messages: at most ${max} per second. Messages over the limit are dropped.`,
    ru: `Слишком много сообщений: не больше ${max} в секунду. Лишние сообщения отброшены.`,
  }),
};

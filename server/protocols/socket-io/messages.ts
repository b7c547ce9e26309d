import type { Bilingual } from '../../../shared/bilingual.ts';
export type { Bilingual };

/** What the server sends when it refuses something: a stable code, English `message`, both languages in `localized`. */
export interface SocketIoErrorData {
  code: SocketIoErrorCode;
  message: string;
  localized: Bilingual;
  /** The event that was refused, when there is one. */
  event?: string;
}

export type SocketIoErrorCode =
  | 'NAME_REQUIRED'
  | 'BAD_ROOM'
  | 'TOO_MANY_ROOMS'
  | 'NOT_IN_ROOM'
  | 'BAD_MESSAGE'
  | 'BAD_PAYLOAD'
  | 'UNKNOWN_EVENT'
  | 'RATE_LIMITED'
  | 'BAD_PACKET';

export function errorData(code: SocketIoErrorCode, text: Bilingual, event?: string): SocketIoErrorData {
  return { code, message: text.en, localized: text, ...(event === undefined ? {} : { event }) };
}

export const messages = {
  nameRequired: (max: number): Bilingual => ({
    en: `A name is required: connect with auth {"name":"…"}, 1 to ${max} characters.`,
    ru: `Нужно имя: подключайтесь с auth {"name":"…"}, от 1 до ${max} символов.`,
  }),
  badRoom: (max: number): Bilingual => ({
    en: `A room name is 1 to ${max} letters, digits, spaces, "_", "-" or ".".`,
    ru: `Имя комнаты — от 1 до ${max} букв, цифр, пробелов и знаков «_», «-», «.».`,
  }),
  tooManyRooms: (max: number): Bilingual => ({
    en: `A socket can be in at most ${max} rooms: leave one first (chat:leave).`,
    ru: `Сокет может состоять не более чем в ${max} комнатах: сначала выйдите из одной из них (chat:leave).`,
  }),
  notInRoom: (room: string): Bilingual => ({
    en: `You are not in the room "${room}": join it first (chat:join).`,
    ru: `Вы не в комнате «${room}»: сначала войдите в неё (chat:join).`,
  }),
  badMessage: (max: number): Bilingual => ({
    en: `A chat message is {"room":"…","text":"…"} with a text of 1 to ${max} characters.`,
    ru: `Сообщение чата — это {"room":"…","text":"…"}, где text — от 1 до ${max} символов.`,
  }),
  badTyping: (): Bilingual => ({
    en: 'A typing notice is {"room":"…","typing":true} or {"room":"…","typing":false}.',
    ru: 'Уведомление о наборе — это {"room":"…","typing":true} или {"room":"…","typing":false}.',
  }),
  unknownEvent: (event: string, known: readonly string[]): Bilingual => ({
    en: `This namespace has no event "${event}". It knows: ${known.join(', ')}.`,
    ru: `В этом пространстве имён нет события «${event}». Известные события: ${known.join(', ')}.`,
  }),
  rateLimited: (max: number): Bilingual => ({
    en: `Too many events: at most ${max} per second per socket. Events over the limit are dropped.`,
    ru: `Слишком много событий: не больше ${max} в секунду на сокет. Всё сверх лимита отбрасывается.`,
  }),
  badPacket: (): Bilingual => ({
    en: 'That was not a valid Socket.IO packet: a type digit, then optionally a namespace and an ack id, then JSON. The server closes the connection.',
    ru: 'Это некорректный пакет Socket.IO: нужна цифра типа, затем при необходимости пространство имён и номер подтверждения, затем JSON. Сервер закрывает соединение.',
  }),
  tooManyConnections: (max: number): Bilingual => ({
    en: `Too many Socket.IO connections for this session: at most ${max} at once. Close one and try again.`,
    ru: `Слишком много подключений Socket.IO в этой сессии: не больше ${max} одновременно. Закройте одно и попробуйте снова.`,
  }),
};

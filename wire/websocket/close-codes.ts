// Close status codes (RFC 6455 §7.4 and the IANA "WebSocket Close Code Number Registry"), in
// English (stable: tests, summaries and lesson checks read it) and in Russian (the inspector's
// Russian interface shows it).

import type { Bilingual } from '../../shared/bilingual.ts';

/** RFC 6455 §7.4.1 "going away": Wirelab's server closes every app WebSocket with it at shutdown, and the pages read it as a restart. */
export const GOING_AWAY = 1001;

const NAMED: Readonly<Record<number, Bilingual>> = {
  1000: { en: 'normal closure', ru: 'обычное закрытие' },
  1001: { en: 'going away', ru: 'сторона уходит (сервер останавливается, страницу закрыли)' },
  1002: { en: 'protocol error', ru: 'ошибка протокола' },
  1003: { en: 'unsupported data', ru: 'данные такого типа не принимаются' },
  1005: { en: 'no status received', ru: 'код не получен' },
  1006: { en: 'abnormal closure', ru: 'соединение оборвалось без кадра close' },
  1007: { en: 'invalid frame payload data', ru: 'недопустимые данные в кадре' },
  1008: { en: 'policy violation', ru: 'нарушение правил сервера' },
  1009: { en: 'message too big', ru: 'сообщение слишком большое' },
  1010: { en: 'mandatory extension', ru: 'сервер не согласовал нужное расширение' },
  1011: { en: 'internal error', ru: 'внутренняя ошибка сервера' },
  1012: { en: 'service restart', ru: 'сервис перезапускается' },
  1013: { en: 'try again later', ru: 'попробуйте позже' },
  1014: { en: 'bad gateway', ru: 'ошибка шлюза' },
  1015: { en: 'TLS handshake', ru: 'ошибка рукопожатия TLS' },
  3000: { en: 'unauthorized', ru: 'нужна авторизация' },
  3003: { en: 'forbidden', ru: 'доступ запрещён' },
  3008: { en: 'timeout', ru: 'время ожидания истекло' },
};

const PRIVATE_USE: Bilingual = { en: 'private use (the application defines it)', ru: 'для частного использования (смысл задаёт приложение)' };
const REGISTERED: Bilingual = { en: 'registered for libraries and frameworks', ru: 'регистрируется для библиотек и фреймворков' };
const RESERVED: Bilingual = { en: 'reserved for the protocol', ru: 'зарезервирован для протокола' };
const NOT_A_CODE: Bilingual = { en: 'not a close code', ru: 'такого кода закрытия нет' };

/** A close code's name in both languages: the registered name, or the range it falls in. */
export function closeCodeText(code: number): Bilingual {
  if (NAMED[code]) return NAMED[code];
  if (code >= 4000 && code <= 4999) return PRIVATE_USE;
  if (code >= 3000 && code <= 3999) return REGISTERED;
  if (code >= 1000 && code <= 2999) return RESERVED;
  return NOT_A_CODE;
}

/** A stable English name for a close code: registered name, or the range it falls in. */
export function closeCodeName(code: number): string {
  return closeCodeText(code).en;
}

/**
 * Whether an endpoint may send this code in a Close frame: 1005, 1006 and 1015 only report
 * what happened locally and must never be sent; 1016–2999 are reserved; below 1000 and from
 * 5000 nothing is defined (RFC 6455 §7.4.2).
 */
export function isSendableCloseCode(code: number): boolean {
  if (code >= 3000 && code <= 4999) return true;
  return code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006;
}

/** The status code a Close frame's (unmasked) payload begins with, big-endian (§5.5.1); null when it has none (fewer than 2 bytes). */
export function closeCodeOf(payload: Uint8Array): number | null {
  return payload.length >= 2 ? (payload[0]! << 8) | payload[1]! : null;
}

/** The reason's UTF-8 bytes after the code (§5.5.1): empty without a code. */
export function closeReasonBytes(payload: Uint8Array): Uint8Array {
  return payload.length >= 2 ? payload.subarray(2) : payload.subarray(payload.length);
}

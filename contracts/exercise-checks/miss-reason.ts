import type { AttemptMiss, MissDifference, MissKind } from '../class-channel/messages.ts';
import type { Bilingual } from '../../shared/bilingual.ts';

// What a counted miss was, in a few words of both languages: the board's attempts column, its
// CSV (server/classroom/board/board-csv.ts) and the teacher's panel of a student's attempts
// (web/classroom/member-attempts-panel.tsx) say it alike — one wording per reason.

const KIND_TEXT: Record<MissKind, Bilingual> = {
  'no-request': { en: 'no such request sent yet', ru: 'такой запрос ещё не отправлен' },
  'response-differs': { en: 'the response was not the one asked for', ru: 'ответ не тот, что нужен' },
  'no-answer': { en: 'no answer typed', ru: 'ответ не введён' },
  'wrong-answer': { en: 'the typed answer differs from the response', ru: 'введённый ответ не совпадает с ответом сервера' },
  'no-value': { en: 'the response has no such value', ru: 'в ответе нет такого значения' },
  'wrong-message-answer': { en: 'the typed answer differs from the message', ru: 'введённый ответ не совпадает с сообщением' },
  'no-message': { en: 'not enough matching messages', ru: 'подходящих сообщений меньше, чем нужно' },
  'wrong-capture-answer': { en: 'a wrong answer about the capture', ru: 'неверный ответ по записи' },
  'capture-file': { en: "judged from the lesson's capture file, not from the traffic", ru: 'проверяется по файлу записи урока, а не по трафику' },
};

const DIFFERENCE_TEXT: Record<MissDifference, Bilingual> = {
  'no-response': { en: 'no response', ru: 'ответа нет' },
  status: { en: 'a different status', ru: 'другой код статуса' },
  header: { en: 'a header missing or different', ru: 'заголовка нет или он другой' },
  body: { en: 'a different body', ru: 'другое тело ответа' },
};

/** What was wrong, without the request: "a different status" / "другой код статуса". */
export function missWhat(miss: AttemptMiss): Bilingual {
  return miss.kind === 'response-differs' && miss.differs ? DIFFERENCE_TEXT[miss.differs] : KIND_TEXT[miss.kind];
}

/**
 * "GET /api/v1/users/1 → 200: a different status" / "… → 200: другой код статуса"; a wrong answer
 * about a capture with the answer sent: "a wrong answer about the capture: “2”" / "неверный ответ по записи: «2»".
 */
export function missReason(miss: AttemptMiss): Bilingual {
  const what = missWhat(miss);
  if (miss.answer !== undefined) return { en: `${what.en}: “${miss.answer}”`, ru: `${what.ru}: «${miss.answer}»` };
  const about = miss.request ? `${miss.request}${miss.status !== undefined ? ` → ${miss.status}` : ''}: ` : miss.status !== undefined ? `${miss.status}: ` : '';
  return { en: `${about}${what.en}`, ru: `${about}${what.ru}` };
}

/** Every miss's reason, in order, in one language: "…; …". */
export function missReasons(misses: readonly AttemptMiss[], lang: keyof Bilingual): string {
  return misses.map((miss) => missReason(miss)[lang]).join('; ');
}

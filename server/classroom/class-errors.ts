import type { Bilingual } from '../../shared/bilingual.ts';
import type { FastifyReply } from 'fastify';
import { PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE } from '../answers/problem.ts';
import { MEMBER_OUT_CLOSE, type ClassServerErrorCode } from '../../contracts/class-channel/messages.ts';

// The classroom's refusals: over HTTP in both languages (the page shows its own text by code),
// and the close codes that put a student's channel out of the class.

type ErrorCode = ClassServerErrorCode;

/** The messages of every error, in both languages (the page shows its own strings by code). */
export const ERROR_TEXT: Record<ErrorCode, Bilingual> = {
  BAD_CODE: { en: 'A class code is six Latin letters and digits, e.g. K7F-M3Q', ru: 'Код класса — шесть латинских букв и цифр, например K7F-M3Q' },
  BAD_NAME: { en: 'A name is 1 to 40 characters', ru: 'Имя — от 1 до 40 символов' },
  BAD_RESULT: { en: 'A result names a lesson, an exercise and passed: true or false', ru: 'Результат называет урок, упражнение и passed: true или false' },
  NO_SUCH_EXERCISE: { en: 'There is no such exercise in the lessons of this server', ru: 'В уроках этого сервера нет такого упражнения' },
  BAD_TITLE: { en: 'A class title is 1 to 80 characters', ru: 'Название класса — от 1 до 80 символов' },
  NO_SUCH_CLASS: { en: 'There is no class with this code', ru: 'Класса с таким кодом нет' },
  NAME_TAKEN: {
    en: 'This name is taken in this class; to rejoin as yourself, enter your rejoin code',
    ru: 'Это имя в классе уже занято; чтобы вернуться под своим именем, введите код возврата',
  },
  NO_SUCH_MEMBER: { en: 'There is no such student in this class', ru: 'В этом классе нет такого студента' },
  CLASS_FULL: { en: 'The class is full', ru: 'Класс заполнен' },
  TOO_MANY_CLASSES: { en: 'This server has as many classes as it keeps', ru: 'На этом сервере уже предельное число классов' },
  TOO_MANY_RESULTS: { en: 'Too many exercises reported', ru: 'Слишком много упражнений в отчёте' },
  NOT_A_MEMBER: { en: 'Join the class first', ru: 'Сначала войдите в класс' },
  CLASS_ENDED: {
    en: 'The teacher has ended this class: it takes no new students and no results',
    ru: 'Преподаватель завершил этот класс: новых студентов и результаты он больше не принимает',
  },
  BAD_NOTICE: { en: 'A message to the class is 1 to 280 characters of text', ru: 'Сообщение классу — текст от 1 до 280 символов' },
  BAD_TIMER: { en: 'A timer runs 1 to 180 whole minutes', ru: 'Таймер ставится на целое число минут, от 1 до 180' },
  BAD_CELL: {
    en: 'A cell sent to the class is a cell of one of the lessons, at most 16 000 characters, from the tab that leads the class',
    ru: 'Классу отправляют ячейку одного из уроков, не длиннее 16 000 символов, из вкладки, которая ведёт класс',
  },
  NO_SUCH_CAPTURE: {
    en: 'Only a shared capture this server keeps (not expired, not deleted) can be shown to the class, from the tab that leads it',
    ru: 'Показать классу можно только запись, которую хранит этот сервер (её срок не истёк, её не удалили), и только из вкладки, которая ведёт класс',
  },
  BAD_FREEZE: { en: 'Freezing is on: true or off: false', ru: 'Заморозка включается on: true и снимается on: false' },
  TEACHER_KEY_REQUIRED: { en: 'This needs the teacher key', ru: 'Для этого нужен ключ преподавателя' },
  TEACHER_KEY_LIMITED: {
    en: 'Too many wrong teacher keys from this address: wait the seconds Retry-After names, then try again',
    ru: 'С этого адреса было слишком много неверных ключей преподавателя: подождите столько секунд, сколько указано в Retry-After, и попробуйте снова',
  },
  RATE_LIMITED: { en: 'Too many requests from this address, try again shortly', ru: 'Слишком много запросов с этого адреса, попробуйте чуть позже' },
  CROSS_ORIGIN: { en: 'Only pages of this server may open the class channel', ru: 'Канал класса открывают только страницы этого сервера' },
};

/** NAME_TAKEN's text when the name taken only looks the same as the one asked for (a join's `lookalike: true`). */
export const NAME_LOOKALIKE_TEXT: Bilingual = {
  en: 'This name looks the same as one taken in this class (“Вob” with a Cyrillic “В” is “Bob”); to rejoin as yourself, enter your rejoin code',
  ru: 'Это имя на вид не отличить от занятого в классе («Вob» с кириллической «В» — это «Bob»); чтобы вернуться под своим именем, введите код возврата',
};

/**
 * What a student's write gets while the teacher has frozen the class's writes (README.md,
 * "Freezing writes"): REST's 423 problem, GraphQL's WRITES_FROZEN error, gRPC's FAILED_PRECONDITION.
 */
export const WRITES_FROZEN_TEXT = {
  en: 'The teacher has frozen changes to your data while demonstrating: reading works, writing is refused until the teacher lifts the freeze',
  ru: 'Преподаватель заморозил изменения ваших данных на время показа: читать можно, а запись не пройдёт, пока он не снимет заморозку',
};

/**
 * An RFC 9457 problem, as the rest of the server answers, in both languages (`localized`); `error`,
 * `message` and `messageRu` stay for the pages and scripts that read them.
 */
export function sendError(
  reply: FastifyReply,
  status: number,
  error: ErrorCode,
  /** a more precise text than the code's, and fields the page reads besides `error` */
  { text = ERROR_TEXT[error], extra = {} }: { text?: Bilingual; extra?: Record<string, unknown> } = {},
): FastifyReply {
  return reply
    .code(status)
    .type(PROBLEM_MEDIA_TYPE)
    .send({
      type: `${PROBLEM_TYPE_BASE}class-${error.toLowerCase().replace(/_/g, '-')}`,
      title: text.en,
      status,
      detail: text.en,
      instance: reply.request.url,
      localized: text,
      error,
      message: text.en,
      messageRu: text.ru,
      ...extra,
    });
}

/** The close codes that put a student's channel out (contracts/class-channel/PROTOCOL.md). */
export { MEMBER_OUT_CLOSE };

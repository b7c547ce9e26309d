import type { Bilingual } from '../../shared/bilingual.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_BASE } from './problem.ts';

/**
 * An RFC 9457 problem as the REST API sends it, `detail` in English and both languages in the
 * extension member `localized` (the consoles show the reader's language).
 */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  slug: string,
  title: string,
  text: Bilingual,
  headers: Record<string, string> = {},
): FastifyReply {
  reply.code(status).headers(headers).header('cache-control', 'no-store').type(PROBLEM_MEDIA_TYPE);
  return reply.send(JSON.stringify({ type: PROBLEM_TYPE_BASE + slug, title, status, detail: text.en, instance: request.url, localized: text }));
}

/** Does the Accept header admit one of these media ranges? No header admits anything. */
export function accepts(accept: string | undefined, ranges: readonly string[]): boolean {
  if (!accept || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [mediaRange, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) return false;
    return ranges.includes(mediaRange);
  });
}

/** The query's parameters that this endpoint does not know, if any. */
export function unknownParameters(query: unknown, known: readonly string[]): string[] {
  return Object.keys((query ?? {}) as Record<string, unknown>).filter((name) => !known.includes(name));
}

/** A query value given once (`?a=1&a=2` arrives as an array and is refused like garbage). */
export function single(query: unknown, name: string): string | undefined | null {
  const value = ((query ?? {}) as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : null;
}

export const messages = {
  unknownParameter: (names: readonly string[], known: readonly string[]): Bilingual => ({
    en: `Unknown query parameter(s) ${names.join(', ')}; this endpoint knows ${known.join(', ')}.`,
    ru: `Неизвестные параметры запроса: ${names.join(', ')}; этот адрес понимает ${known.join(', ')}.`,
  }),
  wholeNumber: (name: string, value: string, min: number, max: number, unit: Bilingual): Bilingual => ({
    en: `${name} must be a whole number of ${unit.en} from ${min} to ${max}, not "${value}".`,
    ru: `${name} — целое число ${unit.ru} от ${min} до ${max}, а не «${value}».`,
  }),
  badEventId: (value: string): Bilingual => ({
    en: `Last-Event-ID must be an event id this stream sent (a whole number), not "${value}".`,
    ru: `Last-Event-ID — это id события, которое прислал этот поток (целое число), а не «${value}».`,
  }),
  notAcceptable: (type: string, accept: string): Bilingual => ({
    en: `This endpoint answers ${type} only; Accept was "${accept}".`,
    ru: `Этот адрес отвечает только в формате ${type}, а в Accept было «${accept}».`,
  }),
  tooMany: (what: Bilingual, max: number): Bilingual => ({
    en: `At most ${max} ${what.en} at once per session: close one first.`,
    ru: `Не больше ${max} ${what.ru} одновременно на сессию: сначала закройте один.`,
  }),
  methodNotAllowed: (path: string, method: string): Bilingual => ({
    en: `${path} answers GET only, not ${method}.`,
    ru: `${path} отвечает только на GET, а не на ${method}.`,
  }),
  shuttingDown: (): Bilingual => ({
    en: 'The server is shutting down: try again in a few seconds.',
    ru: 'Сервер выключается: повторите через несколько секунд.',
  }),
};

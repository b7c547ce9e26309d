// What the REST suite's checks share (checks/rest.ts and the rest-*.ts beside it): the users the
// suite created, one request and its verdict, and the few expectations many checks state.
import type { Bilingual } from '../../../shared/bilingual.ts';
import { failed, verdict, type SuiteContext, type Expectation } from '../check-kit.ts';
import { httpExchange, mediaType, parseJson, type HttpAnswer, type HttpRequestSpec } from '../http-exchange.ts';

export const USERS = '/api/v1/users';
export const ACCEPT = { accept: 'application/json, application/problem+json' };

/** A user id as the server gave it: JSON allows any type, a number or a string (a UUID) alike. */
export type UserId = number | string;

export interface CreatedUser {
  id: UserId | null;
  path: string | null;
  email: string;
  answer: HttpAnswer | null;
  error?: string;
}

export interface RestState {
  first: CreatedUser;
  second: CreatedUser;
  /** Users a check made though it should not have (a duplicate let through, say): deleted by the clean-up. */
  strays: string[];
  /**
   * In every email this run sends, so the clean-up finds what the run left whatever the server
   * answered (a user saved before a refusal), and the next run never meets it (issue 38, item 5).
   */
  runTag: string;
}

export function newUser(tag: string, runTag: string): { name: string; email: string } {
  return { name: `Wirelab check ${tag}`, email: `wirelab-check-${tag}-${runTag}@example.com` };
}

export function userPath(answer: HttpAnswer, id: UserId | null): string | null {
  const location = answer.headers.location;
  if (typeof location === 'string' && location) return new URL(location, 'http://student.invalid').pathname;
  return id === null ? null : `${USERS}/${encodeURIComponent(String(id))}`;
}

/** The id of a created user: a number or a non-empty string, as JSON has them (RFC 8259 §6, §7). */
export function readId(text: string): UserId | null {
  const id = (parseJson(text) as { id?: unknown } | undefined)?.id;
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

export async function createUser(context: SuiteContext, tag: string, runTag: string): Promise<CreatedUser> {
  const body = newUser(tag, runTag);
  try {
    const answer = await httpExchange(context, { method: 'POST', path: USERS, headers: ACCEPT, body });
    const id = answer.status >= 200 && answer.status < 300 ? readId(answer.text) : null;
    return { id, path: userPath(answer, id), email: body.email, answer };
  } catch (error) {
    return { id: null, path: null, email: body.email, answer: null, error: (error as Error).message };
  }
}

export const noUser = (user: CreatedUser) =>
  failed('', user.error ?? user.answer?.got ?? '', {
    en: 'No user to check this on: creating one with POST /api/v1/users did not give an id (see the first check).',
    ru: 'Не на ком проверить: создание пользователя через POST /api/v1/users не дало id (см. первую проверку).',
  });

export function isProblem(answer: HttpAnswer, status: number): boolean {
  const body = parseJson(answer.text) as { status?: unknown; title?: unknown } | undefined;
  return mediaType(answer.headers) === 'application/problem+json' && body?.status === status && typeof body?.title === 'string';
}

export function statusIs(answer: HttpAnswer, status: number): Expectation {
  const crashed = answer.status === 500 && status !== 500 ? HANDLER_RAISED : { en: '', ru: '' };
  return [
    answer.status === status,
    { en: `status ${answer.status}, not ${status}${crashed.en}`, ru: `статус ${answer.status}, а не ${status}${crashed.ru}` },
    answer,
  ];
}

/** A 500 is what a web framework answers when the application's handler raises: said so, since that code is the student's. */
export const HANDLER_RAISED: Bilingual = {
  en: " — a 500 is what a framework answers when your handler raised an exception: see the server's log",
  ru: ' — 500 фреймворк отвечает, когда ваш обработчик выбросил исключение: загляните в логи сервера',
};

export function problemIs(answer: HttpAnswer, status: number): Expectation {
  return [
    isProblem(answer, status),
    {
      en: `the body is not application/problem+json with "status": ${status} and a "title" (Content-Type: ${mediaType(answer.headers) || 'none'})`,
      ru: `тело — не application/problem+json с "status": ${status} и "title" (Content-Type: ${mediaType(answer.headers) || 'нет'})`,
    },
    answer,
  ];
}

/**
 * One request and its verdict. `strays`: where a POST that should have been refused but created a
 * user anyway leaves that user's path, so the clean-up deletes it and the next run starts clean.
 */
export async function exchange(context: SuiteContext, spec: HttpRequestSpec, judge: (answer: HttpAnswer) => Array<Expectation>, strays?: string[]) {
  const answer = await httpExchange(context, { ...spec, headers: { ...ACCEPT, ...spec.headers } });
  if (strays && spec.method === 'POST' && answer.status >= 200 && answer.status < 300) {
    const path = userPath(answer, readId(answer.text));
    if (path) strays.push(path);
  }
  return verdict(answer.sent, answer.got, judge(answer));
}

/** 200 with the representation or 204 without one: both say a PUT succeeded (RFC 9110 §9.3.4). */
export function putSucceeded(answer: HttpAnswer): Expectation {
  return [
    answer.status === 200 || answer.status === 204,
    { en: `status ${answer.status}, not 200 or 204`, ru: `статус ${answer.status}, а не 200 или 204` },
    answer,
  ];
}

export const isWeak = (etag: string) => etag.startsWith('W/');

export function fullUser(user: CreatedUser, name: string) {
  return { name, email: user.email, status: 'active', roles: ['reader'], metadata: {}, phone: null };
}

export async function currentEtag(context: SuiteContext, path: string): Promise<string | null> {
  const answer = await httpExchange(context, { method: 'GET', path, headers: ACCEPT });
  const etag = answer.headers.etag;
  return typeof etag === 'string' && etag ? etag : null;
}

/** Several exchanges' bytes as one transcript, in the order they happened. */
export function joined(answers: HttpAnswer[]): { sent: string; got: string } {
  return { sent: answers.map((answer) => answer.sent).join('\n\n'), got: answers.map((answer) => answer.got).join('\n\n') };
}

/** A verdict over several exchanges: their bytes in order, the first unmet expectation. */
export function verdictOf(answers: HttpAnswer[], expectations: Array<Expectation>) {
  const { sent, got } = joined(answers);
  return verdict(sent, got, expectations);
}

export const noEtag = (path: string) => failed(`GET ${path}`, '', { en: 'GET gave no ETag to send back', ru: 'GET не дал ETag, который можно отправить' });

/** The header's value as one string (Node gives a list for a repeated header). */
export function headerText(answer: HttpAnswer, name: string): string {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

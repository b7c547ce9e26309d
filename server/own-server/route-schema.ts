// What `POST /_wirelab/own-server/checks` accepts, and its refusals in both languages
// (contracts/own-server/PROTOCOL.md, "Over HTTP").
import type { Bilingual } from '../../shared/bilingual.ts';
import { Ajv } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { CHECKED_PROTOCOLS, type CheckedProtocol } from '../../contracts/own-server/check-result.ts';

export const OWN_SERVER_CHECKS_PATH = '/_wirelab/own-server/checks';

/** `{"protocol":"rest","target":"127.0.0.1:8000"}` and a little room: a host name is at most 253 characters. */
export const CHECK_REQUEST_BODY_LIMIT = 1024;

export interface CheckRequest {
  protocol: CheckedProtocol;
  target: string;
}

export const checkRequestSchema = {
  type: 'object',
  properties: {
    protocol: { type: 'string', enum: [...CHECKED_PROTOCOLS] },
    target: { type: 'string', minLength: 1, maxLength: 300 },
  },
  required: ['protocol', 'target'],
  additionalProperties: false,
} as const;

/**
 * Exact types, nothing coerced or quietly dropped (Fastify's default would remove an unknown
 * field and run the check anyway): a page that sends something else learns it at once.
 */
const ajv = new Ajv({ allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: false, strict: true });

export const strictBodies: FastifySchemaCompiler<object> = ({ schema }) => {
  const validate = ajv.compile(schema);
  return (data: unknown) => (validate(data) ? { value: data } : { error: Object.assign(new Error('invalid body'), { validation: validate.errors ?? [] }) });
};

export const routeMessages = {
  sessionRequired: (): Bilingual => ({
    en: 'Checking your server needs a Wirelab session: open the page “My server” in your browser (it gets the session cookie) and run the check from there.',
    ru: 'Для проверки своего сервера нужна сессия Wirelab: откройте в браузере страницу «Мой сервер» (она получит cookie сессии) и запускайте проверку оттуда.',
  }),
  badBody: (detail: string): Bilingual => ({
    en: `The body must be JSON {"protocol": "${CHECKED_PROTOCOLS.join('" | "')}", "target": "host:port"} and nothing else (${detail}).`,
    ru: `Тело запроса — JSON {"protocol": "${CHECKED_PROTOCOLS.join('" | "')}", "target": "host:port"} и ничего больше (${detail}).`,
  }),
  notJson: (contentType: string): Bilingual => ({
    en: `The body must be application/json, not "${contentType}".`,
    ru: `Тело запроса должно быть в формате application/json, а не «${contentType}».`,
  }),
  tooLarge: (limit: number): Bilingual => ({
    en: `The body may be at most ${limit} bytes: a protocol and a host:port.`,
    ru: `Тело запроса — не больше ${limit} байт: протокол и host:port.`,
  }),
  methodNotAllowed: (method: string): Bilingual => ({
    en: `${OWN_SERVER_CHECKS_PATH} answers POST only, not ${method}.`,
    ru: `${OWN_SERVER_CHECKS_PATH} отвечает только на POST, а не на ${method}.`,
  }),
  badRelayBody: (detail: string): Bilingual => ({
    en: `The body must be JSON {"target": "host:port", "method", "path": "/…", "headers": [[name, value]…], "body": text or null} and nothing else (${detail}).`,
    ru: `Тело запроса — JSON {"target": "host:port", "method", "path": "/…", "headers": [[имя, значение]…], "body": текст или null} и ничего больше (${detail}).`,
  }),
  relayTooLarge: (limit: number): Bilingual => ({
    en: `A request sent to your server may carry a body of at most ${limit / 1024} KiB.`,
    ru: `Запрос к вашему серверу может нести тело не больше ${limit / 1024} КиБ.`,
  }),
  framingHeader: (name: string): Bilingual => ({
    en: `Wirelab writes ${name} itself (from the address and the body), so the request cannot set it.`,
    ru: `Заголовок ${name} Wirelab пишет сам (по адресу и телу), поэтому задавать его в запросе нельзя.`,
  }),
  methodNotRelayed: (method: string, methods: readonly string[]): Bilingual => ({
    en: `Wirelab sends your server only the methods a web server serves (${methods.join(', ')}), not ${method}.`,
    ru: `Wirelab отправляет вашему серверу только методы, которые обслуживает веб-сервер (${methods.join(', ')}), а не ${method}.`,
  }),
  headerNotLatin1: (name: string, character: string): Bilingual => ({
    en: `The value of ${name} holds “${character}” (U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}): an HTTP header value is bytes, and Wirelab sends only Latin-1 ones. Percent-encode it (or use RFC 8187's UTF-8''…) instead.`,
    ru: `В значении ${name} есть «${character}» (U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}): значение заголовка HTTP — это байты, и Wirelab отправляет только символы Latin-1. Закодируйте его процентами (или по RFC 8187: UTF-8''…).`,
  }),
  notEventStream: (status: number, contentType: string): Bilingual => ({
    en: `Your server answered ${status} with ${contentType ? `Content-Type ${contentType}` : 'no Content-Type'}, not an event stream (text/event-stream): the relay passes event streams only.`,
    ru: `Ваш сервер ответил ${status} ${contentType ? `с Content-Type ${contentType}` : 'без Content-Type'}, а не потоком событий (text/event-stream): ретранслятор пропускает только потоки событий.`,
  }),
  relayMethodNotAllowed: (method: string): Bilingual => ({
    en: `/_wirelab/own-server/http answers POST only, not ${method}.`,
    ru: `/_wirelab/own-server/http отвечает только на POST, а не на ${method}.`,
  }),
  internal: (): Bilingual => ({
    en: 'The check broke inside Wirelab (not in your server); the server log has the details.',
    ru: 'Проверка сломалась внутри Wirelab (а не в вашем сервере); подробности — в логах сервера.',
  }),
};

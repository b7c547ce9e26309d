// REST's conditional requests beyond the basic four (checks/rest.ts): RFC 9110 §13's evaluation of
// If-None-Match and If-Match as a cache or a careful client sends them, the categories
// REDbot and Schemathesis test validators in (issue 38, item 6).
import { randomBytes } from 'node:crypto';
import { verdict, type CheckDefinition, type Expectation } from '../check-kit.ts';
import { httpExchange, parseJson } from '../http-exchange.ts';
import { ACCEPT, currentEtag, exchange, fullUser, headerText, isWeak, noEtag, noUser, putSucceeded, statusIs, verdictOf, type RestState } from './rest-kit.ts';

/** The same opaque tag under the other strength: "x" ↔ W/"x". Weakly equal, strongly not (§8.8.3.2). */
const otherStrength = (etag: string) => (etag.startsWith('W/') ? etag.slice(2) : `W/${etag}`);
const opaque = (etag: string) => etag.replace(/^W\//, '');

function notModified(answer: { status: number; text: string }): Expectation[] {
  return [
    [answer.status === 304, { en: `status ${answer.status}, not 304`, ru: `статус ${answer.status}, а не 304` }],
    [answer.text.length === 0, { en: 'a 304 came with a body', ru: '304 пришёл с телом' }],
  ];
}

export const conditionalChecks: CheckDefinition<RestState>[] = [
  {
    id: 'if-none-match-weak-304',
    name: { en: 'If-None-Match compares weakly: 304', ru: 'If-None-Match сравнивает слабо: 304' },
    expected: {
      en: '304 for the current ETag sent in its other strength ("…" as W/"…", or the reverse)',
      ru: '304 на текущий ETag, отправленный в другой силе ("…" как W/"…" или наоборот)',
    },
    why: {
      clause: 'RFC 9110 §13.1.2, §8.8.3.2',
      text: {
        en: 'If-None-Match MUST use the weak comparison: W/"x" and "x" match, because a cache that kept either has a usable copy.',
        ru: 'If-None-Match ОБЯЗАН сравнивать слабо: W/"x" и "x" совпадают, ведь у кэша, сохранившего любой из них, есть годная копия.',
      },
    },
    async run(context, { first }) {
      if (!first.path) return noUser(first);
      const etag = await currentEtag(context, first.path);
      if (!etag) return noEtag(first.path);
      return exchange(context, { method: 'GET', path: first.path, headers: { 'if-none-match': otherStrength(etag) } }, notModified);
    },
  },
  {
    id: 'if-none-match-list-304',
    name: { en: 'If-None-Match with a list of tags: 304', ru: 'If-None-Match со списком тегов: 304' },
    expected: { en: '304 when any tag of the list is the current one', ru: '304, если любой тег списка — текущий' },
    why: {
      clause: 'RFC 9110 §13.1.2',
      text: {
        en: 'If-None-Match is a list: a cache holding several versions sends all their tags, and any match means "not modified".',
        ru: 'If-None-Match — это список: кэш с несколькими версиями шлёт все их теги, и любое совпадение значит «не изменилось».',
      },
    },
    async run(context, { first }) {
      if (!first.path) return noUser(first);
      const etag = await currentEtag(context, first.path);
      if (!etag) return noEtag(first.path);
      return exchange(context, { method: 'GET', path: first.path, headers: { 'if-none-match': `"wirelab-other-version", ${etag}` } }, notModified);
    },
  },
  {
    id: 'if-none-match-stale-200',
    name: { en: 'If-None-Match with an old tag: the full answer', ru: 'If-None-Match со старым тегом: полный ответ' },
    expected: { en: '200 with the user, since the tag names no current version', ru: '200 с пользователем, ведь тег не называет текущую версию' },
    why: {
      clause: 'RFC 9110 §13.1.2, §13.2.2',
      text: {
        en: 'A tag that does not match makes the condition true: the server answers as if the header were absent. A 304 here would leave the client with a copy it knows is old.',
        ru: 'Несовпавший тег делает условие истинным: сервер отвечает так, будто заголовка нет. 304 здесь оставил бы клиенту копию, про которую известно, что она устарела.',
      },
    },
    async run(context, { first }) {
      if (!first.path) return noUser(first);
      return exchange(context, { method: 'GET', path: first.path, headers: { 'if-none-match': '"wirelab-stale-etag"' } }, (answer) => [
        statusIs(answer, 200),
        [(parseJson(answer.text) as { email?: unknown } | undefined)?.email === first.email, { en: 'the body is not the user', ru: 'в теле не пользователь' }],
      ]);
    },
  },
  {
    id: 'not-modified-etag',
    name: { en: '304 carries the ETag', ru: '304 несёт ETag' },
    expected: { en: 'the 304 has the same ETag as the 200 would have', ru: 'у 304 тот же ETag, что был бы у 200' },
    why: {
      clause: 'RFC 9110 §15.4.5',
      text: {
        en: 'A 304 MUST carry the ETag a 200 would have: the cache updates its stored copy from it.',
        ru: 'Ответ 304 ОБЯЗАН нести ETag, который был бы у 200: по нему кэш обновляет сохранённую копию.',
      },
    },
    async run(context, { first }) {
      if (!first.path) return noUser(first);
      const etag = await currentEtag(context, first.path);
      if (!etag) return noEtag(first.path);
      return exchange(context, { method: 'GET', path: first.path, headers: { 'if-none-match': etag } }, (answer) => [
        statusIs(answer, 304),
        [
          opaque(headerText(answer, 'etag')) === opaque(etag),
          {
            en: `the 304's ETag is ${headerText(answer, 'etag') || 'missing'}, not ${etag}`,
            ru: `ETag у 304: ${headerText(answer, 'etag') || 'нет'}, а не ${etag}`,
          },
        ],
      ]);
    },
  },
  {
    id: 'etag-changes-on-write',
    name: { en: 'A change gives a new ETag', ru: 'Изменение даёт новый ETag' },
    expected: { en: 'after a PUT that renames the user, GET shows another ETag', ru: 'после PUT, меняющего имя, GET показывает другой ETag' },
    why: {
      clause: 'RFC 9110 §8.8.3, §8.8.1',
      text: {
        en: 'An ETag tells versions apart: a tag that stays after a change makes every cache keep the old body (304) and every If-Match overwrite a change unseen.',
        ru: 'ETag различает версии: если тег не меняется после изменения, каждый кэш сохранит старое тело (304), а каждый If-Match перезапишет чужое изменение вслепую.',
      },
    },
    async run(context, { first }) {
      if (!first.path) return noUser(first);
      const path = first.path;
      const before = await httpExchange(context, { method: 'GET', path, headers: ACCEPT });
      const write = await httpExchange(context, {
        method: 'PUT',
        path,
        headers: ACCEPT,
        body: fullUser(first, `Wirelab check ${randomBytes(3).toString('hex')}`),
      });
      const after = await httpExchange(context, { method: 'GET', path, headers: ACCEPT });
      const [was, now] = [headerText(before, 'etag'), headerText(after, 'etag')];
      return verdictOf(
        [before, write, after],
        [
          [was.length > 0, { en: 'GET gave no ETag', ru: 'GET не дал ETag' }],
          putSucceeded(write),
          [now.length > 0 && now !== was, { en: `the ETag stayed ${was} after the change`, ru: `ETag остался ${was} после изменения` }, after],
        ],
      );
    },
  },
];

/** "*" and lists in If-Match and If-None-Match (RFC 9110 §13.1.1, §13.1.2): what a hand-written comparison of one tag misses. */
export const tagListChecks: CheckDefinition<RestState>[] = [
  {
    id: 'if-none-match-star-304',
    name: { en: 'If-None-Match: * on an existing user: 304', ru: 'If-None-Match: * на существующего пользователя: 304' },
    expected: { en: '304 without a body: "*" matches any current version', ru: '304 без тела: «*» совпадает с любой текущей версией' },
    why: {
      clause: 'RFC 9110 §13.1.2',
      text: {
        en: 'If-None-Match: * is false when the resource has a current representation; for GET the server then answers 304, whatever its tags look like.',
        ru: 'If-None-Match: * ложно, если у ресурса есть текущее представление; на GET сервер тогда отвечает 304, как бы ни выглядели его теги.',
      },
    },
    async run(context, { first }) {
      if (!first.path) return noUser(first);
      return exchange(context, { method: 'GET', path: first.path, headers: { 'if-none-match': '*' } }, notModified);
    },
  },
  {
    id: 'if-match-star-put',
    name: { en: 'If-Match: * on an existing user: the PUT goes through', ru: 'If-Match: * на существующего пользователя: PUT проходит' },
    expected: { en: '200 or 204: "*" matches any current version', ru: '200 или 204: «*» совпадает с любой текущей версией' },
    why: {
      clause: 'RFC 9110 §13.1.1',
      text: {
        en: 'If-Match: * is true when the resource exists: "change it if it is still there", whatever version. Compared as a tag, "*" matches nothing and every such write fails with 412.',
        ru: 'If-Match: * истинно, если ресурс существует: «измени, если он ещё есть», какая бы ни была версия. Если сравнивать «*» как тег, он ни с чем не совпадёт, и каждая такая запись получит 412.',
      },
    },
    async run(context, { first }) {
      if (!first.path) return noUser(first);
      return exchange(
        context,
        { method: 'PUT', path: first.path, headers: { 'if-match': '*' }, body: fullUser(first, 'Wirelab check any version') },
        (answer) => [putSucceeded(answer)],
      );
    },
  },
  {
    id: 'if-match-list-put',
    name: { en: 'If-Match with a list of tags: any of them matching lets the PUT through', ru: 'If-Match со списком тегов: совпадение любого пропускает PUT' },
    expected: {
      en: 'If-Match: "<an old tag>", <the current ETag>: 200 or 204 for a strong ETag; 412 for a weak one (the strong comparison matches no weak tag)',
      ru: 'If-Match: "<старый тег>", <текущий ETag>: 200 или 204 для сильного ETag; 412 для слабого (строгое сравнение не совпадает ни с одним слабым тегом)',
    },
    why: {
      clause: 'RFC 9110 §13.1.1, §8.8.3.2',
      text: {
        en: 'If-Match is a list: the condition is true when any tag of it matches the current ETag strongly. A server that compares the whole header, or its first tag, refuses a client that holds the current version.',
        ru: 'If-Match — это список: условие истинно, если любой его тег строго совпадает с текущим ETag. Сервер, сравнивающий весь заголовок или только первый тег, откажет клиенту, у которого текущая версия.',
      },
    },
    async run(context, { first }) {
      if (!first.path) return noUser(first);
      const path = first.path;
      const etag = await currentEtag(context, path);
      if (!etag) return noEtag(path);
      return exchange(
        context,
        { method: 'PUT', path, headers: { 'if-match': `"wirelab-stale-etag", ${etag}` }, body: fullUser(first, 'Wirelab check listed version') },
        (answer) => (isWeak(etag) ? [statusIs(answer, 412)] : [putSucceeded(answer)]),
      );
    },
  },
];

/** Last of the suite: a server that deletes anyway loses the user the other checks need. */
export const conditionalDeleteCheck: CheckDefinition<RestState> = {
  id: 'if-match-stale-delete-412',
  name: { en: 'DELETE with an old If-Match: 412, the user stays', ru: 'DELETE со старым If-Match: 412, пользователь остаётся' },
  expected: { en: '412 Precondition Failed, then GET still finds the user (200)', ru: '412 Precondition Failed, затем GET всё ещё находит пользователя (200)' },
  why: {
    clause: 'RFC 9110 §13.1.1, §9.3.5',
    text: {
      en: 'If-Match guards every state-changing method, DELETE too: a client that read an old version must not delete what someone changed since.',
      ru: 'If-Match охраняет каждый метод, меняющий состояние, и DELETE тоже: клиент, прочитавший старую версию, не должен удалить то, что с тех пор изменили.',
    },
  },
  async run(context, { first }) {
    if (!first.path) return noUser(first);
    const removal = await httpExchange(context, { method: 'DELETE', path: first.path, headers: { ...ACCEPT, 'if-match': '"wirelab-stale-etag"' } });
    const after = await httpExchange(context, { method: 'GET', path: first.path, headers: ACCEPT });
    return verdict(`${removal.sent}\n\n${after.sent}`, `${removal.got}\n\n${after.got}`, [
      statusIs(removal, 412),
      [after.status === 200, { en: `the user is gone afterwards (GET: ${after.status})`, ru: `после этого пользователя нет (GET: ${after.status})` }],
    ]);
  },
};

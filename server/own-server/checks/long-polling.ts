// "Check my server" for long polling: GET /api/v1/poll?since=<cursor>&timeout=<s> as lesson 09
// teaches and Wirelab's own server answers it (server/protocols/long-polling/README.md). Events
// are made by creating users with POST /api/v1/users on the same server, as for SSE.
import { defineSuite, failed, NoAnswer, seenOn, verdict, type CheckDefinition, type SuiteContext, type Expectation } from '../check-kit.ts';
import { markedUnique } from '../wirelab-itself.ts';
import { httpExchange, mediaType, parseJson, type HttpAnswer } from '../http-exchange.ts';

const POLL = '/api/v1/poll';
const USERS = '/api/v1/users';
/** How long a held poll may be held: under the check's 5 s wait, so a server that holds it to the end still answers in time. */
const HOLD_S = 4;
/** After sending the poll, how long before making the event: the poll is held by then on any server not drowning. */
const EVENT_AFTER_MS = 300;
const CONTRACT = "Wirelab's contract (lesson 09, server/protocols/long-polling/README.md)";

interface PollEvent {
  id: number;
  type: string;
  data: Record<string, unknown>;
}

interface PollAnswer {
  answer: HttpAnswer;
  events: PollEvent[] | null;
  cursor: number | null;
  /** ms from sending the poll to its whole answer */
  heldMs: number;
}

interface LongPollingState {
  cursor: number | null;
  first: PollAnswer | null;
  error?: string;
  /** Paths of the users the suite made, deleted by the clean-up. */
  made: string[];
}

function readPoll(answer: HttpAnswer, heldMs: number): PollAnswer {
  const body = parseJson(answer.text) as { events?: unknown; cursor?: unknown } | undefined;
  const events = Array.isArray(body?.events) ? (body.events as PollEvent[]) : null;
  return { answer, events, cursor: typeof body?.cursor === 'number' ? body.cursor : null, heldMs };
}

async function poll(context: SuiteContext, query: string): Promise<PollAnswer> {
  const started = Date.now();
  // a held poll sends no byte until it is answered: that silence is the protocol, not a dead
  // server; a poll with timeout=0 is answered at once, and its silence does stop the suite
  const held = !/(^|&)timeout=0(&|$)/.test(query);
  const answer = await httpExchange(context, { method: 'GET', path: `${POLL}?${query}`, silenceIsAnAnswer: held });
  return readPoll(answer, Date.now() - started);
}

async function createUser(context: SuiteContext, state: LongPollingState, tag: string): Promise<{ email: string; answer: HttpAnswer }> {
  const email = `wirelab-poll-${tag}-${markedUnique(context)}@example.com`;
  const answer = await httpExchange(context, { method: 'POST', path: USERS, body: { name: `Wirelab poll ${tag}`, email } });
  const id = (parseJson(answer.text) as { id?: unknown } | undefined)?.id;
  const location = answer.headers.location;
  if (typeof location === 'string' && location) state.made.push(new URL(location, 'http://student.invalid').pathname);
  else if (typeof id === 'number' || typeof id === 'string') state.made.push(`${USERS}/${encodeURIComponent(String(id))}`);
  return { email, answer };
}

const createdEventOf = (events: PollEvent[] | null, email: string) =>
  events?.find((event) => event?.type === 'user.created' && (event.data as { email?: unknown } | undefined)?.email === email);

function statusIs(answer: HttpAnswer, status: number): Expectation {
  return [answer.status === status, { en: `status ${answer.status}, not ${status}`, ru: `статус ${answer.status}, а не ${status}` }];
}

function jsonWithEvents(polled: PollAnswer): Array<Expectation> {
  const type = mediaType(polled.answer.headers);
  return [
    statusIs(polled.answer, 200),
    [type === 'application/json', { en: `Content-Type ${type || 'none'}, not application/json`, ru: `Content-Type ${type || 'нет'}, а не application/json` }],
    [
      polled.events !== null && polled.cursor !== null,
      { en: 'the body is not {"events": [...], "cursor": <number>}', ru: 'тело — не {"events": [...], "cursor": <число>}' },
    ],
  ];
}

/** The cursor is the id of the answer's last event (or stays where it was for none). */
function cursorIsLast(polled: PollAnswer): Expectation {
  const last = polled.events?.at(-1)?.id;
  return [
    last === undefined || polled.cursor === last,
    {
      en: `"cursor" is ${polled.cursor}, not ${last}, the id of the last event: the next poll would get events again or miss some`,
      ru: `"cursor" — ${polled.cursor}, а не ${last}, id последнего события: следующий опрос получит события повторно или пропустит`,
    },
  ];
}

const noCursor = (state: LongPollingState) =>
  failed('', state.error ?? state.first?.answer.got ?? '', {
    en: `No cursor to poll from: GET ${POLL}?since=now&timeout=0 did not answer {"events": [], "cursor": <number>} (see the first check).`,
    ru: `Не с чего начать опрос: GET ${POLL}?since=now&timeout=0 не ответил {"events": [], "cursor": <число>} (см. первую проверку).`,
  });

const pollingChecks: CheckDefinition<LongPollingState>[] = [
  {
    id: 'since-now-cursor',
    name: { en: 'since=now: at once, no events, the current cursor', ru: 'since=now: сразу, без событий, текущий курсор' },
    expected: { en: '200 application/json {"events": [], "cursor": <number>}', ru: '200 application/json {"events": [], "cursor": <число>}' },
    why: {
      clause: `${CONTRACT}: since=now`,
      text: {
        en: 'A client starting from now needs the cursor to poll from, without the events the server still keeps.',
        ru: 'Клиенту, который начинает «с этого момента», нужен курсор для опроса — без событий, которые сервер ещё хранит.',
      },
    },
    async run(_context, state) {
      if (!state.first) return noCursor(state);
      return verdict(state.first.answer.sent, state.first.answer.got, [
        ...jsonWithEvents(state.first),
        [state.first.events?.length === 0, { en: 'events were sent for since=now', ru: 'на since=now пришли события' }],
      ]);
    },
  },
  {
    id: 'held-until-event',
    name: { en: 'A poll is held, then answered by the event', ru: 'Опрос удерживается, а затем его отвечает событие' },
    expected: {
      en: `GET ?since=<cursor>&timeout=${HOLD_S}, nothing sent while nothing happens; POST /api/v1/users ${EVENT_AFTER_MS} ms later: 200 with that user's user.created event, and "cursor" its id`,
      ru: `GET ?since=<курсор>&timeout=${HOLD_S}, пока ничего не происходит, ничего не приходит; POST /api/v1/users через ${EVENT_AFTER_MS} мс: 200 с событием user.created этого пользователя и "cursor" — его id`,
    },
    why: {
      clause: `${CONTRACT}: held polls`,
      text: {
        en: 'Long polling holds the request until there is something to say: the event arrives as it happens, not at the next poll.',
        ru: 'Long polling держит запрос, пока не появится что сказать: событие приходит, когда случилось, а не при следующем опросе.',
      },
    },
    async run(context, state) {
      if (state.cursor === null) return noCursor(state);
      const polling = poll(context, `since=${state.cursor}&timeout=${HOLD_S}`);
      await new Promise((resolve) => setTimeout(resolve, EVENT_AFTER_MS));
      const created = await createUser(context, state, 'held').catch(() => null);
      const polled = await polling;
      if (polled.cursor !== null) state.cursor = polled.cursor;
      const event = created ? createdEventOf(polled.events, created.email) : undefined;
      return verdict(polled.answer.sent, polled.answer.got, [
        [
          created !== null && created.answer.status < 300,
          { en: 'POST /api/v1/users did not create the user', ru: 'POST /api/v1/users не создал пользователя' },
        ],
        [
          polled.heldMs >= EVENT_AFTER_MS - 50,
          {
            en: `answered after ${polled.heldMs} ms, before the user was made: the poll was not held`,
            ru: `ответ пришёл через ${polled.heldMs}\u00a0мс, раньше, чем пользователь был создан: опрос не удерживался`,
          },
        ],
        ...jsonWithEvents(polled),
        [
          event !== undefined,
          {
            en: `no user.created event with the user's email in the answer (after ${polled.heldMs} ms)`,
            ru: `в ответе нет события user.created с email пользователя (через ${polled.heldMs}\u00a0мс)`,
          },
        ],
        cursorIsLast(polled),
      ]);
    },
  },
];

/** Longer than the check's 5 s wait: a server that answers only when its timeout runs out never answers in time. */
const LONG_HOLD_S = 20;

/**
 * The event must release the held poll at once. held-until-event holds for 4 s, under the check's
 * wait, so a server that looks for events only when the timeout runs out still passes it with the
 * event in its answer (issue 51): here the timeout is past the wait, and only the event can answer.
 */
const releaseCheck: CheckDefinition<LongPollingState> = {
  id: 'released-by-event',
  name: { en: 'The event releases the held poll at once', ru: 'Событие сразу отпускает удерживаемый опрос' },
  expected: {
    en: `GET ?since=<cursor>&timeout=${LONG_HOLD_S}; POST /api/v1/users ${EVENT_AFTER_MS} ms later: 200 with that user's event within the check's 5 s, long before the timeout`,
    ru: `GET ?since=<курсор>&timeout=${LONG_HOLD_S}; POST /api/v1/users через ${EVENT_AFTER_MS} мс: 200 с событием этого пользователя за 5 с проверки, задолго до timeout`,
  },
  why: {
    clause: `${CONTRACT}: held polls`,
    text: {
      en: 'timeout is how long to wait when nothing happens, not when to answer: a poll held until its timeout turns every event into a delay of that many seconds.',
      ru: 'timeout — сколько ждать, если ничего не происходит, а не когда отвечать: опрос, удерживаемый до timeout, превращает каждое событие в задержку на столько же секунд.',
    },
  },
  async run(context, state) {
    if (state.cursor === null) return noCursor(state);
    const polling = poll(context, `since=${state.cursor}&timeout=${LONG_HOLD_S}`);
    polling.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, EVENT_AFTER_MS));
    const created = await createUser(context, state, 'release').catch(() => null);
    let polled: PollAnswer;
    try {
      polled = await polling;
    } catch (error) {
      if (!(error instanceof NoAnswer)) throw error;
      const seen = seenOn(error);
      return failed(seen?.sent ?? '', seen?.got ?? '', {
        en: `the user was made ${EVENT_AFTER_MS} ms after the poll, yet ${error.ms / 1000} s later the poll was still held: the server answers at its timeout (${LONG_HOLD_S} s), not when the event exists`,
        ru: `пользователь создан через ${EVENT_AFTER_MS}\u00a0мс после опроса, но и через ${String(error.ms / 1000).replace('.', ',')}\u00a0с опрос всё ещё удерживался: сервер отвечает по timeout (${LONG_HOLD_S}\u00a0с), а не когда событие появилось`,
      });
    }
    if (polled.cursor !== null) state.cursor = polled.cursor;
    const event = created ? createdEventOf(polled.events, created.email) : undefined;
    return verdict(polled.answer.sent, polled.answer.got, [
      [created !== null && created.answer.status < 300, { en: 'POST /api/v1/users did not create the user', ru: 'POST /api/v1/users не создал пользователя' }],
      ...jsonWithEvents(polled),
      [event !== undefined, { en: "no user.created event with the user's email in the answer", ru: 'в ответе нет события user.created с email пользователя' }],
    ]);
  },
};

const cursorChecks: CheckDefinition<LongPollingState>[] = [
  {
    id: 'missed-event-replayed',
    name: { en: 'An event between two polls is not lost', ru: 'Событие между двумя опросами не теряется' },
    expected: {
      en: 'a user made while no poll is held; then GET ?since=<cursor>&timeout=0: 200 at once with its user.created event',
      ru: 'пользователь создан, пока ни один опрос не удерживается; затем GET ?since=<курсор>&timeout=0: сразу 200 с его событием user.created',
    },
    why: {
      clause: `${CONTRACT}: cursor`,
      text: {
        en: 'The answer is computed from the events kept after `since`, so what happened between two polls comes with the next one.',
        ru: 'Ответ собирается из сохранённых событий после `since`, поэтому случившееся между двумя опросами приходит со следующим.',
      },
    },
    async run(context, state) {
      if (state.cursor === null) return noCursor(state);
      const created = await createUser(context, state, 'missed');
      const polled = await poll(context, `since=${state.cursor}&timeout=0`);
      if (polled.cursor !== null) state.cursor = polled.cursor;
      return verdict(polled.answer.sent, polled.answer.got, [
        ...jsonWithEvents(polled),
        [
          createdEventOf(polled.events, created.email) !== undefined,
          {
            en: 'no user.created event of the user made before this poll: an event between two polls was lost',
            ru: 'нет события user.created пользователя, созданного до этого опроса: событие между двумя опросами потерялось',
          },
        ],
        cursorIsLast(polled),
      ]);
    },
  },
  {
    id: 'timeout-204',
    name: { en: 'Nothing happened: 204 after the timeout', ru: 'Ничего не случилось: 204 по истечении timeout' },
    expected: {
      en: 'GET ?since=<the last cursor>&timeout=1: held about a second, then 204 without a body (no event repeated)',
      ru: 'GET ?since=<последний курсор>&timeout=1: удерживается около секунды, затем 204 без тела (ни одно событие не повторяется)',
    },
    why: {
      clause: 'RFC 9110 §15.3.5; ' + CONTRACT + ': timeout',
      text: {
        en: '204 No Content says "nothing new, ask again with the same since"; events at or before the cursor were already received.',
        ru: '204 No Content означает «нового нет, спросите снова с тем же since»; события до курсора включительно уже получены.',
      },
    },
    async run(context, state) {
      if (state.cursor === null) return noCursor(state);
      const polled = await poll(context, `since=${state.cursor}&timeout=1`);
      return verdict(polled.answer.sent, polled.answer.got, [
        [
          polled.answer.status !== 200 || (polled.events ?? []).every((event) => typeof event?.id === 'number' && event.id > (state.cursor ?? 0)),
          {
            en: `events at or before the cursor ${state.cursor} came again`,
            ru: `снова пришли события с id не больше курсора ${state.cursor}`,
          },
        ],
        statusIs(polled.answer, 204),
        [polled.answer.bytes.length === 0, { en: 'the 204 has a body', ru: 'у 204 есть тело' }],
        [
          polled.heldMs >= 800,
          {
            en: `answered after ${polled.heldMs} ms: timeout=1 asks the server to hold about a second`,
            ru: `ответ через ${polled.heldMs}\u00a0мс: timeout=1 просит сервер держать около секунды`,
          },
        ],
      ]);
    },
  },
  {
    id: 'no-store',
    name: { en: 'Answers are not cached', ru: 'Ответы не кэшируются' },
    expected: { en: 'Cache-Control: no-store on GET ?since=0&timeout=0', ru: 'Cache-Control: no-store на GET ?since=0&timeout=0' },
    why: {
      clause: 'RFC 9111 §5.2.2.5',
      text: {
        en: 'The same URL answers differently each time: a cache in between must not keep an answer and hand it out again.',
        ru: 'Один и тот же URL каждый раз отвечает по-разному: кэши по дороге не должны сохранять ответ и раздавать его снова.',
      },
    },
    async run(context) {
      const polled = await poll(context, 'since=0&timeout=0');
      const cacheControl = String(polled.answer.headers['cache-control'] ?? '');
      return verdict(polled.answer.sent, polled.answer.got, [
        [
          /(^|,)\s*no-store\s*(,|$)/i.test(cacheControl),
          { en: `Cache-Control is "${cacheControl}", without no-store`, ru: `Cache-Control — «${cacheControl}», без no-store` },
        ],
      ]);
    },
  },
  {
    id: 'bad-cursor-400',
    name: { en: 'A cursor that is not a number: 400', ru: 'Курсор — не число: 400' },
    expected: { en: '400 for ?since=yesterday (not 500, not held)', ru: '400 на ?since=yesterday (не 500 и не удержание)' },
    why: {
      clause: 'RFC 9110 §15.5.1; ' + CONTRACT + ': errors',
      text: {
        en: "The client sent a cursor the server cannot read: that is the client's error, answered at once, and the server goes on serving.",
        ru: 'Клиент прислал курсор, который сервер не может прочесть: это ошибка клиента, ответ сразу, и сервер продолжает работать.',
      },
    },
    async run(context) {
      const polled = await poll(context, 'since=yesterday&timeout=1');
      return verdict(polled.answer.sent, polled.answer.got, [statusIs(polled.answer, 400)]);
    },
  },
];

export const longPollingSuite = defineSuite<LongPollingState>({
  async prepare(context) {
    try {
      const first = await poll(context, 'since=now&timeout=0');
      return { cursor: first.cursor, first, made: [] };
    } catch (error) {
      return { cursor: null, first: null, error: (error as Error).message, made: [] };
    }
  },
  checks: [...pollingChecks, releaseCheck, ...cursorChecks],
  async cleanUp(context, state) {
    for (const path of state.made) await httpExchange(context, { method: 'DELETE', path }).catch(() => undefined);
  },
});

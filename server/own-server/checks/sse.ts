// "Check my server" for Server-Sent Events: the users' events at /api/v1/events, as Wirelab's own
// (server/protocols/sse/README.md). Events are made by creating users with POST /api/v1/users on
// the same server, so the stream has something to carry.
import type { Bilingual } from '../../../shared/bilingual.ts';
import { defineSuite, failed, verdict, type CheckDefinition, type SuiteContext, type Expectation } from '../check-kit.ts';
import { markedUnique } from '../wirelab-itself.ts';
import { EventStreamReader, type StreamEvent } from '../sse-client.ts';
import { httpExchange, mediaType, parseJson } from '../http-exchange.ts';

const EVENTS = '/api/v1/events?heartbeat=1';
const USERS = '/api/v1/users';

interface CreatedThroughRest {
  email: string;
  /** Sent with Cyrillic in it: the event must carry it back unchanged (the stream is UTF-8). */
  name: string;
  path: string | null;
  event: StreamEvent | null;
}

interface SseState {
  stream: EventStreamReader;
  first: CreatedThroughRest;
  second: CreatedThroughRest;
  sawHeartbeat: boolean;
}

/**
 * Why a browser's EventSource would fail this stream at its head (HTML §9.2.3: a status other than
 * 200, or a Content-Type other than text/event-stream), or null. Every check that reads the stream
 * fails on it: whatever a hand-written reader still parsed, no page would ever get an event.
 */
function browserWouldDrop(stream: EventStreamReader): Bilingual | null {
  const type = mediaType(stream.headers);
  if (stream.status === 200 && type === 'text/event-stream') return null;
  const head =
    stream.status === 0
      ? { en: 'no answer', ru: 'ответа нет' }
      : { en: `${stream.status}, ${type || 'no Content-Type'}`, ru: `${stream.status}, ${type || 'без Content-Type'}` };
  return {
    en: `the stream answered ${head.en}, not 200 text/event-stream: a browser's EventSource fails the connection right there (HTML §9.2.3) and never reads an event of it`,
    ru: `поток ответил: ${head.ru}, а не 200 text/event-stream. EventSource в браузере тут же обрывает соединение (HTML §9.2.3) и не прочтёт из него ни одного события`,
  };
}

/**
 * The server ended the stream (closed or reset it) before the check had what it waited for: that
 * is the failure, not the fields that never came. A handler that raises ends a stream this way.
 */
export function streamEnded(stream: EventStreamReader): Bilingual | null {
  if (!stream.endedBy) return null;
  const bytes = stream.transcript.receivedBytes().length;
  const how =
    stream.endedBy === 'closed'
      ? { en: 'the server closed the connection', ru: 'сервер закрыл соединение' }
      : { en: 'the connection was reset or cut mid-chunk', ru: 'соединение сброшено или оборвано посреди куска' };
  return {
    en: `the stream ended: ${how.en} after its head and ${bytes} bytes in all, while the check still waited. An event stream should stay open; a handler that raised an exception ends it this way, so see the server's log`,
    ru: `поток закончился: ${how.ru} после заголовков, всего пришло байт: ${bytes}, а проверка ещё ждала. Поток событий должен оставаться открытым; так его обрывает обработчик, выбросивший исключение, — загляните в логи сервера`,
  };
}

/** The verdict on a stream a browser would read, or a failure saying why no browser would (or that it ended). */
function judgeStream(stream: EventStreamReader, expectations: Expectation[]) {
  const dropped = browserWouldDrop(stream);
  const ended = streamEnded(stream);
  const unmet = expectations.some(([met]) => !met);
  return verdict(stream.sentText(), stream.got(), dropped ? [[false, dropped]] : ended && unmet ? [[false, ended]] : expectations);
}

function carries(event: StreamEvent, email: string): boolean {
  return (parseJson(event.data) as { email?: unknown } | undefined)?.email === email;
}

async function createAndAwait(context: SuiteContext, stream: EventStreamReader, tag: string): Promise<CreatedThroughRest> {
  const email = `wirelab-sse-${tag}-${markedUnique(context)}@example.com`;
  const name = `Wirelab SSE ${tag} Проверка`;
  let path: string | null = null;
  try {
    const answer = await httpExchange(context, { method: 'POST', path: USERS, body: { name, email } });
    const location = answer.headers.location;
    const id = (parseJson(answer.text) as { id?: unknown } | undefined)?.id;
    path = typeof location === 'string' ? new URL(location, 'http://student.invalid').pathname : typeof id === 'number' ? `${USERS}/${id}` : null;
  } catch {
    return { email, name, path, event: null };
  }
  await stream.until(() => stream.events.some((event) => carries(event, email)), `the event of ${email}`);
  return { email, name, path, event: stream.events.find((event) => carries(event, email)) ?? null };
}

const streamChecks: CheckDefinition<SseState>[] = [
  {
    id: 'stream-content-type',
    name: { en: 'The stream is text/event-stream', ru: 'Поток — text/event-stream' },
    expected: { en: '200 with Content-Type: text/event-stream', ru: '200 и Content-Type: text/event-stream' },
    why: {
      clause: 'HTML §9.2.3',
      text: {
        en: 'EventSource reads only a 200 answer of type text/event-stream; anything else fails the connection for good.',
        ru: 'EventSource читает только ответ 200 с типом text/event-stream; всё другое обрывает соединение насовсем.',
      },
    },
    async run(_context, { stream }) {
      return verdict(stream.sentText(), stream.got(), [
        [stream.status === 200, { en: `status ${stream.status}, not 200`, ru: `статус ${stream.status}, а не 200` }],
        [
          mediaType(stream.headers) === 'text/event-stream',
          { en: `Content-Type is ${mediaType(stream.headers) || 'missing'}`, ru: `Content-Type: ${mediaType(stream.headers) || 'нет'}` },
        ],
      ]);
    },
  },
  {
    id: 'retry-field',
    name: { en: 'The stream sets the reconnection time with retry:', ru: 'Поток задаёт время переподключения через retry:' },
    expected: { en: 'a line "retry: <milliseconds>"', ru: 'строка "retry: <миллисекунды>"' },
    why: {
      clause: 'HTML §9.2.6 (retry)',
      text: {
        en: 'retry: tells the browser how long to wait before reconnecting, so a restart is not met by every client at once.',
        ru: 'retry: говорит браузеру, сколько ждать перед переподключением, чтобы после перезапуска не ринулись все клиенты сразу.',
      },
    },
    async run(_context, { stream }) {
      return judgeStream(stream, [
        [stream.retries.length > 0, { en: 'no "retry:" line with a number of milliseconds', ru: 'нет строки "retry:" с числом миллисекунд' }],
      ]);
    },
  },
  {
    id: 'event-with-id',
    name: { en: 'A change arrives as an event with an id', ru: 'Изменение приходит событием с id' },
    expected: {
      en: 'after POST /api/v1/users: an event with id:, event: user.created and the user as JSON in data:',
      ru: 'после POST /api/v1/users: событие с id:, event: user.created и пользователем в JSON в data:',
    },
    why: {
      clause: 'HTML §9.2.6 (id, event, data)',
      text: {
        en: 'The id is what the browser sends back as Last-Event-ID when it reconnects; without ids nothing can be resumed.',
        ru: 'id — то, что браузер пришлёт обратно в Last-Event-ID при переподключении; без id ничего не возобновить.',
      },
    },
    async run(_context, { stream, first }) {
      return judgeStream(stream, [
        [first.event !== null, { en: 'no event carrying the created user arrived', ru: 'событие с созданным пользователем не пришло' }],
        [Boolean(first.event?.id), { en: 'the event has no id:', ru: 'у события нет id:' }],
        [
          first.event?.event === 'user.created',
          { en: `event: is ${first.event?.event ?? 'missing'}, not user.created`, ru: `event: ${first.event?.event ?? 'нет'}, а не user.created` },
        ],
      ]);
    },
  },
  {
    id: 'heartbeat-comment',
    name: { en: 'A quiet stream sends heartbeats', ru: 'Тихий поток шлёт heartbeat' },
    expected: {
      en: 'with ?heartbeat=1: a comment line (": …") within a few seconds of silence',
      ru: 'с ?heartbeat=1: строка-комментарий (": …") после нескольких секунд тишины',
    },
    why: {
      clause: 'HTML §9.2.7',
      text: {
        en: 'A comment every so often keeps proxies from closing an idle connection, and the client sees the server is alive.',
        ru: 'Периодический комментарий не даёт прокси закрыть простаивающее соединение, и клиент видит, что сервер жив.',
      },
    },
    async run(_context, { stream, sawHeartbeat }) {
      return judgeStream(stream, [
        [sawHeartbeat, { en: 'no comment line came while the stream was quiet', ru: 'пока поток молчал, строки-комментария не было' }],
      ]);
    },
  },
];

const resumeCheck: CheckDefinition<SseState> = {
  id: 'resume-last-event-id',
  name: { en: 'Resuming with Last-Event-ID replays what was missed', ru: 'Возобновление с Last-Event-ID досылает пропущенное' },
  expected: {
    en: 'a new stream with Last-Event-ID of the first event replays the second event, not the first',
    ru: 'новый поток с Last-Event-ID первого события досылает второе событие, но не первое',
  },
  why: {
    clause: 'HTML §9.2.4 (Last-Event-ID)',
    text: {
      en: 'After a dropped connection the browser reconnects with the last id it saw; the server sends only what came after it.',
      ru: 'После обрыва браузер переподключается с последним увиденным id; сервер шлёт только то, что было после него.',
    },
  },
  async run(context, { stream, first, second }) {
    const dropped = browserWouldDrop(stream);
    if (dropped) return failed(stream.sentText(), stream.got(), dropped);
    if (!first.event?.id || !second.event?.id) {
      return failed('', '', {
        en: 'no two events with ids to resume between (see the checks above)',
        ru: 'нет двух событий с id, между которыми возобновлять (см. проверки выше)',
      });
    }
    const resumed = new EventStreamReader(context, '/api/v1/events', { 'last-event-id': first.event.id });
    try {
      await resumed.until(() => resumed.events.some((event) => carries(event, second.email)), 'the replayed event');
      return judgeStream(resumed, [
        [resumed.events.some((event) => carries(event, second.email)), { en: 'the second event was not replayed', ru: 'второе событие не было дослано' }],
        [
          !resumed.events.some((event) => carries(event, first.email)),
          { en: 'the first event came again, though the client had it', ru: 'первое событие пришло снова, хотя у клиента оно было' },
        ],
      ]);
    } finally {
      resumed.stop();
    }
  },
};

/**
 * A stream opened when events already exist (a second tab, a second run of the suite, a browser
 * after a restart with nothing to resume from) must work as the first one did: issue 51's student
 * server broke exactly there, and the suite's first stream opens before any event exists.
 */
const afterEventsCheck: CheckDefinition<SseState> = {
  id: 'new-stream-after-events',
  name: { en: 'A new stream once events exist still carries the next one', ru: 'Новый поток, когда события уже есть, всё так же несёт следующее' },
  expected: {
    en: 'after the two events: a new stream without Last-Event-ID stays open and carries the user.created event of a third user',
    ru: 'после двух событий: новый поток без Last-Event-ID остаётся открытым и несёт событие user.created третьего пользователя',
  },
  why: {
    clause: 'HTML §9.2.2, §9.2.4',
    text: {
      en: 'A page that connects later has no Last-Event-ID and gets what happens from then on; events that already exist must not break the stream, or every new visitor and every run after the first sees nothing.',
      ru: 'Страница, подключившаяся позже, приходит без Last-Event-ID и получает всё, что случится с этого момента; уже существующие события не должны ломать поток, иначе каждый новый посетитель и каждый запуск после первого не увидит ничего.',
    },
  },
  async run(context, { stream }) {
    const dropped = browserWouldDrop(stream);
    if (dropped) return failed(stream.sentText(), stream.got(), dropped);
    const later = new EventStreamReader(context, EVENTS);
    let third: CreatedThroughRest | null = null;
    try {
      await later.until(() => later.status !== 0, "the new stream's answer");
      third = await createAndAwait(context, later, 'c');
      return judgeStream(later, [
        [third.event !== null, { en: "the third user's event did not arrive on the new stream", ru: 'событие третьего пользователя не пришло в новый поток' }],
      ]);
    } finally {
      later.stop();
      if (third?.path) await httpExchange(context, { method: 'DELETE', path: third.path }).catch(() => undefined);
    }
  },
};

/** The charset parameter of Content-Type, lower case, or '' when there is none. */
function charsetOf(stream: EventStreamReader): string {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(String(stream.headers['content-type'] ?? ''));
  return match ? match[1].toLowerCase() : '';
}

const HEARTBEAT_WAIT: Bilingual = { en: 'a heartbeat on the resumed stream', ru: 'heartbeat в возобновлённом потоке' };

const fieldChecks: CheckDefinition<SseState>[] = [
  {
    id: 'charset-utf-8',
    name: { en: 'The stream declares no charset but UTF-8', ru: 'Поток не объявляет иной кодировки, кроме UTF-8' },
    expected: { en: 'Content-Type without charset, or with charset=utf-8', ru: 'Content-Type без charset или с charset=utf-8' },
    why: {
      clause: 'HTML §9.2.5; text/event-stream registration (charset)',
      text: {
        en: 'An event stream is always UTF-8: the charset parameter may be given only as "utf-8", and a browser decodes UTF-8 whatever it says.',
        ru: 'Поток событий всегда в UTF-8: параметр charset можно указать только как "utf-8", а браузер декодирует UTF-8, что бы там ни стояло.',
      },
    },
    async run(_context, { stream }) {
      const charset = charsetOf(stream);
      return judgeStream(stream, [
        [
          charset === '' || charset === 'utf-8',
          { en: `charset=${charset}: a browser reads the bytes as UTF-8 anyway`, ru: `charset=${charset}: браузер всё равно читает байты как UTF-8` },
        ],
      ]);
    },
  },
  {
    id: 'utf8-data',
    name: { en: 'Cyrillic in an event arrives intact', ru: 'Кириллица в событии приходит целой' },
    expected: {
      en: 'the user created with a Cyrillic name comes back in data: with the same name',
      ru: 'пользователь, созданный с именем на кириллице, приходит в data: с тем же именем',
    },
    why: {
      clause: 'HTML §9.2.5 (UTF-8 decode)',
      text: {
        en: 'The browser decodes the stream as UTF-8; bytes of another encoding become U+FFFD replacement characters.',
        ru: 'Браузер декодирует поток как UTF-8; байты другой кодировки превращаются в символы замены U+FFFD.',
      },
    },
    async run(_context, { stream, first }) {
      const name = (parseJson(first.event?.data ?? '') as { name?: unknown } | undefined)?.name;
      return judgeStream(stream, [
        [first.event !== null, { en: 'no event carrying the created user arrived', ru: 'событие с созданным пользователем не пришло' }],
        [
          name === first.name,
          {
            en: `the name came back as ${JSON.stringify(name)}, not ${JSON.stringify(first.name)}`,
            ru: `имя пришло как ${JSON.stringify(name)}, а не ${JSON.stringify(first.name)}`,
          },
        ],
      ]);
    },
  },
  {
    id: 'id-without-nul',
    name: { en: 'Event ids a browser keeps: distinct, without NUL', ru: 'id событий, которые браузер запомнит: разные и без NUL' },
    expected: { en: 'the two events have different ids, neither containing U+0000', ru: 'у двух событий разные id, ни в одном нет U+0000' },
    why: {
      clause: 'HTML §9.2.6 (id)',
      text: {
        en: 'A browser ignores an id: field containing NUL, and sends back the last id it kept as Last-Event-ID: equal ids cannot say where to resume.',
        ru: 'Браузер пропускает поле id:, в котором есть NUL, и присылает последний сохранённый id в Last-Event-ID: по одинаковым id не понять, откуда продолжать.',
      },
    },
    async run(_context, { stream, first, second }) {
      const ids = [first.event?.id, second.event?.id];
      return judgeStream(stream, [
        [ids.every((id) => Boolean(id)), { en: 'not both events arrived with an id:', ru: 'не оба события пришли с id:' }],
        [
          !ids.some((id) => id?.includes('\0')),
          { en: 'an id contains U+0000 (NUL): a browser ignores that id: line', ru: 'в id есть U+0000 (NUL): браузер пропустит эту строку id:' },
        ],
        [ids[0] !== ids[1], { en: `both events have the id ${JSON.stringify(ids[0])}`, ru: `у обоих событий id ${JSON.stringify(ids[0])}` }],
      ]);
    },
  },
  {
    id: 'bom-only-at-start',
    name: { en: 'No byte order mark inside the stream', ru: 'Нет метки порядка байтов внутри потока' },
    expected: { en: 'U+FEFF at most as the very first character', ru: 'U+FEFF — не больше чем первым символом' },
    why: {
      clause: 'HTML §9.2.5 (BOM)',
      text: {
        en: 'Only one leading BOM is skipped; a BOM written before a later event becomes part of its first field name, and the browser drops that field.',
        ru: 'Пропускается только BOM в самом начале; BOM перед следующим событием становится частью имени его первого поля, и браузер это поле отбрасывает.',
      },
    },
    async run(_context, { stream }) {
      return judgeStream(stream, [[!stream.bomAfterStart, { en: 'a U+FEFF came after the start of the stream', ru: 'U+FEFF пришёл не в начале потока' }]]);
    },
  },
];

const resumeFromLatestCheck: CheckDefinition<SseState> = {
  id: 'resume-from-latest-replays-nothing',
  name: { en: 'Resuming from the latest event replays nothing', ru: 'Возобновление с последнего события ничего не досылает' },
  expected: {
    en: 'a new stream with Last-Event-ID of the second event: a heartbeat, and neither of the two events again',
    ru: 'новый поток с Last-Event-ID второго события: heartbeat, и ни одно из двух событий не приходит снова',
  },
  why: {
    clause: 'HTML §9.2.4 (Last-Event-ID)',
    text: {
      en: 'The browser had everything up to that id; anything the server sends again is handled twice by the page.',
      ru: 'У браузера есть всё до этого id; всё, что сервер пришлёт снова, страница обработает дважды.',
    },
  },
  async run(context, { stream, first, second }) {
    const dropped = browserWouldDrop(stream);
    if (dropped) return failed(stream.sentText(), stream.got(), dropped);
    if (!second.event?.id) {
      return failed('', '', { en: 'the second event came without an id (see the checks above)', ru: 'второе событие пришло без id (см. проверки выше)' });
    }
    const resumed = new EventStreamReader(context, EVENTS, { 'last-event-id': second.event.id });
    try {
      const heard = await resumed.until(() => resumed.comments.length > 0, HEARTBEAT_WAIT);
      const again = resumed.events.filter((event) => carries(event, first.email) || carries(event, second.email));
      return judgeStream(resumed, [
        [heard, { en: 'no heartbeat came on the resumed stream', ru: 'в возобновлённом потоке не пришёл heartbeat' }],
        [
          again.length === 0,
          { en: `${again.length} of the events the client had came again`, ru: `снова пришли события, которые у клиента уже были: ${again.length}` },
        ],
      ]);
    } finally {
      resumed.stop();
    }
  },
};

export const sseSuite = defineSuite<SseState>({
  async prepare(context) {
    const stream = new EventStreamReader(context, EVENTS);
    await stream.until(() => stream.status !== 0, "the stream's answer");
    const first = await createAndAwait(context, stream, 'a');
    const second = await createAndAwait(context, stream, 'b');
    const commentsBefore = stream.comments.length;
    const sawHeartbeat = await stream.until(() => stream.comments.length > commentsBefore, 'a heartbeat');
    stream.stop();
    return { stream, first, second, sawHeartbeat };
  },
  checks: [...streamChecks, resumeCheck, ...fieldChecks, resumeFromLatestCheck, afterEventsCheck],
  async cleanUp(context, { first, second }) {
    for (const user of [first, second]) {
      if (user.path) await httpExchange(context, { method: 'DELETE', path: user.path }).catch(() => undefined);
    }
  },
});

// The factual errors and Russian slips issue 55 listed, held out of the lessons in both languages.
// They were fixed once and came back unnoticed when a merge took an older lesson 04 whole, so each
// one is a test: the wrong words must be absent, and where a fix added a fact, the fact present.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLessonFolders } from '../web/lessons/lesson-files.ts';

const lessons = readLessonFolders(join(import.meta.dirname));

/** The text of the lesson whose folder starts with `number`, in `lang`. */
function lesson(number: string, lang: 'en' | 'ru'): string {
  const found = lessons.find((each) => each.folder.startsWith(`${number}-`));
  if (!found) throw new Error(`no lesson ${number}`);
  return found.markdown[lang] ?? '';
}

interface Slip {
  lesson: string;
  what: string;
  /** what must not be written again */
  absent?: { en?: RegExp; ru?: RegExp };
  /** the fact the fix added */
  present?: { en?: RegExp; ru?: RegExp };
}

const SLIPS: Slip[] = [
  {
    lesson: '04',
    what: 'Connect client streaming works over HTTP/1.1 too: only bidi needs HTTP/2 (lesson 05 says so)',
    absent: { en: /over HTTP\/2 only, not from `fetch`/, ru: /только по HTTP\/2 и не через `fetch`/ },
    present: {
      en: /client streams over HTTP\/1\.1 or HTTP\/2, bidi over HTTP\/2 only/,
      ru: /клиентский — по HTTP\/1\.1 или HTTP\/2, двунаправленный — только по HTTP\/2/,
    },
  },
  {
    lesson: '04',
    what: "HTTP/2's request pseudo-headers include :scheme (RFC 9113 §8.3.1)",
    present: { en: /\| `HEADERS` \| [^|\n]*`:scheme http`/, ru: /\| `HEADERS` \| [^|\n]*`:scheme http`/ },
  },
  {
    lesson: '04',
    what: 'UNAVAILABLE is safe to retry only when the call is idempotent or the server did not take it',
    absent: {
      en: /the one code that is usually safe to retry|`UNAVAILABLE`: the server did not take the call; retry/,
      ru: /обычно единственный код, который безопасно повторять|`UNAVAILABLE` — сервер не принял вызов, повторять/,
    },
    present: { en: /when the call is idempotent or the server did not take it/, ru: /если вызов идемпотентен или сервер его не принял/ },
  },
  {
    lesson: '04',
    what: '«поток» is a stream in this lesson, never a thread',
    absent: { ru: /блокирует поток|уносят в поток|в отдельный поток/ },
  },
  {
    lesson: '04',
    what: 'the garbled sentences and calques the issue quoted',
    absent: { en: /The exercise wants to see/, ru: /Упражнение хочет увидеть|\bзовёт\b/u },
  },
  {
    lesson: '01',
    what: "HTTP/2 lifts head-of-line blocking at HTTP's level, not at TCP's",
    present: { en: /Streams remove HTTP's head-of-line blocking, not TCP's/, ru: /head-of-line blocking на уровне HTTP, но не на уровне TCP/ },
  },
  {
    lesson: '03',
    what: 'a protobuf map key may be neither bytes nor an enum (nor a float or a message)',
    present: { en: /not a float, `bytes`, an enum or a message/, ru: /`bytes`/ },
  },
  {
    lesson: '05',
    what: "a URL's query is «параметры запроса»; «строка запроса» is the request line (lesson 01)",
    absent: { ru: /в строк[еуа] запроса/ },
  },
  {
    lesson: '07',
    what: "Socket.IO's upgrade: the client asks nothing, the server ends the pending poll after the probe",
    absent: { en: /client now asks the server to release the pending poll/, ru: /клиент просит сервер отпустить висящий опрос/ },
  },
  {
    lesson: '14',
    what: 'HTTP/1.x is text; HTTP/2 is binary frames',
    absent: { en: /\*\*HTTP\*\* is text/, ru: /\*\*HTTP\*\* — это текст/ },
    present: { en: /\*\*HTTP\/1\.x\*\* is text/, ru: /\*\*HTTP\/1\.x\*\* — это текст/ },
  },
  {
    lesson: '02',
    what: "a problem's `type` URI is not fetched automatically, but it may be opened for documentation (RFC 9457 §3.1.1)",
    absent: { en: /nobody fetches that URL/, ru: /сам URL никто не открывает/ },
    present: { en: /should not fetch that URL on its own/, ru: /не должен сам загружать этот URL/ },
  },
  {
    lesson: '02',
    what: "the seed's size comes from the code, never typed",
    absent: { en: /Twelve users fit/, ru: /Двенадцать пользователей/ },
  },
  {
    lesson: '02',
    what: 'keyset pagination can go either way from a known row; only our API is forward-only',
    absent: { en: /it only goes forward, step by step/, ru: /ходит только вперёд и по шагу/ },
  },
  {
    lesson: '02',
    what: 'a media type is «тип содержимого» in Russian, as the lesson defines it',
    absent: { ru: /или в media type/ },
  },
  {
    lesson: '02',
    what: 'real time is «в реальном времени», as lesson 10 writes it, not the English «real-time»',
    absent: { ru: /real-time/ },
  },
  {
    lesson: '03',
    what: "the JSON answer's size is read from the traffic, never typed",
    absent: { en: /JSON answer is \d+ bytes/, ru: /ответ в JSON занимает \d+ байт/ },
  },
  {
    lesson: '03',
    what: 'ProtoJSON leaves out only default values of fields without presence',
    absent: { en: /fields with default values are left out/, ru: /поля со значениями по умолчанию не пишутся/ },
  },
  {
    lesson: '03',
    what: 'presence is «признак наличия», one term',
    absent: { ru: /признак присутствия/ },
  },
  {
    lesson: '05',
    what: 'gRPC needs HTTP/2 itself (its wire spec), not "many streams on one connection"',
    absent: { en: /three things from HTTP\/2: many streams/, ru: /от HTTP\/2 нужны три вещи: много потоков/ },
  },
  {
    lesson: '05',
    what: "a gRPC-Web call's HTTP status is 200 once the server took the call, not always (a proxy may answer otherwise)",
    absent: { en: /HTTP status is always `200`/, ru: /HTTP-статус всегда `200`/ },
  },
  {
    lesson: '05',
    what: 'the tautology «запрос … запрашивал»',
    absent: { ru: /запрос так, чтобы он запрашивал/ },
  },
  {
    lesson: '05',
    what: 'Connect GET is for NO_SIDE_EFFECTS methods: an IDEMPOTENT one may have side effects and stays POST',
    absent: {
      en: /GET for idempotent methods|for idempotent methods, a `GET`/,
      ru: /GET (в Connect )?для идемпотентных методов|для идемпотентных методов и вовсе `GET`/,
    },
    present: { en: /marked only `IDEMPOTENT`/, ru: /только `IDEMPOTENT`/ },
  },
  {
    lesson: '10',
    what: 'HTTP can push a subscription (SSE, lesson 08): only one request with one response cannot',
    absent: { en: /HTTP requests cannot do that/, ru: /Обычным HTTP-запросам это не под силу/ },
    present: { en: /over SSE instead/, ru: /через SSE/ },
  },
  {
    lesson: '10',
    what: '«её» that named the cell instead of the schema',
    absent: { ru: /в любой ячейке, чтобы её полистать/ },
  },
  {
    lesson: '13',
    what: "QoS 2's exactly-once holds on one hop, and en says what ru says",
    absent: { en: /exactly-once between two hops/ },
    present: { en: /exactly-once on one hop/, ru: /на одном участке пути/ },
  },
  {
    lesson: '13',
    what: '«чистая сессия» is the glossary term for clean session; «поток» is a stream only',
    absent: { ru: /флагом clean session|Поток труднее проследить/ },
  },
  {
    lesson: '14',
    what: 'a request line and repeated headers per message are HTTP/1.1; a 2-byte WebSocket header holds up to 125 bytes of payload (RFC 6455 §5.2)',
    present: {
      en: /Over HTTP\/1\.1 an HTTP\s+request per message[\s\S]*with up to 125 bytes of payload costs a 2-byte header/,
      ru: /В HTTP\/1\.1 HTTP-запрос\s+на каждое сообщение[\s\S]*с данными до 125 байт стоит два байта заголовка/,
    },
  },
  {
    lesson: '14',
    what: "SSE builds in reconnection and Last-Event-ID; the replay is the server's",
    absent: { en: /reconnection and replay built in/, ru: /переподключение и повтор встроены/ },
  },
  {
    lesson: '14',
    what: 'the slang «получатель может лежать»; fan-out is «веерная рассылка»',
    absent: { ru: /может лежать|чтобы рассылка и письма/ },
  },
];

describe('the slips issue 55 listed stay out of the lessons', () => {
  for (const slip of SLIPS)
    for (const lang of ['en', 'ru'] as const) {
      const absent = slip.absent?.[lang];
      const present = slip.present?.[lang];
      if (!absent && !present) continue;
      it(`lesson ${slip.lesson} (${lang}): ${slip.what}`, () => {
        const text = lesson(slip.lesson, lang);
        if (absent) expect(text).not.toMatch(absent);
        if (present) expect(text).toMatch(present);
      });
    }

  it.each(['en', 'ru'] as const)('(%s) the runner is defined where the course first names it', (lang) => {
    const word = lang === 'en' ? /\brunner/ : /раннер/u;
    const first = lessons.map((each) => ({ folder: each.folder, text: each.markdown[lang] ?? '' })).find(({ text }) => word.test(text))!;
    const sentence = first.text.slice(first.text.search(word) - 2).split('\n')[0]!;
    // the first use is the definition: the word in bold, then what it is
    expect(sentence, first.folder).toMatch(lang === 'en' ? /^\*\*runner\*\* — a real gRPC client/ : /^\*\*раннер\*\* — настоящий клиент gRPC/);
  });
});

describe('one English word for email across the course (web/glossary/house-words.ts)', () => {
  it.each(lessons.map((each) => each.folder))('%s: "email", never "e-mail"', (folder) => {
    expect(lessons.find((each) => each.folder === folder)!.markdown.en ?? '').not.toMatch(/\be-mails?\b/i);
  });
});

describe('a broker version a lesson quotes is the one package.json pins', () => {
  const pinned = (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies
    .aedes;
  it.each(['en', 'ru'] as const)('lesson 13 (%s): aedes', (lang) => {
    const quoted = [...lesson('13', lang).matchAll(/aedes (\d+\.\d+\.\d+)/g)].map((match) => match[1]);
    expect(quoted.length).toBeGreaterThan(0);
    for (const version of quoted) expect(version).toBe(pinned);
  });
});
